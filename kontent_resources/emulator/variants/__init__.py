"""Language variants: ``models`` (storage, lookup, rendering), ``elements`` (upsert and the rules for
element values), ``actions`` (workflow actions and their rules), ``bodies`` (request bodies),
``urls`` (routes, the workflow actions table-driven)."""
