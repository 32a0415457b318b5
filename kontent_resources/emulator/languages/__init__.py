"""Languages: list, retrieve, add (``POST /languages``) and modify (``PATCH /languages/<ref>``).

Reference (Add a language): ``name`` and ``codename`` required, ``external_id``, ``is_active`` and
``fallback_language`` (a Reference) optional; 201 with the created language; 400 "The specified
request body is invalid or the language already exists", and for a fallback that is missing or
inactive error 0 "Fallback language not found or inactive". (Modify a language): an array of
``{op, property_name, value}`` where ``property_name`` is ``name``, ``codename``,
``fallback_language`` (value: a Reference) or ``is_active`` (value: boolean); 400 "Invalid operation
with index '0': The specified fallback language is inactive or does not exist."; 404 for an unknown
language.

Assumed (the reference is silent): a new language is active unless ``is_active`` says otherwise and
falls back to the default language when no fallback is given; ``replace`` is the only operation;
the default language cannot be deactivated.

Modules: ``models`` (state and rules), ``bodies`` (request bodies), ``urls`` (routes)."""
