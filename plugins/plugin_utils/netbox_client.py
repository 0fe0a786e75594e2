# -*- coding: utf-8 -*-
# Copyright: (c) 2026, truthloop engineering
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Reading NetBox's REST API in bulk (controller side): the machinery under
``netbox_fetch`` (what the drift check reads) and ``netbox_read`` (re-reading objects
before a change).

``Fetcher`` holds one requests session, through pynetbox's ``Request`` and its
paging: the token in the ``Authorization`` header of the right kind (``auth_header``),
requests and bytes counted per endpoint (``CountingSession``), a filter's values in
chunks that fit a request line (``chunks``), up to ``workers`` chunks read at once,
cursor paging on NetBox 4.6+. A read that meets a transient error (502, 503 or 504,
a connection reset, a read timeout) is tried again, up to ``retries`` more times with
a doubling pause (``backoff`` seconds first); then, and for any other failure, it
becomes a ``NetboxFetchError`` whose message names the URL path read and the cause,
and never the token (``redact``).
"""


__metaclass__ = type

import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from urllib.parse import urlencode, urlsplit

try:
    import requests
    import pynetbox
    from pynetbox.core.query import ContentError, Request, RequestError

    HAS_PYNETBOX = True
    PYNETBOX_IMPORT_ERROR = None
except ImportError as imp_exc:  # pragma: no cover - reported by the action
    HAS_PYNETBOX = False
    PYNETBOX_IMPORT_ERROR = imp_exc
    requests = None
    Request = RequestError = ContentError = None

    class _Session(object):
        """Stand-in so that this module imports without requests."""

else:
    _Session = requests.Session


REQUEST_LINE_BUDGET = 3500  # bytes of path + query; gunicorn refuses request lines over 4094
REDACTED = "<redacted>"
TRANSIENT_STATUS = (502, 503, 504)  # a proxy or NetBox restarting: worth another try
RETRY_METHODS = ("GET", "HEAD", "OPTIONS")  # reads only: a write is never sent twice


class NetboxFetchError(Exception):
    """NetBox could not be read; the message names the cause, never the token."""


def redact(text, token):
    text = str(text)
    if token:
        text = text.replace(token, REDACTED)
        # a v2 token's secret alone, or a v1 token seen through another encoding
        for part in re.split(r"[._]", token):
            if len(part) >= 12:
                text = text.replace(part, REDACTED)
    return text


def auth_header(token):
    """``Authorization`` value: NetBox 4.5+ v2 tokens (``nbt_<key>.<secret>``) are
    ``Bearer``, v1 tokens (40 hex) ``Token`` - what pynetbox 7.9 sends too; set on the
    session so that an older pynetbox, which only knows ``Token``, works as well."""
    if token.startswith("nbt_") and "." in token:
        return "Bearer %s" % token
    return "Token %s" % token


def transient(exc):
    """Whether a requests error is worth another try: a reset connection or a read timeout."""
    if requests is None:
        return False
    if isinstance(exc, requests.exceptions.ReadTimeout):
        return True
    if isinstance(exc, requests.exceptions.ConnectionError) and not isinstance(exc, requests.exceptions.SSLError):
        text = str(exc).lower()
        return any(mark in text for mark in ("reset", "aborted", "remotedisconnected", "broken pipe",
                                             "read timed out"))
    return False


class CountingSession(_Session):
    """A requests session that counts requests and bytes per endpoint, applies a
    default timeout, tries a read again on a transient error (``retries`` times,
    ``backoff`` seconds doubling) and remembers the API-Version header."""

    def __init__(self, api_base, timeout=30, retries=2, backoff=0.5):
        super(CountingSession, self).__init__()
        self.api_path = urlsplit(api_base).path.rstrip("/") + "/"
        self.timeout = timeout
        self.retries, self.backoff = max(0, int(retries)), max(0.0, float(backoff))
        self.retried = 0
        self.requests = 0
        self.bytes = 0
        self.by_endpoint = {}
        self.api_version = None
        self._lock = threading.Lock()

    def endpoint(self, url):
        path = urlsplit(url).path
        if path.startswith(self.api_path):
            path = path[len(self.api_path):]
        return path.strip("/") or "(root)"

    def request(self, method, url, *args, **kwargs):  # pylint: disable=arguments-differ
        if kwargs.get("timeout") is None:
            kwargs["timeout"] = self.timeout
        tries = 1 + (self.retries if str(method).upper() in RETRY_METHODS else 0)
        for attempt in range(1, tries + 1):
            try:
                response = self._once(method, url, *args, **kwargs)
            except Exception as exc:  # only transient errors are tried again
                if attempt == tries or not transient(exc):
                    raise
            else:
                if attempt == tries or response.status_code not in TRANSIENT_STATUS:
                    return response
            with self._lock:
                self.retried += 1
            time.sleep(self.backoff * (2 ** (attempt - 1)))
        raise NetboxFetchError("unreachable")  # pragma: no cover - the loop returns or raises

    def _once(self, method, url, *args, **kwargs):
        name = self.endpoint(url)
        with self._lock:
            self.requests += 1
            self.by_endpoint[name] = self.by_endpoint.get(name, 0) + 1
        response = super(CountingSession, self).request(method, url, *args, **kwargs)
        with self._lock:
            self.bytes += len(response.content or b"")
            if self.api_version is None and response.headers.get("API-Version"):
                self.api_version = response.headers["API-Version"]
        return response


def _split_url(url):
    """``(ui_base, api_base)`` from what the user gave: ``https://nb`` or
    ``https://nb/api`` (with or without a trailing slash, with a base path)."""
    if not url:
        raise NetboxFetchError("no NetBox URL given (url option, or NETBOX_API / NETBOX_URL)")
    base = url.strip().rstrip("/")
    if base.endswith("/api"):
        base = base[:-4]
    parts = urlsplit(base)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise NetboxFetchError("%r is not a NetBox URL (http:// or https://)" % url)
    return base + "/", base + "/api"


def base_url(url):
    """NetBox's address without ``/api`` and the trailing slash: ``https://nb/base``."""
    return _split_url(url)[0].rstrip("/")


def _version_tuple(text):
    found = re.match(r"\s*(\d+)\.(\d+)", text or "")
    return (int(found.group(1)), int(found.group(2))) if found else None


def chunks(values, key, chunk_size, fixed_len):
    """Split ``values`` into lists of at most ``chunk_size`` whose ``key=v&...`` query
    part, added to ``fixed_len`` bytes of path and other parameters, stays within
    REQUEST_LINE_BUDGET."""
    parts, current, used = [], [], fixed_len
    for value in values:
        size = len(urlencode({key: value})) + 1
        if current and (len(current) >= chunk_size or used + size > REQUEST_LINE_BUDGET):
            parts.append(current)
            current, used = [], fixed_len
        current.append(value)
        used += size
    if current:
        parts.append(current)
    return parts


class Fetcher(object):
    """One fetch: the session, the paging strategy and the error mapping."""

    def __init__(self, url, token, validate_certs=True, timeout=30, page_size=1000,
                 chunk_size=200, raw=True, fields=True, pagination="auto", workers=4, retries=2, backoff=0.5):
        if not HAS_PYNETBOX:
            raise NetboxFetchError("the pynetbox Python library is needed on the controller (%s)"
                                   % PYNETBOX_IMPORT_ERROR)
        if not token:
            raise NetboxFetchError("no NetBox token given (token option, or NETBOX_TOKEN)")
        self.ui_base, api_base = _split_url(url)
        self.token = token
        self.page_size = max(1, int(page_size))
        self.chunk_size = max(1, int(chunk_size))
        self.raw, self.fields, self.pagination = raw, fields, pagination
        self.workers = max(1, int(workers))
        self.api = pynetbox.api(self.ui_base, token=None)
        self.session = CountingSession(self.api.base_url, timeout=timeout, retries=retries, backoff=backoff)
        self.session.verify = validate_certs
        self.session.headers["Authorization"] = auth_header(token)
        self.session.headers["Connection"] = "keep-alive"
        self.api.http_session = self.session
        self.cursor = False  # until the API version is known (choose_pagination)

    # -- errors -------------------------------------------------------------------
    def error(self, what, exc):
        """A NetboxFetchError naming the cause of ``exc`` while reading ``what`` (an API path)."""
        where = "NetBox at %s" % self.ui_base.rstrip("/")
        what = "%s%s/" % (self.session.api_path, what)
        tries = self.session.retries + 1
        if RequestError is not None and isinstance(exc, RequestError):
            response = exc.req
            status = response.status_code
            detail = _netbox_error_text(response)
            if status in (401, 403):
                message = ("NetBox refused the token (%d) while reading %s: %s; check that the token "
                           "exists, has not expired and may read %s" % (status, what, detail, what))
            elif status == 404:
                message = ("%s answered 404 for %s: is this a NetBox URL (without /api), and a "
                           "NetBox 4.2 or newer?" % (where, what))
            else:
                message = "%s answered %d %s while reading %s: %s" % (
                    where, status, response.reason or "", what, detail)
                if status in TRANSIENT_STATUS:
                    message += " (%d tries)" % tries
        elif ContentError is not None and isinstance(exc, ContentError):
            message = "%s did not answer with JSON while reading %s: is this a NetBox URL?" % (where, what)
        elif isinstance(exc, requests.exceptions.SSLError):
            message = ("TLS error talking to %s: %s (validate_certs=false skips the certificate "
                       "check)" % (where, _reason(exc)))
        elif isinstance(exc, requests.exceptions.Timeout):
            message = "%s did not answer within %ss while reading %s (%d tries)" % (
                where, self.session.timeout, what, tries if transient(exc) else 1)
        elif isinstance(exc, requests.exceptions.ConnectionError):
            message = "cannot connect to %s while reading %s: %s%s" % (
                where, what, _reason(exc), " (%d tries)" % tries if transient(exc) else "")
        else:
            message = "reading %s from %s failed: %s" % (what, where, exc)
        return NetboxFetchError(redact(message, self.token))

    # -- reading ----------------------------------------------------------------
    def request(self, path, filters):
        """A pynetbox Request for ``<api>/<path>/`` with ``filters`` and our paging."""
        kwargs = dict(base="%s/%s/" % (self.api.base_url, path), http_session=self.session,
                      filters=filters, limit=self.page_size, token=None)
        if self.cursor:
            kwargs["pagination"] = "cursor"
        return Request(**kwargs)

    def list(self, path, filters, fields):
        """Every object of ``path`` matching ``filters`` (all pages), as dicts."""
        filters = dict(filters)
        if self.fields and fields:
            filters["fields"] = ",".join(fields)
        try:
            rows = list(self.request(path, filters).get())
            if not self.raw:
                app, name = path.split("/", 1)
                endpoint = getattr(getattr(self.api, app), name.replace("-", "_"))
                rows = [dict(endpoint.return_obj(row, self.api, endpoint)) for row in rows]
        except Exception as exc:  # mapped to a message naming the cause
            if isinstance(exc, NetboxFetchError):
                raise
            raise self.error(path, exc) from None
        return rows

    def iterate(self, path, filters, fields, cap):
        """Up to ``cap`` + 1 objects of ``path`` matching ``filters``, page after page (one
        more than ``cap`` says there are more)."""
        filters = dict(filters)
        if self.fields and fields:
            filters["fields"] = ",".join(fields)
        rows = []
        try:
            for row in self.request(path, filters).get():
                rows.append(row)
                if len(rows) > cap:
                    break
        except Exception as exc:  # mapped to a message naming the cause
            if isinstance(exc, NetboxFetchError):
                raise
            raise self.error(path, exc) from None
        return rows

    def first(self, path, filters, fields):
        """The first object of one page of ``path`` (``filters`` order it), or None."""
        filters = dict(filters, limit=1)
        if self.fields and fields:
            filters["fields"] = ",".join(fields)
        url = "%s/%s/" % (self.api.base_url, path)
        try:
            response = self.session.get(url, params=filters)
            if not response.ok:
                raise RequestError(response)
            found = response.json().get("results") or []
        except Exception as exc:  # mapped to a message naming the cause
            if isinstance(exc, NetboxFetchError):
                raise
            raise self.error(path, exc) from None
        return found[0] if found else None

    def netbox_version(self):
        """NetBox's full version from its status (``4.7.3``): one request."""
        try:
            status = self.api.status()
        except Exception as exc:  # mapped to a message naming the cause
            raise self.error("status", exc) from None
        return status.get("netbox-version")

    def jobs(self, path, key, values, fields, extra=None):
        """``(path, filters, fields)`` for ``key`` in ``values``, in chunks that fit a
        request line; run them with ``run``."""
        extra = dict(extra or {})
        fixed = dict(extra, limit=self.page_size, offset=10 ** 7)
        if self.fields and fields:
            fixed["fields"] = ",".join(fields)
        fixed_len = len(self.session.api_path) + len(path) + len(urlencode(fixed)) + 16
        found = []
        for part in chunks(values, key, self.chunk_size, fixed_len):
            filters = dict(extra)
            filters[key] = part
            found.append((path, filters, fields))
        return found

    def run(self, jobs):
        """Every job's rows, in job order; up to ``workers`` chunks are read at once
        (pages within a chunk follow each other). The session's connection pool is
        shared by the threads, as pynetbox's own threading does."""
        if self.workers == 1 or len(jobs) < 2:
            return [self.list(*job) for job in jobs]
        with ThreadPoolExecutor(max_workers=min(self.workers, len(jobs))) as pool:
            futures = [pool.submit(self.list, *job) for job in jobs]
            return [future.result() for future in futures]

    def list_in(self, path, key, values, fields, extra=None):
        """``list`` for ``key`` in ``values``, all chunks, one list of rows."""
        return [row for rows in self.run(self.jobs(path, key, values, fields, extra)) for row in rows]

    def choose_pagination(self):
        """Cursor paging (``auto`` or ``cursor``) when NetBox is 4.6 or newer, else offset."""
        if self.pagination in ("auto", "cursor"):
            version = _version_tuple(self.session.api_version)
            self.cursor = bool(version and version >= (4, 6))

    def api_version(self):
        """The API-Version header seen, else NetBox's status (one more request); None
        when nothing was asked."""
        if self.session.api_version or not self.session.requests:
            return self.session.api_version
        try:
            status = self.api.status()
        except Exception as exc:  # mapped to a message naming the cause
            raise self.error("status", exc) from None
        return status.get("netbox-version")


def _reason(exc):
    """The innermost reason of a requests error, e.g. ``Connection refused``."""
    text = str(exc)
    for pattern in (r"\[Errno -?\d+\] ([^'\")]+)", r"(certificate verify failed[^'\")]*)",
                    r"(Name or service not known)", r"(Connection refused)"):
        found = re.search(pattern, text)
        if found:
            return found.group(1).strip()
    return text[:300]


def _netbox_error_text(response):
    try:
        body = response.json()
    except ValueError:
        body = (response.text or "").strip()
        return (body[:300] + "...") if len(body) > 300 else (body or response.reason or "")
    if isinstance(body, dict) and set(body) == {"detail"}:
        return str(body["detail"])
    return str(body)[:500]
