"""Opens exported notebook pages in headless Chromium with the network cut off and checks that
every figure drew: each `latentvi-plot` div must have become a Plotly graph with an SVG
(`svg.main-svg`), and MathJax must have typeset the math. Keeps a screenshot of each page under
target/browser/.

    .venv/bin/python environment/browser_check.py exports/00-getting-started.html [more.html ...]
    .venv/bin/python environment/browser_check.py --pdf exports/*.html exports/homework/*.html

With --pdf, prints each page to PDF from the same load (environment/pdf_export.py, next to the
page) plus the course PDF, and checks every PDF: it opens, has pages, none is blank, and the
text of every figure's title and axis titles is in it (Plotly's SVG prints as vector text).

Every explorable figure (one with a slider, made by Plots.explore) is driven like a reader would
(environment/explorables.py): each slider clicked to its last and first step, the play button
pressed; the drawing must change each time. A page fails on any console error or uncaught
exception it logs.
"""
import argparse
import os
import re
import sys
import time

from chromium import Chromium
from explorables import check_explorables
from pdf_export import COURSE_PDF, check_course, check_pdf, course_pdf, print_pages

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHOTS = os.path.join(ROOT, "target", "browser")
# The title and the axis titles of every drawn figure, as plotly.js holds them.
FIGURE_TEXTS_JS = """(() => [...document.querySelectorAll('div.latentvi-plot')].map(gd => {
  const l = gd.layout || {}, text = t => (t && (typeof t === 'string' ? t : t.text)) || '';
  return [text(l.title), ...Object.keys(l).filter(k => /^[xy]axis\\d*$/.test(k)).map(k => text(l[k].title))]
    .filter(t => t && !t.includes('$') && !t.includes('<'));
}))()"""


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("pages", nargs="+", help="exported HTML pages")
    parser.add_argument("--pdf", action="store_true", help="also print every page (and the course) to PDF and check the PDFs")
    args = parser.parse_args(argv)
    os.makedirs(SHOTS, exist_ok=True)
    passed = failed = 0
    present = []
    for page in args.pages:
        if os.path.isfile(page):
            present.append(page)
        else:
            print(f"FAIL {page}: no such page")
            failed += 1
    found = {}

    def inspect(page, tab, state):
        shot = tab.screenshot(os.path.join(SHOTS, os.path.basename(page).replace(".html", ".png")))
        texts = tab.evaluate(FIGURE_TEXTS_JS) if state.get("figures") else []
        explorables, explore_problems = check_explorables(tab) if state.get("figures") else (0, [])
        found[page] = (shot, texts, explorables, explore_problems, tab.console_errors())

    start = time.time()
    pdfs = []
    with Chromium() as browser:
        if args.pdf:
            loads = print_pages(browser, present, on_drawn=inspect)
        else:
            loads = ((p, None, *waited(browser, p, inspect)) for p in present)
        for page, pdf, state, secs in loads:
            with open(page, encoding="utf-8") as f:
                source = f.read()
            expected = len(re.findall(r'class="latentvi-plot"', source))
            has_math = "jp-MarkdownCell" in source and "$" in source
            shot, texts, explorables, explore_problems, errors = found.get(page, (None, [], 0, [], []))
            figures, drawn, formulas = state.get("figures", 0), state.get("drawn", 0), state.get("formulas", 0)
            problems = []
            if figures != expected or drawn != expected:
                problems.append(f"{drawn} of {expected} figures drew an svg.main-svg offline ({figures} containers in the DOM)")
            if has_math and formulas == 0:
                problems.append("no formula was typeset by MathJax")
            problems += explore_problems
            if errors:
                problems.append(f"{len(errors)} console error(s), first: {errors[0]}")
            note = f", {explorables} explorable(s) driven (sliders to both ends, play)" if explorables else ""
            if args.pdf and pdf:
                pdf_problems, pages = check_pdf(pdf, [t for figure in texts for t in figure])
                problems += [f"PDF: {p}" for p in pdf_problems]
                note += f", PDF {pages} pages {os.path.getsize(pdf) / 1e6:.1f} MB with every figure's texts"
                pdfs.append((pdf, state.get("title"), pages))
            elif args.pdf:
                problems.append("no PDF printed")
            if problems:
                print(f"FAIL {page}: " + "; ".join(problems), flush=True)
                failed += 1
            else:
                figs = f"{drawn}/{expected} figures drawn" if expected else "no figures"
                print(f"OK   {page}: {figs}, {formulas} formulas typeset, offline{note} "
                      f"({secs:.0f} s, screenshot {os.path.relpath(shot, ROOT)})", flush=True)
                passed += 1
        if args.pdf and pdfs and not failed:
            target = os.path.join(os.path.dirname(os.path.abspath(present[0])), COURSE_PDF)
            course_pdf(browser, [p for p, _, _ in pdfs], target, [t for _, t, _ in pdfs])
            want = 1 + sum(n for _, _, n in pdfs)
            problems, pages = check_course(target, [t for _, t, _ in pdfs], want)
            if problems:
                print(f"FAIL {target}: " + "; ".join(problems), flush=True)
                failed += 1
            else:
                print(f"OK   {target}: {pages} pages (a title page and the {len(pdfs)} notebooks, each in the outline), "
                      f"{os.path.getsize(target) / 1e6:.1f} MB", flush=True)
                passed += 1
    print(f"browser: {passed} passed, {failed} failed ({time.time() - start:.0f} s)")
    return 1 if failed else 0


def waited(browser, page, inspect):
    """(state, seconds) of one page opened, drawn and inspected, without printing."""
    start = time.time()
    tab = browser.open(page)
    try:
        state = tab.wait_until_drawn()
        inspect(page, tab, state)
    finally:
        tab.close()
    return state, time.time() - start


if __name__ == "__main__":
    sys.exit(main())
