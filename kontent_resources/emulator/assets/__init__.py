"""Assets: ``models`` (state and rules), ``bodies`` (request bodies), ``urls`` (routes)."""
