"""The root stack: programs/quickstart, run from its own folder as `pulumi up` there would run it.

Pulumi.yaml says why the program is here rather than named by `main:`.
"""

import os
import runpy
from pathlib import Path

program = Path(__file__).resolve().parent / "programs" / "quickstart"
os.chdir(program)  # its files are named relative to it
runpy.run_path(str(program / "__main__.py"), run_name="__main__")
