"""Collections: list (``GET /collections``) and modify (``PATCH /collections``).

Reference (Modify collections, 002 "Add, reorder, update, or remove collections"): an array of
operations: ``addInto`` (``value``: the collection to add; ``before`` / ``after``, mutually
exclusive, a Reference), ``move`` (``reference`` and ``before`` / ``after``), ``remove``
(``reference``) and ``replace`` (``reference``, ``property_name``, ``value``); 200 with every
collection; 400 with error 5 and "Invalid operation with index '1': The referenced object was not
found.". The collection object: ``name`` [1 .. 200] characters, required; ``codename``
[1 .. 210] characters, "Unless set while creating the collection, it is initially generated from
the collection's name"; ``external_id`` only present if set when added.

Assumed (the reference is silent): ``replace`` changes ``name`` or ``codename``; the default
collection cannot be removed, nor a collection that an asset or a content item is in (as in the
UI, which keeps content from losing its collection); codenames and external ids are unique.

Modules: ``models`` (state and rules), ``bodies`` (request bodies), ``urls`` (routes)."""
