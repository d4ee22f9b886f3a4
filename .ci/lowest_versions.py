"""Print pip constraints that pin every runtime dependency to the lowest version pyproject.toml allows.

`.ci/run` installs the project with them in a second venv and runs a smoke subset of the tests there, so
every lower bound in pyproject.toml is one the tests pass on.
"""

import re
import sys
import tomllib
from pathlib import Path

project = tomllib.loads((Path(__file__).resolve().parents[1] / "pyproject.toml").read_text(encoding="utf-8"))
for requirement in project["project"]["dependencies"]:
    lowest = re.fullmatch(r"([A-Za-z0-9_.-]+)\s*>=\s*([^,;\s]+)\s*,\s*<\s*[^,;\s]+", requirement)
    if lowest is None:
        sys.exit(f"{requirement}: a runtime dependency needs a range written as >=LOWEST,<NEXT_MAJOR")
    print(f"{lowest[1]}=={lowest[2]}")
