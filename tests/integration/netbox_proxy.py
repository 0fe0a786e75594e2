"""A reverse proxy on loopback in front of a lab NetBox, for the fault tests: it answers
502 once, holds every request unanswered, or passes them on (and records them)."""

import http.client
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit


class Proxy(object):
    """A reverse proxy on loopback in front of the lab's NetBox: ``fail_once`` answers 502
    to the first request whose path starts with it; ``hang`` holds every request unanswered."""

    def __init__(self, upstream):
        self.upstream = urlsplit(upstream)
        self.fail_once, self.hang, self.seen = None, threading.Event(), []
        self.release = threading.Event()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def forward(self):
                proxy.seen.append((self.command, self.path))
                if proxy.hang.is_set():
                    proxy.release.wait(120)
                    return
                if proxy.fail_once and self.path.startswith(proxy.fail_once):
                    proxy.fail_once = None
                    self.send_response(502)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                conn = http.client.HTTPConnection(proxy.upstream.hostname, proxy.upstream.port, timeout=120)
                headers = dict((k, v) for k, v in self.headers.items() if k.lower() not in ("connection",))
                conn.request(self.command, self.path, body=body or None, headers=headers)
                answer = conn.getresponse()
                data = answer.read()
                self.send_response(answer.status)
                for key, value in answer.getheaders():
                    if key.lower() not in ("connection", "transfer-encoding", "content-length"):
                        self.send_header(key, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
                conn.close()

            do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = forward

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = "http://127.0.0.1:%d" % self.server.server_address[1]

    def __enter__(self):
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.release.set()
        self.server.shutdown()
        self.server.server_close()
