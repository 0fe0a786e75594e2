# -*- coding: utf-8 -*-
# Copyright: (c) 2026, truthloop engineering
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The report pages' data files: Jinja2 templates, the stylesheet and the scripts.

They live in ``templates/report/`` (data, like the TTP templates): ``drift.html.j2`` and
``topology.html.j2`` with their partials, ``report.css``, ``drift-table.js`` (the drift
records table: sort, filter, expand, state in the URL fragment) and ``topology.js``
(the picture: hover, click, zoom, filter). A page's Content-Security-Policy allows
exactly its stylesheet and scripts by their SHA-256, so they are embedded as the files
hold them: nothing from a report is ever formatted into them.

State of the drift table in the URL fragment (read on load and on ``hashchange``,
written on every sort or filter change): ``sort=<column>:<asc|desc>``, ``q=<text>``,
``class=``, ``severity=``, ``kind=``, ``status=`` (the device's status), ``device=``,
``counted=yes|no`` and ``open=<id>,<id>`` (rows whose evidence is shown). The topology
reads ``site=<site>`` (zoom to it), ``node=<device>`` and ``link=<link id>`` (select
one) on load.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import hashlib
import io
import os

TEMPLATE_DIR = os.path.normpath(
    os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "templates", "report"))
PAGES = {  # page template: its stylesheet and scripts, in page order
    "drift.html.j2": ("report.css", ("drift-table.js", "topology.js")),
    "topology.html.j2": ("report.css", ("topology.js",)),
}
_CACHE = {}


class AssetError(Exception):
    """A data file of the report pages is missing or unreadable."""


def read(name):
    """The text of one data file of ``templates/report/``."""
    if name not in _CACHE:
        try:
            with io.open(os.path.join(TEMPLATE_DIR, name), encoding="utf-8") as handle:
                _CACHE[name] = handle.read()
        except (IOError, OSError) as exc:
            raise AssetError("the report page file %s cannot be read: %s" % (name, exc))
    return _CACHE[name]


def csp_hash(text):
    """A CSP source for one inline element's exact text: ``'sha256-...'``."""
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "'sha256-%s'" % base64.b64encode(digest).decode("ascii")


def assets(page):
    """``(css, [scripts])`` of a page template."""
    css, scripts = PAGES[page]
    return read(css), [read(name) for name in scripts]


def content_security_policy(page):
    """Nothing but the page's own stylesheet and scripts; no fetch, image, frame or form."""
    css, scripts = assets(page)
    return ("default-src 'none'; script-src %s; style-src %s; img-src 'none'; connect-src 'none'; "
            "base-uri 'none'; form-action 'none'" % (" ".join(csp_hash(s) for s in scripts), csp_hash(css)))
