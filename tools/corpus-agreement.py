#!/usr/bin/env python3
# Copyright: (c) 2026, truthloop engineering
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Field-level agreement of our TTP templates with the ntc-templates corpus.

    tools/corpus-agreement.py [-v] [platform ...]

One line per platform/command: ``platform command: matched/compared = pct``;
``-v`` also lists every disagreement. Exit status 1 when a command is below its floor.
"""

import argparse
import importlib.util
import os
import sys

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
SPEC = importlib.util.spec_from_file_location(
    "corpus", os.path.join(ROOT, "tests", "unit", "templates", "corpus.py"))
corpus = importlib.util.module_from_spec(SPEC)
SPEC.loader.exec_module(corpus)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("platforms", nargs="*", help="default: every mapped platform")
    parser.add_argument("-v", "--verbose", action="store_true", help="list disagreements")
    args = parser.parse_args(argv)
    status = 0
    for platform in args.platforms or corpus.platforms():
        for folder, agreement in corpus.evaluate(platform).items():
            below = agreement.ratio < agreement.floor
            print("%s%s" % (agreement.line(), "  (below floor %.3f)" % agreement.floor if below else ""))
            if below:
                status = 1
            if args.verbose:
                for item in agreement.disagreements:
                    print("    %r" % (item,))
    return status


if __name__ == "__main__":
    sys.exit(main())
