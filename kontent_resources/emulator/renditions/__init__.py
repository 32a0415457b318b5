"""Asset renditions: list, add, retrieve and modify. The real API has no delete (→ 405).

Modules: ``models`` (state and rules), ``bodies`` (request bodies), ``urls`` (routes)."""
