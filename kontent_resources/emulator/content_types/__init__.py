"""Content types and content type snippets: ``models`` (state and rules), ``bodies`` (request
bodies), ``urls`` (routes). Reference: 002, "Content types" and "Content type snippets"."""
