"""Asset folders: one tree per environment; POST creates it, PATCH edits it atomically.

Modules: ``models`` (state and rules), ``bodies`` (request bodies), ``urls`` (routes)."""
