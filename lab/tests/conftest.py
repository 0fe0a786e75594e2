"""The lab's tests import the collection (and the platform collections' terminal
plugins) through the ansible_collections tree that tools/bootstrap.sh builds."""

import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]
for path in (ROOT / ".deps", ROOT):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))
