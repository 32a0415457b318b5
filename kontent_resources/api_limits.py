"""The Management API's documented limits: one table for the providers' offline checks and the
emulator's rules, each with the passage of the API reference it comes from.

Where the reference states no limit, the entry says "assumed" and why.
"""

from __future__ import annotations

MIB = 1024 * 1024

#: "Maximum size limit for binary files is 100 MB." (Upload a binary file). Environments with
#: another limit raise it with ``kontent:maxFileSizeBytes`` (providers) or ``--max-file-size``.
MAX_FILE_SIZE = 100 * MIB

#: Asset ``title``: "string or null <= 200 characters" (Add an asset, so "" is accepted there);
#: "string [ 1 .. 200 ] characters" (Upsert an asset, which the providers write through): the
#: providers refuse an empty title and send no title as none.
TITLE_MAX_LENGTH = 200

#: Folder ``name``: "string [ 1 .. 200 ] characters" (Add asset folders, the folder object).
FOLDER_NAME_MAX_LENGTH = 200

#: ``codename``: "string [ 1 .. 60 ] characters" (content items, types, the reference's codename
#: fields); assumed the same for assets and folders, which state no length.
CODENAME_MAX_LENGTH = 60

#: Collection ``name``: "string [ 1 .. 200 ] characters"; ``codename``: "string [ 1 .. 210 ]
#: characters" (the collection object, Collections).
COLLECTION_NAME_MAX_LENGTH = 200
COLLECTION_CODENAME_MAX_LENGTH = 210

#: ``external_id``: assumed 200 characters; the reference gives no length. In references it must
#: not contain '/', '.' or ';' (identifier forms, "external_id").
EXTERNAL_ID_MAX_LENGTH = 200
EXTERNAL_ID_FORBIDDEN_IN_REFERENCES = "/.;"
