"""Placeholder until the Kontent.ai resources land: proves the engine and a dynamic provider work."""

from kontent_resources.testing.echo import echo_program

echo_program()
