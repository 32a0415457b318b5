"""``python -m kontent_resources import <folder> | doctor`` (also the ``kontent-resources`` command)."""

from __future__ import annotations

import sys

_USAGE = "usage: kontent-resources import <folder> [--help] | doctor"


def main(argv: list[str] | None = None) -> int:
    arguments = sys.argv[1:] if argv is None else argv
    if arguments and arguments[0] == "doctor":
        from kontent_resources.doctor import main as doctor_main

        return doctor_main(arguments[1:])
    if not arguments or arguments[0] != "import":
        print(_USAGE, file=sys.stderr)
        return 2
    from kontent_resources.importer.cli import main as import_main

    return import_main(arguments[1:])


if __name__ == "__main__":
    sys.exit(main())
