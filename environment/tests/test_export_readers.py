"""The readers' exports: executed notebooks with a static image in every figure output, PDFs
printed by headless Chromium (offline) with every figure's texts, the course PDF, and the checks
of all three failing where they should."""
import base64
import io
import json
import os
import shutil
import subprocess
import sys

import nbformat
import pytest
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
ENV = os.path.dirname(HERE)
sys.path.insert(0, ENV)

import pdf_export  # noqa: E402
import static_figures  # noqa: E402
from chromium import Chromium  # noqa: E402

pytestmark = pytest.mark.skipif(not (shutil.which("chromium") or shutil.which("chromium-browser")),
                                reason="needs Debian's chromium (environment/test installs it)")

SPEC = {"data": [{"type": "scatter", "mode": "lines+markers", "name": "rising", "x": [0, 1, 2, 3], "y": [1, 3, 2, 4],
                  "line": {"color": "#d62728", "width": 4}, "marker": {"color": "#d62728", "size": 10}}],
        "layout": {"title": {"text": "Alpha rising line"}, "xaxis": {"title": {"text": "beta steps"}},
                   "yaxis": {"title": {"text": "gamma height"}}, "width": 420, "height": 260}}


def figure_output(spec, png=None):
    data = {static_figures.PLOTLY_MIME: spec, "text/plain": "Figure"}
    if png is not None:
        data[static_figures.PNG] = base64.b64encode(png).decode()
    return nbformat.v4.new_output("execute_result", data=data, execution_count=1)


def png_bytes(image):
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture(scope="module")
def browser():
    with Chromium(window=(1280, 1024)) as b:
        yield b


def test_rendered_image_has_the_figure_size_and_shows_the_figure(browser):
    renderer = static_figures.Renderer(browser)
    try:
        png = renderer.png(SPEC)
    finally:
        renderer.close()
    image = Image.open(io.BytesIO(png)).convert("RGB")
    assert image.size == (420, 260)
    # the red line and markers (#d62728) are drawn: many pixels of that colour
    red = sum(n for n, (r, g, b) in image.getcolors(1 << 20) if abs(r - 0xd6) < 12 and abs(g - 0x27) < 12 and abs(b - 0x28) < 12)
    assert red > 500
    assert static_figures.image_problem(figure_output(SPEC, png)) is None


def test_missing_blank_and_wrongly_sized_images_fail():
    assert static_figures.image_problem(figure_output(SPEC)) == "no image/png static image"
    blank = png_bytes(Image.new("RGB", (420, 260), "white"))
    assert "blank" in static_figures.image_problem(figure_output(SPEC, blank))
    small = png_bytes(Image.new("RGB", (40, 26), "white"))
    assert static_figures.image_problem(figure_output(SPEC, small)) == "image/png is 40x26, the figure is 420x260"
    no_size = {"data": SPEC["data"], "layout": {}}  # plotly.js's default size applies
    assert "is 420x260, the figure is 700x450" in static_figures.image_problem(figure_output(no_size, png_bytes(
        Image.new("RGB", (420, 260), "white"))))


def page_with_figure(path, spec):
    plotly = static_figures.PLOTLY_JS
    path.write_text(f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>t</title>
<script src="file://{plotly}"></script></head><body><h1>A test page</h1><p>Some words before the figure.</p>
<div class="jp-OutputArea-child"><div id="f" class="latentvi-plot"></div></div>
<script>Plotly.newPlot('f', {json.dumps(spec['data'])}, {json.dumps(spec['layout'])});</script></body></html>""")
    return str(path)


def test_pdf_carries_the_figure_texts_and_the_course_pdf_its_outline(browser, tmp_path):
    pages = [page_with_figure(tmp_path / "one.html", SPEC), page_with_figure(tmp_path / "two.html", SPEC)]
    printed = list(pdf_export.print_pages(browser, pages))
    pdfs = [pdf for _, pdf, _, _ in printed]
    assert pdfs == [str(tmp_path / "one.pdf"), str(tmp_path / "two.pdf")]
    assert all(state["figures"] == state["drawn"] == 1 for _, _, state, _ in printed)
    problems, count = pdf_export.check_pdf(pdfs[0], ["Alpha rising line", "beta steps", "gamma height"])
    assert problems == [] and count == 1
    problems, _ = pdf_export.check_pdf(pdfs[0], ["delta never drawn"])
    assert problems == ["1 of 1 figure texts not found in the PDF, e.g. ['delta never drawn']"]
    titles = [state["title"] for _, _, state, _ in printed]
    assert titles == ["A test page", "A test page"]
    course = pdf_export.course_pdf(browser, pdfs, str(tmp_path / "course.pdf"), titles)
    assert pdf_export.check_course(course, titles, 3) == ([], 3)
    problems, _ = pdf_export.check_course(course, titles, 4)
    assert problems == ["3 pages, expected 4 (title page + the notebooks' pages)"]
    problems, _ = pdf_export.check_course(course, ["A test page", "Another title"], 3)
    assert problems == ["outline ['Contents', 'A test page', 'A test page'], expected ['Contents', 'A test page', 'Another title']"]


def test_page_whose_figure_does_not_draw_gets_no_pdf(browser, tmp_path):
    page = tmp_path / "broken.html"
    page.write_text('<!DOCTYPE html><html><body><div class="latentvi-plot"></div></body></html>')
    (_, pdf, state, _), = list(pdf_export.print_pages(ChromiumWithShortWait(browser), [str(page)]))
    assert pdf is None and state["figures"] == 1 and state["drawn"] == 0
    assert not (tmp_path / "broken.pdf").exists()


class ChromiumWithShortWait:
    """The same browser, giving up on undrawn figures after two seconds instead of minutes."""

    def __init__(self, browser):
        self.browser = browser

    def open(self, page):
        tab = self.browser.open(page)
        wait = tab.wait_until_drawn
        tab.wait_until_drawn = lambda timeout=2: wait(timeout=2)
        return tab


def test_executed_notebook_gets_static_images_from_one_execution(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "latentvi", "display_name": "Java (latentvi)", "language": "java"}
    nb.cells = [nbformat.v4.new_code_cell('Plots.line("Epsilon line", "x", "y", new double[] {0, 1, 2}, new double[] {1, 2, 0})')]
    source = tmp_path / "fig.ipynb"
    nbformat.write(nb, str(source))
    run = subprocess.run([sys.executable, os.path.join(ENV, "execute_notebook.py"), "--html-dir", str(tmp_path / "html"),
                          "--ipynb-dir", str(tmp_path / "ipynb"), str(source)], capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout + run.stderr
    executed = tmp_path / "ipynb" / "fig.ipynb"
    assert static_figures.check(str(executed)) == (1, [(0, "no image/png static image")])
    assert static_figures.main([str(tmp_path / "ipynb")]) == 0
    assert static_figures.check(str(executed)) == (1, [])
    out = nbformat.read(str(executed), as_version=4).cells[0].outputs[0]
    width, height = static_figures.figure_size(out.data[static_figures.PLOTLY_MIME])
    assert out.metadata[static_figures.PNG] == {"width": width, "height": height}
    assert pdf_export.main(["--no-course", str(tmp_path / "html" / "fig.html")]) == 0
    assert pdf_export.check_pdf(str(tmp_path / "html" / "fig.pdf"), ["Epsilon line"]) == ([], 1)
