"""Run the unit tests from the checkout: the collection is importable through the
``ansible_collections`` tree that tools/bootstrap.sh links (``.deps``); under
ansible-test units it already is."""

import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
DEPS = os.path.normpath(os.path.join(HERE, "..", "..", ".deps"))
if "ansible_collections" not in HERE.split(os.sep) and os.path.isdir(DEPS) and DEPS not in sys.path:
    sys.path.insert(0, DEPS)
