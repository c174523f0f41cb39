"""Opens exported notebook pages in headless Chromium with the network cut off and checks that
every figure drew: each `latentvi-plot` div must have become a Plotly graph with an SVG
(`svg.main-svg`). Keeps a screenshot of each page under target/browser/.

    .venv/bin/python environment/browser_check.py exports/00-getting-started.html [more.html ...]
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile
from html.parser import HTMLParser

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHOTS = os.path.join(ROOT, "target", "browser")
# No network at all: every host resolves to nothing and every request goes to a dead proxy.
OFFLINE = ["--proxy-server=127.0.0.1:9", "--host-resolver-rules=MAP * ~NOTFOUND", "--proxy-bypass-list=<-loopback>"]
QUIET = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync", "--hide-scrollbars"]


def chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    sys.exit("error: Chromium not found: environment/test installs Debian's `chromium` package (apt-get install chromium)")


class PlotCounter(HTMLParser):
    """Counts latentvi figure containers and how many of them hold a drawn Plotly SVG."""

    def __init__(self):
        super().__init__()
        self.stack = []  # (tag, is_plot_container)
        self.figures = 0
        self.drawn = 0
        self._current_has_svg = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        classes = (a.get("class") or "").split()
        is_plot = tag == "div" and "latentvi-plot" in classes
        if is_plot:
            self.figures += 1
            self._current_has_svg.append(False)
        if tag == "svg" and "main-svg" in classes and self._current_has_svg:
            self._current_has_svg[-1] = True
        if tag not in ("br", "img", "input", "meta", "link", "hr", "path", "rect", "line", "circle", "stop", "use"):
            self.stack.append((tag, is_plot))

    def handle_endtag(self, tag):
        while self.stack:
            t, is_plot = self.stack.pop()
            if is_plot:
                if self._current_has_svg.pop():
                    self.drawn += 1
            if t == tag:
                break


def check(page, browser):
    url = "file://" + os.path.abspath(page)
    with tempfile.TemporaryDirectory() as profile:
        common = [browser, *QUIET, *OFFLINE, f"--user-data-dir={profile}", "--virtual-time-budget=20000"]
        dom = subprocess.run([*common, "--dump-dom", url], capture_output=True, text=True, timeout=180).stdout
        os.makedirs(SHOTS, exist_ok=True)
        shot = os.path.join(SHOTS, os.path.basename(page).replace(".html", ".png"))
        subprocess.run([*common, f"--screenshot={shot}", "--window-size=1280,8000", url],
                       capture_output=True, text=True, timeout=180)
    counter = PlotCounter()
    counter.feed(dom)
    return counter.figures, counter.drawn, dom.count("<mjx-container"), shot


def main(pages):
    if not pages:
        sys.exit("usage: browser_check.py PAGE.html [PAGE.html ...]")
    browser = chromium()
    passed = failed = 0
    for page in pages:
        if not os.path.isfile(page):
            print(f"FAIL {page}: no such page")
            failed += 1
            continue
        with open(page, encoding="utf-8") as f:
            source = f.read()
        expected = len(re.findall(r'class="latentvi-plot"', source))
        has_math = "jp-MarkdownCell" in source and "$" in source
        figures, drawn, formulas, shot = check(page, browser)
        problems = []
        if figures != expected or drawn != expected:
            problems.append(f"{drawn} of {expected} figures drew an svg.main-svg offline ({figures} containers in the DOM)")
        if has_math and formulas == 0:
            problems.append("no formula was typeset by MathJax")
        if problems:
            print(f"FAIL {page}: " + "; ".join(problems))
            failed += 1
        else:
            figs = f"{drawn}/{expected} figures drawn" if expected else "no figures"
            print(f"OK   {page}: {figs}, {formulas} formulas typeset, offline (screenshot {os.path.relpath(shot, ROOT)})")
            passed += 1
    print(f"browser: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
