"""Prints exported notebook pages to PDF with Debian's Chromium (headless, offline), one PDF next
to each page, plus the course in one PDF (a title page with the contents, then every notebook,
with an outline). Waits until every Plotly figure has drawn and MathJax has typeset; figures stay
vector (Plotly's SVG), no figure output is cut across a page break (print CSS injected at print
time), pages are scaled so the widest figure fits A4.

    .venv/bin/python environment/pdf_export.py exports/*.html exports/homework/*.html
    .venv/bin/python environment/pdf_export.py --course exports/latentvi-course.pdf exports/*.html ...

environment/export --pdf calls this; environment/browser_check.py --pdf prints through the same
function while it checks the pages, then checks the PDFs (check_pdf).
"""
import argparse
import base64
import html
import io
import os
import re
import sys
import tempfile
import time

from chromium import BrowserError, Chromium

A4 = (8.27, 11.69)  # inches
MARGIN = 0.45  # inches on every side; the footer (page numbers) sits in the bottom one
CSS_PX_PER_INCH = 96
COURSE_TITLE = "latentvi — CS 285 Lecture 18: Variational Inference and Generative Models"
COURSE_PDF = "latentvi-course.pdf"

PRINT_CSS = """
@media print {
  body { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  .jp-OutputArea-child, .latentvi-plot, .jp-RenderedImage, .jp-RenderedHTMLCommon table,
  mjx-container[display="true"], .jp-InputArea { break-inside: avoid; page-break-inside: avoid; }
  h1, h2, h3, h4 { break-after: avoid; page-break-after: avoid; }
  pre { white-space: pre-wrap; overflow-wrap: anywhere; }
  .jp-OutputArea-output { overflow: visible !important; }
  .modebar-container { display: none !important; }
}
"""
INJECT_CSS_JS = "(() => { const s = document.createElement('style'); s.textContent = %s; document.head.appendChild(s); return true; })()"
# Right edge (CSS px) of the widest fixed-size thing on the page: figures, tables, images.
CONTENT_WIDTH_JS = """(() => {
  let right = 0;
  for (const el of document.querySelectorAll('div.latentvi-plot, .jp-RenderedHTMLCommon table, .jp-RenderedImage img'))
    right = Math.max(right, el.getBoundingClientRect().right + window.scrollX);
  return right;
})()"""
TITLE_JS = """(() => { const h = document.querySelector('h1');
  if (h) document.title = h.textContent.replace(/\u00b6/g, '').replace(/\\s+/g, ' ').trim(); return document.title; })()"""
FOOTER = ('<div style="font-size:7px;width:100%;text-align:center;color:#666;font-family:sans-serif">'
          '<span class="title"></span> · <span class="pageNumber"></span> / <span class="totalPages"></span></div>')


def print_tab(tab):
    """PDF bytes of a loaded, drawn tab: A4, print CSS, scaled so the widest figure fits."""
    import json
    tab.evaluate(INJECT_CSS_JS % json.dumps(PRINT_CSS))
    tab.evaluate(TITLE_JS)  # the footer names the notebook
    printable = (A4[0] - 2 * MARGIN) * CSS_PX_PER_INCH
    needed = (tab.evaluate(CONTENT_WIDTH_JS) or 0) + 16
    scale = round(max(0.5, min(1.0, printable / needed)), 3)
    params = {"paperWidth": A4[0], "paperHeight": A4[1], "marginTop": MARGIN, "marginBottom": MARGIN,
              "marginLeft": MARGIN, "marginRight": MARGIN, "scale": scale, "printBackground": True,
              "displayHeaderFooter": True, "headerTemplate": "<span></span>", "footerTemplate": FOOTER,
              "generateDocumentOutline": True}
    try:
        data = tab.call("Page.printToPDF", params)["data"]
    except BrowserError:  # an older Chromium without outlines
        params.pop("generateDocumentOutline")
        data = tab.call("Page.printToPDF", params)["data"]
    return base64.b64decode(data)


def pdf_path(page):
    return page[:-len(".html")] + ".pdf" if page.endswith(".html") else page + ".pdf"


def print_pages(browser, pages, on_drawn=None):
    """Opens each page, waits until drawn, calls on_drawn(page, tab, state) if given, prints it next
    to the page; yields (page, pdf path or None, state, seconds)."""
    for page in pages:
        start = time.time()
        tab = browser.open(page)
        try:
            state = tab.wait_until_drawn()
            if on_drawn:
                on_drawn(page, tab, state)
            target = pdf_path(page)
            if state.get("drawn", -1) < state.get("figures", 0):
                target = None  # not every figure drew: no PDF that silently lacks one
            else:
                write_atomically(target, print_tab(tab))
                state["title"] = tab.evaluate("document.title")
        finally:
            tab.close()
        yield page, target, state, time.time() - start


def write_atomically(path, data):
    with open(path + ".tmp", "wb") as f:
        f.write(data)
    os.replace(path + ".tmp", path)


def notebook_title(pdf):
    """The notebook's own title: its first level-one heading in the PDF outline, else its file name."""
    from pypdf import PdfReader
    reader = PdfReader(pdf)
    for item in reader.outline:
        if not isinstance(item, list) and item.title.strip():
            return re.sub(r"\s*¶$", "", item.title.strip())
    return os.path.splitext(os.path.basename(pdf))[0]


def course_pdf(browser, pdfs, target, titles=None, title=COURSE_TITLE):
    """One PDF: a title page listing the notebooks with their first pages, then each notebook's PDF,
    with an outline entry per notebook (titles, default: each PDF's first heading) and its sections below."""
    from pypdf import PdfReader, PdfWriter
    readers = [PdfReader(pdf) for pdf in pdfs]
    titles = list(titles) if titles else [notebook_title(pdf) for pdf in pdfs]
    first, rows = 2, []
    for reader, name in zip(readers, titles):
        rows.append(f"<tr><td>{html.escape(name)}</td><td class=p>{first}</td></tr>")
        first += len(reader.pages)
    page = f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{html.escape(title)}</title>
<style>body{{font-family:sans-serif;margin:3em 2em}} h1{{font-size:26px;margin-bottom:.2em}}
table{{border-collapse:collapse;width:100%;margin-top:2em}} td{{padding:.35em 0;border-bottom:1px solid #ddd}}
td.p{{text-align:right}}</style></head><body><h1>{html.escape(title)}</h1>
<p>The lecture notebooks and the homework solutions, executed. Interactive versions: the HTML pages beside this PDF.</p>
<table>{''.join(rows)}</table></body></html>"""
    with tempfile.NamedTemporaryFile("w", suffix=".html", delete=False, encoding="utf-8") as f:
        f.write(page)
    try:
        tab = browser.open(f.name)
        try:
            tab.wait_until_drawn()
            cover = base64.b64decode(tab.call("Page.printToPDF", {
                "paperWidth": A4[0], "paperHeight": A4[1], "marginTop": MARGIN, "marginBottom": MARGIN,
                "marginLeft": MARGIN, "marginRight": MARGIN, "printBackground": True})["data"])
        finally:
            tab.close()
    finally:
        os.unlink(f.name)
    writer = PdfWriter()
    writer.append(io.BytesIO(cover), import_outline=False)
    writer.add_outline_item(title="Contents", page_number=0)
    offset = 1
    for reader, name in zip(readers, titles):
        writer.append(reader, import_outline=False)
        top = writer.add_outline_item(title=name, page_number=offset)
        for section in sections(reader):  # the notebook's own sections, under its title
            writer.add_outline_item(title=section.title, page_number=offset + reader.get_destination_page_number(section), parent=top)
        offset += len(reader.pages)
    writer.add_metadata({"/Title": title})
    buffer = io.BytesIO()
    writer.write(buffer)
    write_atomically(target, buffer.getvalue())
    return target


def sections(reader):
    """The second-level outline entries of a notebook PDF (the headings below its one title), or its
    top-level ones when it has several."""
    top = list(reader.outline)
    if len(top) == 2 and not isinstance(top[0], list) and isinstance(top[1], list):
        top = top[1]
    return [item for item in top if not isinstance(item, list)]


def link_in_index(index, pdfs, titles, course):
    """Adds (or replaces) a list of the PDFs under the pages in the export's index.html."""
    if not os.path.isfile(index):
        return
    base = os.path.dirname(index)
    rel = lambda p: html.escape(os.path.relpath(p, base))
    items = "".join(f'<li><a href="{rel(p)}">{html.escape(t)}</a></li>' for p, t in zip(pdfs, titles))
    block = (f'<!-- pdfs --><h2>PDF</h2><p><a href="{rel(course)}">The whole course</a> '
             f'(title page, contents, outline) or one notebook:</p><ul>{items}</ul><!-- /pdfs -->')
    with open(index, encoding="utf-8") as f:
        page = f.read()
    page = re.sub(r"<!-- pdfs -->.*?<!-- /pdfs -->", "", page, flags=re.S)
    write_atomically(index, page.replace("</body>", block + "</body>").encode("utf-8"))


def squeezed(text):
    return re.sub(r"\s+", "", text or "")


def check_pdf(pdf, expected_texts, min_pages=1):
    """Problems with one PDF (empty list when fine): it opens, has pages, none blank, and its text
    contains every expected text (figure titles, axis titles) with whitespace ignored."""
    from pypdf import PdfReader
    problems = []
    try:
        reader = PdfReader(pdf)
        pages = reader.pages
        texts = [p.extract_text() or "" for p in pages]
    except Exception as e:  # a broken file
        return [f"{pdf} does not open: {e}"], 0
    if len(pages) < min_pages:
        problems.append(f"{len(pages)} pages, expected at least {min_pages}")
    blank = [i + 1 for i, (p, t) in enumerate(zip(pages, texts)) if not squeezed(t) and not page_has_drawing(p)]
    if blank:
        problems.append(f"blank pages {blank}")
    everything = squeezed("".join(texts))
    missing = [t for t in expected_texts if squeezed(t) and squeezed(t) not in everything]
    if missing:
        problems.append(f"{len(missing)} of {len(expected_texts)} figure texts not found in the PDF, e.g. {missing[:3]}")
    return problems, len(pages)


def check_course(course, titles, want_pages):
    """Problems with the course PDF: its page count is the title page plus every notebook's pages,
    its outline has the contents and one entry per notebook (by its title), in order."""
    from pypdf import PdfReader
    try:
        reader = PdfReader(course)
        pages = len(reader.pages)
        top = [item.title for item in reader.outline if not isinstance(item, list)]
    except Exception as e:
        return [f"{course} does not open: {e}"], 0
    problems = []
    if pages != want_pages:
        problems.append(f"{pages} pages, expected {want_pages} (title page + the notebooks' pages)")
    want = ["Contents"] + list(titles)
    if top != want:
        problems.append(f"outline {top}, expected {want}")
    first = reader.pages[0].extract_text() or ""
    if COURSE_TITLE.split(" — ")[0] not in first:
        problems.append("the title page does not carry the course title")
    return problems, pages


def page_has_drawing(page):
    contents = page.get_contents()
    return contents is not None and len(contents.get_data()) > 200


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("pages", nargs="+", help="exported HTML pages; each PDF goes next to its page")
    parser.add_argument("--course", help=f"also write the whole course in one PDF here (default: {COURSE_PDF} beside the first page's index)")
    parser.add_argument("--no-course", action="store_true", help="only the per-notebook PDFs")
    args = parser.parse_args(argv)
    start = time.time()
    pdfs, titles, failed = [], [], 0
    with Chromium() as browser:
        for page, pdf, state, secs in print_pages(browser, args.pages):
            if pdf:
                pdfs.append(pdf)
                titles.append(state["title"])
                print(f"PDF  {os.path.relpath(pdf)} ({os.path.getsize(pdf) / 1e6:.1f} MB, {secs:.0f} s)", flush=True)
            else:
                failed += 1
                print(f"FAIL {page}: {state.get('drawn')} of {state.get('figures')} figures drew; no PDF", flush=True)
        if pdfs and not args.no_course:
            target = args.course or os.path.join(os.path.dirname(os.path.abspath(args.pages[0])), COURSE_PDF)
            course_pdf(browser, pdfs, target, titles)
            link_in_index(os.path.join(os.path.dirname(target), "index.html"), pdfs, titles, target)
            print(f"PDF  {os.path.relpath(target)} ({os.path.getsize(target) / 1e6:.1f} MB, the course)", flush=True)
    print(f"pdf: {len(pdfs)} written, {failed} failed in {time.time() - start:.0f} s", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
