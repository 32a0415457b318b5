"""The spec-driven program (see kontent_resources/_testing/spec.py) as a project folder."""

from kontent_resources._testing.spec import spec_program

spec_program()
