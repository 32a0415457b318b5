"""Helpers for the project's own tests: small resources that exercise the engine itself."""
