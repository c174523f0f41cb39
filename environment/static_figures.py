"""Gives every Plotly figure output of executed notebooks a static `image/png`, rendered by
plotly.js itself (Plotly.toImage) in Debian's headless Chromium, offline, with the plotly.js of
data/plotly — so the figures show where JavaScript does not run (GitHub's and GitLab's notebook
viewers, nbviewer, VS Code without the Plotly renderer). The image is as large as the figure's
layout (width x height CSS px, scale 1). The Plotly JSON and the HTML outputs stay as they are.
An explorable figure (Plots.explore: Plotly `frames` and a slider) is rendered as frame 0, the
figure's own data, with its slider at the first step: only `data` and `layout` are drawn.

    .venv/bin/python environment/static_figures.py exports/notebooks          # adds images in place
    .venv/bin/python environment/static_figures.py --check exports/notebooks  # checks them

environment/export --ipynb DIR writes the executed notebooks and runs this on them; --check (run
by environment/test) fails naming notebook and cell where a figure output has no static image,
a blank one, or one whose size differs from the figure's.
"""
import argparse
import base64
import glob
import io
import json
import os
import sys
import tempfile
import time

import nbformat

from chromium import Chromium

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
PLOTLY_JS = os.path.join(ROOT, "data", "plotly", "plotly.min.js")
PLOTLY_MIME = "application/vnd.plotly.v1+json"
PNG = "image/png"
DEFAULT_SIZE = (700, 450)  # plotly.js's own default when a layout names no size


def figure_size(spec):
    layout = spec.get("layout", {})
    return int(layout.get("width") or DEFAULT_SIZE[0]), int(layout.get("height") or DEFAULT_SIZE[1])


def figure_outputs(nb):
    """(cell index, output) for every output of the notebook that carries a Plotly figure."""
    return [(i, out) for i, cell in enumerate(nb.cells) for out in cell.get("outputs", [])
            if PLOTLY_MIME in out.get("data", {})]


class Renderer:
    """A Chromium tab with the local plotly.js loaded; png(spec) renders one figure."""

    def __init__(self, browser):
        if not os.path.isfile(PLOTLY_JS):
            sys.exit(f"error: {PLOTLY_JS} missing: run environment/setup")
        self.dir = tempfile.TemporaryDirectory(prefix="latentvi-static-")
        page = os.path.join(self.dir.name, "render.html")
        with open(page, "w", encoding="utf-8") as f:
            f.write('<!DOCTYPE html><html><head><meta charset="utf-8">'
                    f'<script src="file://{PLOTLY_JS}"></script></head><body></body></html>')
        self.tab = browser.open(page)
        deadline = time.time() + 60
        while not self.tab.evaluate("document.readyState === 'complete' && !!window.Plotly"):
            if time.time() > deadline:
                raise RuntimeError(f"plotly.js from {PLOTLY_JS} did not load in Chromium")
            time.sleep(0.1)

    def png(self, spec):
        """PNG bytes of one figure (its data and layout), width x height of the layout."""
        width, height = figure_size(spec)
        figure = {"data": spec.get("data", []), "layout": spec.get("layout", {}), "config": {"staticPlot": True}}
        url = self.tab.evaluate(
            f"Plotly.toImage({json.dumps(figure)}, {{format: 'png', width: {width}, height: {height}, scale: 1}})",
            await_promise=True)
        prefix = "data:image/png;base64,"
        if not url or not url.startswith(prefix):
            raise RuntimeError(f"Plotly.toImage returned {str(url)[:40]!r}, not a PNG data URL")
        return base64.b64decode(url[len(prefix):])

    def close(self):
        self.tab.close()
        self.dir.cleanup()


def add_images(path, renderer):
    """Adds (or replaces) the static image of every figure output of one notebook; returns (count, bytes)."""
    nb = nbformat.read(path, as_version=4)
    count = total = 0
    for _, out in figure_outputs(nb):
        spec = out["data"][PLOTLY_MIME]
        png = renderer.png(spec)
        width, height = figure_size(spec)
        out["data"][PNG] = base64.b64encode(png).decode("ascii")
        out.setdefault("metadata", {})[PNG] = {"width": width, "height": height}
        count += 1
        total += len(png)
    tmp = path + ".tmp"
    nbformat.write(nb, tmp)
    os.replace(tmp, path)
    return count, total


def image_problem(out):
    """Why the static image of one figure output is not right (None when it is)."""
    from PIL import Image
    data = out.get("data", {})
    if PNG not in data:
        return "no image/png static image"
    want = figure_size(data[PLOTLY_MIME])
    try:
        image = Image.open(io.BytesIO(base64.b64decode(data[PNG])))
        image.load()
    except Exception as e:
        return f"image/png does not decode: {e}"
    if image.size != want:
        return f"image/png is {image.size[0]}x{image.size[1]}, the figure is {want[0]}x{want[1]}"
    from PIL import ImageChops
    rgb = image.convert("RGB")
    background = Image.new("RGB", rgb.size, rgb.getpixel((0, 0)))
    total = want[0] * want[1]
    drawn = total - ImageChops.difference(rgb, background).convert("L").histogram()[0]
    colours = len(rgb.getcolors(maxcolors=total) or [])
    if drawn < 0.01 * total or colours < 3:
        return f"image/png is blank ({drawn} of {total} pixels differ from the background, {colours} colours)"
    return None


def check(path):
    """(figures, [(cell index, problem)]) for one executed notebook."""
    nb = nbformat.read(path, as_version=4)
    found = figure_outputs(nb)
    return len(found), [(i, problem) for i, out in found if (problem := image_problem(out))]


def notebooks_in(paths):
    found = []
    for p in paths:
        found += sorted(glob.glob(os.path.join(p, "**", "*.ipynb"), recursive=True)) if os.path.isdir(p) else [p]
    return found


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="+", help="executed notebooks, or folders holding them")
    parser.add_argument("--check", action="store_true", help="only check the static images")
    args = parser.parse_args(argv)
    notebooks = notebooks_in(args.paths)
    if not notebooks:
        sys.exit(f"error: no notebooks in {' '.join(args.paths)}")
    start = time.time()
    failed = figures = 0
    if args.check:
        for path in notebooks:
            count, problems = check(path)
            figures += count
            if problems:
                failed += 1
                for cell, problem in problems:
                    print(f"FAIL {path} cell {cell}: {problem}", flush=True)
            else:
                print(f"OK   {path}: {count} figures, each with a static image of its size, not blank", flush=True)
        print(f"static images: {len(notebooks) - failed} notebooks passed, {failed} failed ({figures} figures)", flush=True)
        return 1 if failed else 0
    with Chromium(window=(1280, 1024)) as browser:
        renderer = Renderer(browser)
        for path in notebooks:
            t = time.time()
            count, size = add_images(path, renderer)
            figures += count
            print(f"PNG  {path}: {count} figures, {size / 1e3:.0f} kB of images ({time.time() - t:.1f} s)", flush=True)
        renderer.close()
    print(f"static images: {figures} figures in {len(notebooks)} notebooks ({time.time() - start:.0f} s)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
