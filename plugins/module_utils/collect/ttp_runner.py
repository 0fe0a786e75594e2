# -*- coding: utf-8 -*-
# Copyright: (c) 2026, truthloop engineering
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Run the collection's TTP templates: one place that knows TTP's result shape.

Plain data in, plain data out; no Ansible imports. TTP is optional at import time so
that the rest of the engine (and ansible-test) loads without it.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import sys
import threading

try:
    from ttp import ttp as _ttp
except ImportError:  # reported by the caller via missing_required_lib
    _ttp = None

HAS_TTP = _ttp is not None
_POOL = {}  # compiled parsers by template text, for reuse (_take)
_PARSE_LOCK = threading.Lock()
TEMPLATE_DIR = os.path.normpath(
    os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "templates", "ttp")
)


class TemplateError(Exception):
    """A template that is missing, or that TTP could not run."""


def template_name(platform, command):
    """File name of the template for ``command`` on ``platform``."""
    slug = command.strip().replace("|", "pipe").replace(" ", "_")
    while "__" in slug:
        slug = slug.replace("__", "_")
    return "%s_%s.ttp" % (platform, slug)


def template_path(platform, command, template_dir=None):
    return os.path.join(template_dir or TEMPLATE_DIR, template_name(platform, command))


def _load(path):
    try:
        with open(path) as handle:
            return handle.read()
    except (IOError, OSError) as exc:
        raise TemplateError("cannot read template %s: %s" % (path, exc))


def _take(template_text):
    """A parser with ``template_text`` compiled: an idle one of the pool, else a new one.
    Compiling a template (XML, groups, regexes) costs three times the parse of a typical
    output, so each parser is kept for the next output of its template (TTP clears its
    input and results between uses: ``clear_input``, ``clear_result``).

    TTP's function modules (the output ``macro``, ``set``, ``record``...) read one module
    global ``_ttp_``, which each parser points at its own state when it first loads them:
    a parser kept for reuse takes them back before each parse (``_own_globals``). Call with
    ``_PARSE_LOCK`` held."""
    idle = _POOL.get(template_text)
    if idle:
        return idle.pop()
    return _ttp(template=template_text)


_TTP_MODULES = []  # TTP's loaded function modules, refreshed when more are imported
_SEEN = [0]


def _own_globals(parser):
    if len(sys.modules) != _SEEN[0]:
        _SEEN[0] = len(sys.modules)
        _TTP_MODULES[:] = [module for name, module in list(sys.modules.items())
                           if name.startswith("ttp.") and hasattr(module, "_ttp_")]
    state = parser._ttp_
    for module in _TTP_MODULES:
        module._ttp_ = state


def _give_back(template_text, parser):
    """Back to the pool, emptied; a parser that failed is never given back."""
    parser.clear_input()
    parser.clear_result()
    _POOL.setdefault(template_text, []).append(parser)


def warm(template_text):
    """Compile ``template_text`` now if no parser of it is kept (before forking collectors,
    so that each inherits the compiled parser instead of compiling its own)."""
    if not HAS_TTP:
        return
    with _PARSE_LOCK:
        if not _POOL.get(template_text):
            _give_back(template_text, _take(template_text))


def parse(template_text, text):
    """Parse ``text`` with ``template_text``; return one dict (``{}`` if nothing matched).

    TTP wraps results twice (a list per input, a list per template): unwrap both, so
    callers never index ``[0][0]`` themselves (ansible.utils#402).
    """
    if not HAS_TTP:
        raise TemplateError("the ttp Python library is not installed")
    with _PARSE_LOCK:  # TTP's state is module-global (the current template, its macros): one parse at a time
        try:
            parser = _take(template_text)
            _own_globals(parser)
            parser.add_input(text)
            parser.parse(one=True)
            result = parser.result()
        except Exception as exc:  # TTP raises bare Exceptions on bad templates
            raise TemplateError("TTP failed: %s" % exc)
        while isinstance(result, list) and len(result) == 1:
            result = result[0]
        _give_back(template_text, parser)  # after the unwrap: clearing empties the lists TTP gave
    if isinstance(result, list) and not result:
        return {}
    if not isinstance(result, dict):
        raise TemplateError("unexpected TTP result shape: %s" % type(result).__name__)
    return result


def parse_command(platform, command, text, template_dir=None):
    """Parse one command's output with the shipped template for it."""
    return parse(_load(template_path(platform, command, template_dir)), text)
