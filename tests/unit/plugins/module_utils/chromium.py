"""Headless Chromium for the report page tests (unit and integration): the DOM after the
page's scripts ran (``dump``, ``--dump-dom``), with scripts blocked (``scripts=False``), and
a page driven over the DevTools pipe (``DevTools``). ``BROWSER`` is None when no Chromium
binary is found (``apt-get install chromium``, or ``CHROMIUM`` set to a binary)."""

import fcntl
import html.parser
import json
import os
import select
import shutil
import subprocess
import time

import pytest

TIMEOUT = 90


def chromium():
    for name in (os.environ.get("CHROMIUM"), "chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = name and shutil.which(name)
        if found:
            return found
    return None


BROWSER = chromium()


def browser_args(tmp_path, scripts=True, size="1400,1000"):
    args = [BROWSER, "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--hide-scrollbars",
            "--user-data-dir=%s" % (tmp_path / "profile"), "--window-size=%s" % size]
    return args + ([] if scripts else ["--blink-settings=scriptEnabled=false"])


class Node:
    def __init__(self, tag, attrs, parent):
        self.tag, self.attrs, self.parent, self.children = tag, dict(attrs), parent, []

    def text(self):
        return "".join(child if isinstance(child, str) else child.text() for child in self.children)

    def walk(self):
        for child in self.children:
            if isinstance(child, Node):
                yield child
                yield from child.walk()

    def find(self, tag, **attrs):
        return [node for node in self.walk()
                if node.tag == tag and all(node.attrs.get(k) == v for k, v in attrs.items())]


class Dom(html.parser.HTMLParser):
    """The dumped DOM as a small tree."""
    VOID = {"meta", "link", "input", "br", "img", "hr", "col", "source", "wbr", "area", "base", "embed"}

    def __init__(self, text):
        super().__init__(convert_charrefs=True)
        self.root = self.node = Node("#document", {}, None)
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        node = Node(tag, attrs, self.node)
        self.node.children.append(node)
        if tag not in self.VOID:
            self.node = node

    def handle_endtag(self, tag):
        node = self.node
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.node = node.parent

    def handle_data(self, data):
        self.node.children.append(data)


def dump_dom(tmp_path, url, scripts=True):
    """The page's DOM as the browser has it once loaded (scripts ran, unless blocked:
    then the page is loaded with script execution disabled over DevTools, since
    ``--dump-dom`` itself needs scripts)."""
    if not scripts:
        return Dom(DevTools.without_scripts(tmp_path, url)).root, ""
    done = subprocess.run(browser_args(tmp_path, scripts) + ["--dump-dom", url], capture_output=True, text=True,
                          timeout=TIMEOUT, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return Dom(done.stdout).root, done.stderr


class DevTools:
    """The Chrome DevTools protocol over --remote-debugging-pipe (fd 3 in, fd 4 out)."""

    def __init__(self, tmp_path, url):
        browser_in, self.write_fd = os.pipe()
        self.read_fd, browser_out = os.pipe()
        # the browser's ends on fds >= 10, so that moving them to 3 and 4 clobbers nothing
        # (bash, not dash: dash reads only one-digit fd numbers in a redirection)
        child_in, child_out = (fcntl.fcntl(fd, fcntl.F_DUPFD, 10) for fd in (browser_in, browser_out))
        os.close(browser_in)
        os.close(browser_out)
        place = 'exec "$@" 3<&%d 4>&%d %d<&- %d>&-' % (child_in, child_out, child_in, child_out)
        self.proc = subprocess.Popen(  # pylint: disable=consider-using-with
            [shutil.which("bash") or "/bin/bash", "-c", place, "bash"]
            + browser_args(tmp_path) + ["--remote-debugging-pipe", url],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            pass_fds=(child_in, child_out))
        os.close(child_in)
        os.close(child_out)
        self.buffer, self.next_id, self.session = b"", 0, None

    def call(self, method, deadline=30, **params):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params}
        if self.session:
            message["sessionId"] = self.session
        os.write(self.write_fd, json.dumps(message).encode() + b"\0")
        end = time.monotonic() + deadline
        while True:
            while b"\0" in self.buffer:
                raw, self.buffer = self.buffer.split(b"\0", 1)
                reply = json.loads(raw)
                if reply.get("id") == self.next_id:
                    assert "error" not in reply, reply
                    return reply["result"]
            ready = select.select([self.read_fd], [], [], max(0.0, end - time.monotonic()))[0]
            chunk = os.read(self.read_fd, 65536) if ready else b""
            assert chunk, "no answer to %s" % method
            self.buffer += chunk

    def attach(self, prefix="file:"):
        for attempt in range(100):
            pages = [target for target in self.call("Target.getTargets")["targetInfos"]
                     if target["type"] == "page" and target["url"].startswith(prefix)]
            if pages:
                attached = self.call("Target.attachToTarget", targetId=pages[0]["targetId"], flatten=True)
                self.session = attached["sessionId"]
                return
            time.sleep(0.1 * (attempt > 0))
        pytest.fail("no page target")

    def js(self, expression):
        result = self.call("Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True)
        assert "exceptionDetails" not in result, result
        return result["result"].get("value")

    def close(self):
        try:
            self.session = None
            self.call("Browser.close", deadline=10)
        except (AssertionError, OSError):
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self.write_fd)
        os.close(self.read_fd)

    @classmethod
    def without_scripts(cls, tmp_path, url):
        """The HTML of ``url`` loaded with JavaScript disabled (DOM domain, no script run)."""
        tools = cls(tmp_path, "about:blank")
        try:
            tools.attach("about:")
            tools.call("Emulation.setScriptExecutionDisabled", value=True)
            tools.call("Page.enable")
            tools.call("Page.navigate", url=url)
            for attempt in range(150):
                try:
                    root = tools.call("DOM.getDocument", depth=-1)["root"]
                    text = tools.call("DOM.getOuterHTML", nodeId=root["nodeId"])["outerHTML"]
                except AssertionError:  # the document changed between the two calls
                    continue
                if root.get("documentURL", "").startswith("file:") and 'id="report-data"' in text:
                    return text  # the last element of a report page: it is all parsed
                time.sleep(0.1 if attempt else 0.3)
            pytest.fail("the page did not load: %s" % url)
        finally:
            tools.close()

    def viewport(self, width=1400, height=1000):
        """A fixed viewport, as a screen of that size shows the page."""
        self.call("Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1,
                  mobile=False)

    def wait_ready(self, attribute="data-ready"):
        for attempt in range(100):
            if self.js('document.readyState === "complete" && document.documentElement.getAttribute("%s")'
                       % attribute) == "true":
                return
            time.sleep(0.1 * (attempt > 0))
        pytest.fail("the page's script did not finish (%s)" % attribute)
