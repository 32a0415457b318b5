"""The echo program run through the Python language host (a Pulumi.yaml project)."""

from kontent_resources._testing.echo import echo_program

echo_program()
