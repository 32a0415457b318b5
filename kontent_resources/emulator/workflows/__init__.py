"""Workflows: list, add and update (``/workflows``), and the default workflow's steps (``/workflow``).

Every workflow shares the Published, Scheduled and Archived steps (the same ids appear in the
reference's samples of different workflows); its own steps are numbered by the emulator.

Modules: ``models`` (state and rules), ``bodies`` (request bodies), ``urls`` (routes)."""
