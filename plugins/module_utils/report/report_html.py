# -*- coding: utf-8 -*-
# Copyright: (c) 2026, truthloop engineering
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The drift report as self-contained HTML pages: ``drift.html`` and ``topology.html``.

``render(report, pictures)`` and ``render_topology(report, pictures)`` fill the Jinja2
templates of ``templates/report/`` (report_html_assets) with autoescaping on. Neither
page loads anything (it works from ``file://``, offline). ``drift.html`` opens on what
needs attention (the verdict, the sites and roles with devices that have drift or are not
fully verified, those devices and their records; clean devices folded into a count), then
the topology picture, the counts, the drift records table (sorted, filtered and expanded
by its script) and every device. ``pictures`` is ``topology_draw.draw_all``'s: SVG that
``topology_svg`` wrote (escaped, from a fixed list of elements), shown as it is; without
them the page says why.

Safety: the templates escape every value (autoescape); the report is embedded as JSON in
``<script type="application/json" id="report-data">`` with ``<``, ``>``, ``&``, U+2028
and U+2029 written as ``\\u`` escapes, so no value can close the element; the scripts
build what they show with ``textContent`` only. A Content-Security-Policy allows nothing
but the page's own stylesheet and scripts, by their SHA-256. Without JavaScript the page
still shows everything but the interactive table: the picture is static SVG.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json

from ansible_collections.truthloop.netbox_drift.plugins.module_utils.report import report_format as fmt
from ansible_collections.truthloop.netbox_drift.plugins.module_utils.report import report_html_assets as assets
from ansible_collections.truthloop.netbox_drift.plugins.module_utils.report import report_html_context as ctx

try:
    import jinja2
    import markupsafe  # Jinja2's own dependency
except ImportError:  # Ansible always ships Jinja2; the page says it is missing
    jinja2 = markupsafe = None

_JSON_ESCAPES = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
_ENV = []


class RenderError(Exception):
    """A page that cannot be rendered (Jinja2 or a template missing)."""


def script_json(report):
    """The report as JSON that cannot end a ``<script>`` element early (nor be read
    as HTML or break a JavaScript line): ``json.loads`` gives the report back."""
    text = json.dumps(report, ensure_ascii=False, separators=(",", ":"), default=str)
    return "".join(_JSON_ESCAPES.get(char, char) for char in text)


def csp_hash(text):
    return assets.csp_hash(text)


def content_security_policy(page="drift.html.j2"):
    return assets.content_security_policy(page)


def environment():
    """The Jinja2 environment of the report pages: autoescape on; a field a report lacks
    (an older or newer writer) renders empty, never fails the page."""
    if jinja2 is None:
        raise RenderError("the HTML report needs the Python package jinja2")
    if not _ENV:
        env = jinja2.Environment(loader=jinja2.FileSystemLoader(assets.TEMPLATE_DIR), autoescape=True,
                                 trim_blocks=True, lstrip_blocks=True)
        env.filters.update(value_text=fmt.value_text, status_class=ctx.status_class,
                           script_json=lambda value: _markup(script_json(value)))
        env.globals.update(swatch=ctx.swatch, short=ctx.short, trusted=_markup)
        _ENV.append(env)
    return _ENV[0]


def _markup(text):
    """Text the page shows as it is: only the page's own assets, the SVG that topology_svg
    wrote and the escaped JSON above."""
    return markupsafe.Markup(text)


def _pictures(pictures):
    pictures = pictures or {}
    return {"whole": pictures.get("whole"), "sites": pictures.get("sites") or [],
            "note": pictures.get("note") or (None if pictures.get("whole") else
                                             "No topology picture was drawn for this page."),
            "graphviz": pictures.get("graphviz")}


def _common(report, page, pictures):
    css, scripts = assets.assets(page)
    nodes, links = ctx.legend(report)
    return {"report": report, "run": report.get("run") or {}, "summary": report.get("summary") or {},
            "verdict": fmt.verdict(report.get("summary")), "facts": ctx.run_facts(report),
            "csp": assets.content_security_policy(page), "css": _markup(css), "scripts": [_markup(s) for s in scripts],
            "pictures": _pictures(pictures), "legend_nodes": nodes, "legend_links": links,
            "topology": report.get("topology") or {}}


def render(report, pictures=None):
    """``drift.html`` (a string); ``pictures`` from ``topology_draw.draw_all``."""
    context = _common(report, "drift.html.j2", pictures)
    rows, calm = ctx.site_rows(report)
    context.update(
        site_rows=rows, calm_sites=calm, attention=ctx.attention_devices(report),
        clean=ctx.folded(report, "clean"), skipped=ctx.folded(report, "skipped"), charts=ctx.charts(report),
        columns=ctx.COLUMNS, filters=ctx.filters(report), records_total=len(fmt.records(report)),
        devices=report.get("devices") or [], unverified=report.get("unverified") or [],
        unverified_of=lambda entry: fmt.unverified_of(report, entry), changes_text=ctx.changes_text,
        statuses=fmt.STATUSES, with_table=True)
    return _render("drift.html.j2", context)


def render_topology(report, pictures=None):
    """``topology.html`` (a string): the pictures, their legend and the records panel."""
    context = _common(report, "topology.html.j2", pictures)
    context.update(with_table=False)
    return _render("topology.html.j2", context)


def _render(name, context):
    try:
        return environment().get_template(name).render(**context)
    except (jinja2.TemplateError, assets.AssetError) as exc:
        raise RenderError("the report page %s cannot be rendered: %s" % (name, exc))
