"""Explorable figures (Plots.explore) end to end: a small notebook made here is executed with the
latentvi kernel and exported; its figure output must carry the Plotly frames and the slider in
the JSON JupyterLab renders, the exported page must pass the reader's drive in headless Chromium
(slider to both ends, play, pause: the drawing changes, no console error), and the static image
of the export must be frame 0."""
import base64
import io
import json
import os
import shutil
import subprocess
import sys

import nbformat
import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
ENV = os.path.dirname(HERE)
sys.path.insert(0, ENV)

import static_figures  # noqa: E402
from chromium import Chromium  # noqa: E402
from explorables import check_explorables  # noqa: E402

RUNNER = os.path.join(ENV, "execute_notebook.py")
CELL = """Plots.explore("a", new double[] {0.5, 1, 2}, a -> Plots.chart("Slope " + a, "x", "y")
    .line("a·x", new double[] {0, 1, 2}, new double[] {0, a, 2 * a}).dashed("x", new double[] {0, 1, 2}, new double[] {0, 1, 2}).build())"""
needs_chromium = pytest.mark.skipif(not (shutil.which("chromium") or shutil.which("chromium-browser")),
                                    reason="needs Debian's chromium (environment/test installs it)")


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    """(executed notebook, HTML page) of a one-cell notebook showing an explorable figure."""
    tmp = tmp_path_factory.mktemp("explore")
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "latentvi", "display_name": "Java (latentvi)", "language": "java"}
    nb.cells = [nbformat.v4.new_code_cell(CELL)]
    path = tmp / "explorable.ipynb"
    nbformat.write(nb, str(path))
    result = subprocess.run([sys.executable, RUNNER, "--html-dir", str(tmp / "html"), "--ipynb-dir", str(tmp / "nb"), str(path)],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    executed = next(str(p) for p in (tmp / "nb").rglob("*.ipynb"))
    page = next(str(p) for p in (tmp / "html").rglob("*.html") if p.name != "index.html")
    return executed, page


def figure_spec(executed):
    nb = nbformat.read(executed, as_version=4)
    [(_, out)] = static_figures.figure_outputs(nb)
    return out["data"][static_figures.PLOTLY_MIME]


def test_the_notebook_output_carries_frames_and_a_slider(exported):
    spec = figure_spec(exported[0])
    frames = spec["frames"]
    assert [f["name"] for f in frames] == ["a = 0.5", "a = 1", "a = 2"]
    assert [[t["name"] for t in f["data"]] for f in frames] == [["a·x", "x"]] * 3
    assert [f["data"][0]["y"][2] for f in frames] == [1, 2, 4]
    assert frames[0]["data"] == spec["data"], "frame 0 is the figure's own data"
    steps = spec["layout"]["sliders"][0]["steps"]
    assert [s["label"] for s in steps] == ["0.5", "1", "2"]
    assert all(s["method"] == "animate" and s["args"][0] == [f["name"]] for s, f in zip(steps, frames))
    assert [b["label"] for b in spec["layout"]["updatemenus"][0]["buttons"]] == ["▶ play", "❚❚ pause"]
    assert spec["layout"]["yaxis"]["range"][1] >= 4, "y range fixed to the union of the frames"


def test_the_page_html_hands_the_frames_to_plotly(exported):
    text = open(exported[1], encoding="utf-8").read()
    assert '"frames":[{"name":"a = 0.5"' in text
    assert "frames: spec.frames" in text


@needs_chromium
def test_a_reader_can_drive_the_exported_figure(exported):
    with Chromium(window=(1280, 1600)) as browser:
        tab = browser.open(exported[1])
        state = tab.wait_until_drawn()
        assert state["drawn"] == state["figures"] == 1
        checked, problems = check_explorables(tab)
        errors = tab.console_errors()
        tab.close()
    assert checked == 1
    assert problems == []
    assert errors == []


@needs_chromium
def test_the_static_image_is_frame_zero(exported):
    spec = figure_spec(exported[0])
    with Chromium(window=(1280, 1024)) as browser:
        renderer = static_figures.Renderer(browser)
        try:
            png = renderer.png(spec)
            frame0 = renderer.png({"data": spec["frames"][0]["data"], "layout": spec["layout"]})
            last = renderer.png({"data": spec["frames"][-1]["data"], "layout": spec["layout"]})
        finally:
            renderer.close()
    assert png == frame0
    assert png != last
