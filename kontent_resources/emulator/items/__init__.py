"""Content items: list, retrieve, add, upsert, delete (their content lives in variants).

Modules: ``models`` (state and rules), ``bodies`` (request bodies), ``urls`` (routes)."""
