"""Binary files: streamed upload (``POST /files/{file_name}``) and the CDN-like download URL.

Modules: ``models`` (state and rules), ``bodies`` (request bodies), ``urls`` (routes)."""
