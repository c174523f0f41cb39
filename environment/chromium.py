"""Debian's Chromium, headless and offline, driven over the DevTools protocol (on a pipe, so no
port is opened): one implementation for everything that needs a browser — the browser check of
the exported pages, the PDFs (environment/pdf_export.py) and the static figure images of the
executed notebooks (environment/static_figures.py).

    with Chromium() as browser:
        tab = browser.open("exports/01-latent-variable-models.html")
        state = tab.wait_until_drawn()     # every latentvi-plot has its SVG, MathJax has typeset
        pdf = tab.print_pdf()              # bytes
"""
import base64
import fcntl
import json
import os
import select
import shutil
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# No network at all: every host resolves to nothing and every request goes to a dead proxy.
OFFLINE = ["--proxy-server=127.0.0.1:9", "--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-bypass-list=<-loopback>"]
QUIET = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars",
         "--disable-dev-shm-usage", "--allow-file-access-from-files"]
LOAD_TIMEOUT = float(os.environ.get("LATENTVI_BROWSER_TIMEOUT", "240"))

# What a page has drawn so far: figure containers, those holding a Plotly SVG, typeset formulas,
# whether MathJax has finished (true on a page without MathJax).
STATE_JS = """(() => {
  const plots = [...document.querySelectorAll('div.latentvi-plot')];
  const mj = window.MathJax;
  return {ready: document.readyState === 'complete',
          figures: plots.length,
          drawn: plots.filter(p => p.querySelector('svg.main-svg')).length,
          formulas: document.querySelectorAll('mjx-container').length,
          mathDone: !mj || !mj.startup || window.__latentviMathDone === true};
})()"""
MATH_DONE_JS = """(window.MathJax && MathJax.startup && MathJax.startup.promise
  ? MathJax.startup.promise.then(() => { window.__latentviMathDone = true; return true; })
  : true)"""


def executable():
    """Path of the Chromium binary; exits with a clear message when there is none."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    sys.exit("error: Chromium not found: environment/test installs Debian's `chromium` package (apt-get install chromium)")


class BrowserError(RuntimeError):
    pass


class Chromium:
    """One headless Chromium process, network cut off, talking DevTools JSON over fds 3 and 4."""

    def __init__(self, window=(1280, 8000)):
        self.profile = tempfile.TemporaryDirectory(prefix="latentvi-chromium-")
        to_browser_r, to_browser_w = os.pipe()
        from_browser_r, from_browser_w = os.pipe()
        # keep the pipe ends above 4 so placing them on 3 and 4 in the child cannot clobber each other
        ends = [fcntl.fcntl(fd, fcntl.F_DUPFD, 10) for fd in (to_browser_r, from_browser_w)]
        for fd in (to_browser_r, from_browser_w):
            os.close(fd)

        def on_fds_3_and_4():
            os.dup2(ends[0], 3)
            os.dup2(ends[1], 4)

        args = [executable(), *QUIET, *OFFLINE, "--remote-debugging-pipe", f"--user-data-dir={self.profile.name}",
                f"--window-size={window[0]},{window[1]}", "about:blank"]
        self.log = open(os.path.join(self.profile.name, "chromium.log"), "w")
        self.proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=self.log, stderr=self.log,
                                     preexec_fn=on_fds_3_and_4, close_fds=False)
        for fd in ends:
            os.close(fd)
        self.out = os.fdopen(to_browser_w, "wb", buffering=0)
        self.inp = os.fdopen(from_browser_r, "rb", buffering=0)
        self.buffer = b""
        self.next_id = 0
        self.errors = {}  # session id -> console errors and uncaught exceptions of that tab's page

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        if self.proc.poll() is None:
            try:
                self.send("Browser.close", timeout=10)
            except Exception:
                pass
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.out.close()
        self.inp.close()
        self.log.close()
        self.profile.cleanup()

    def _read_message(self, deadline):
        while b"\0" not in self.buffer:
            if not select.select([self.inp], [], [], max(0.0, deadline - time.time()))[0]:
                raise BrowserError("Chromium did not answer in time")
            chunk = self.inp.read(1 << 20)
            if not chunk:
                raise BrowserError(f"Chromium exited (code {self.proc.poll()}); see its log")
            self.buffer += chunk
        message, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(message)

    def send(self, method, params=None, session=None, timeout=LOAD_TIMEOUT):
        """Sends one DevTools command and returns its result (events meanwhile are dropped)."""
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            message["sessionId"] = session
        self.out.write(json.dumps(message).encode() + b"\0")
        deadline = time.time() + timeout
        while True:
            reply = self._read_message(deadline)
            self._note_error(reply)
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise BrowserError(f"{method}: {reply['error'].get('message')}")
                return reply.get("result", {})

    def _note_error(self, event):
        """Keeps the page's console errors and uncaught exceptions (other events are dropped)."""
        method, params = event.get("method"), event.get("params", {})
        if method == "Runtime.exceptionThrown":
            details = params.get("exceptionDetails", {})
            text = details.get("exception", {}).get("description") or details.get("text", "exception")
        elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            text = " ".join(str(a.get("value", a.get("description", ""))) for a in params.get("args", []))
        else:
            return
        self.errors.setdefault(event.get("sessionId"), []).append(text[:300])

    def open(self, page):
        """A new tab showing `page` (a file path or URL), loaded (not necessarily drawn)."""
        url = page if "://" in page or page == "about:blank" else "file://" + os.path.abspath(page)
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
        tab = Tab(self, target, session)
        tab.call("Page.enable")
        tab.call("Runtime.enable")  # console errors and uncaught exceptions: tab.console_errors()
        tab.call("Page.navigate", {"url": url})
        return tab


class Tab:
    def __init__(self, browser, target, session):
        self.browser, self.target, self.session = browser, target, session

    def call(self, method, params=None, timeout=LOAD_TIMEOUT):
        return self.browser.send(method, params, session=self.session, timeout=timeout)

    def evaluate(self, expression, await_promise=False):
        """The JSON value of a JavaScript expression in the page; a thrown error raises BrowserError."""
        reply = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True,
                                               "awaitPromise": await_promise})
        if "exceptionDetails" in reply:
            details = reply["exceptionDetails"]
            text = details.get("exception", {}).get("description") or details.get("text")
            raise BrowserError(f"JavaScript error: {text}")
        return reply["result"].get("value")

    def state(self):
        return self.evaluate(STATE_JS)

    def console_errors(self):
        """The console errors and uncaught exceptions the page has logged so far (texts)."""
        self.evaluate("0")  # reads the events that arrived meanwhile
        return list(self.browser.errors.get(self.session, []))

    def click(self, x, y, hold=0.15):
        """A left mouse click at (x, y) CSS px of the viewport, as a user's: the button is held for
        `hold` seconds (an instant release can beat plotly.js's redraw of a slider it just moved,
        leaving the slider "dragged" and deaf to the animation)."""
        self.call("Input.dispatchMouseEvent", {"type": "mouseMoved", "x": x, "y": y})
        self.call("Input.dispatchMouseEvent", {"type": "mousePressed", "x": x, "y": y, "button": "left", "clickCount": 1})
        time.sleep(hold)
        self.call("Input.dispatchMouseEvent", {"type": "mouseReleased", "x": x, "y": y, "button": "left", "clickCount": 1})

    def wait_until_drawn(self, timeout=LOAD_TIMEOUT):
        """Waits until the page has loaded, every figure has drawn its SVG and MathJax has finished;
        returns the last state (dict: figures, drawn, formulas, ...) even on a timeout."""
        deadline = time.time() + timeout
        state = {}
        while time.time() < deadline:
            try:
                state = self.state()
            except BrowserError:  # navigation still replacing the document
                state = {}
            if state.get("ready"):
                if not state.get("mathDone"):
                    self.evaluate(MATH_DONE_JS, await_promise=True)
                    continue
                if state["drawn"] >= state["figures"]:
                    return state
            time.sleep(0.25)
        return state

    def close(self):
        self.browser.send("Target.closeTarget", {"targetId": self.target})

    def screenshot(self, path):
        data = self.call("Page.captureScreenshot", {"format": "png"})["data"]
        with open(path, "wb") as f:
            f.write(base64.b64decode(data))
        return path
