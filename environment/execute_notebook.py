"""Executes notebooks headlessly with the latentvi kernel; optionally exports them to HTML.

    .venv/bin/python environment/execute_notebook.py notebooks/01-latent-variable-models.ipynb
    .venv/bin/python environment/execute_notebook.py --html-dir exports notebooks/*.ipynb notebooks/homework/*.ipynb
    .venv/bin/python environment/execute_notebook.py --check-determinism notebooks/*.ipynb

Exits non-zero naming the notebook and the cell on the first error output of any notebook
(the others still run, so one report lists every broken notebook), and on every claim that does
not hold: a cell that shows `Claim`s (dev.latentvi.notebook) outputs them as
application/vnd.latentvi.claims+json, and a ✗ fails the run naming notebook, cell and statement. With --html-dir, writes one
self-contained HTML page per notebook (plots draw offline: plotly.js travels inside the page)
and an index.html linking them. With --check-determinism (or LATENTVI_CHECK_DETERMINISM=1),
executes every notebook a second time in a fresh kernel, at the same time as the first (two
workers unless --jobs says otherwise), and fails naming notebook and cell where a figure
(its Plotly JSON: traces, their order, colours, data, layout) differs between the two runs.
"""
import argparse
import concurrent.futures
import html
import json
import multiprocessing
import os
import re
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
from nbconvert import HTMLExporter

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CELL_TIMEOUT = int(os.environ.get("LATENTVI_CELL_TIMEOUT", "900"))
PLOTLY_MIME = "application/vnd.plotly.v1+json"
CLAIMS_MIME = "application/vnd.latentvi.claims+json"
VOLATILE_KEYS = {"uid"}  # Plotly trace ids: random by design, not part of what a figure shows


def error_outputs(nb):
    """(cell index, cell source head, error text) for every error output in an executed notebook."""
    found = []
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                text = f"{out.get('ename')}: {out.get('evalue')}"
                found.append((i, cell.source.strip().splitlines()[:3], text))
    return found


def claims(nb):
    """(cell index, cell source head, claim dict) for every claim a cell of an executed notebook showed."""
    found = []
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            for claim in out.get("data", {}).get(CLAIMS_MIME, {}).get("claims", []):
                found.append((i, cell.source.strip().splitlines()[:3], claim))
    return found


def problems_of(nb):
    """Error outputs, then claims that do not hold, as (cell, source head, text)."""
    failed = [(i, src, f"claim does not hold: {c['statement']}: {c['evidence']}")
              for i, src, c in claims(nb) if not c.get("holds")]
    return error_outputs(nb) + failed


def figures(nb):
    """{cell index: [Plotly spec, ...]} for every figure output of an executed notebook, uids dropped."""
    found = {}
    for i, cell in enumerate(nb.cells):
        specs = [normalized(out["data"][PLOTLY_MIME]) for out in cell.get("outputs", []) if PLOTLY_MIME in out.get("data", {})]
        if specs:
            found[i] = specs
    return found


def normalized(node):
    if isinstance(node, dict):
        return {k: normalized(v) for k, v in node.items() if k not in VOLATILE_KEYS}
    if isinstance(node, list):
        return [normalized(v) for v in node]
    return node


def first_difference(a, b, path=""):
    """Where two JSON values first differ, as 'path: a vs b' (None when equal)."""
    if isinstance(a, dict) and isinstance(b, dict):
        for key in list(a) + [k for k in b if k not in a]:
            if key not in a or key not in b:
                return f"{path}.{key}: {'missing' if key not in a else 'present'} vs {'missing' if key not in b else 'present'}"
            found = first_difference(a[key], b[key], f"{path}.{key}")
            if found:
                return found
        return None
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return f"{path or 'value'}: {len(a)} vs {len(b)} entries"
        for k, (x, y) in enumerate(zip(a, b)):
            found = first_difference(x, y, f"{path}[{k}]")
            if found:
                return found
        return None
    return None if a == b else f"{(path or 'value').lstrip('.')}: {json.dumps(a)[:80]} vs {json.dumps(b)[:80]}"


def figure_differences(first, second):
    """(cell index, text) for each cell whose figures differ between two executions of a notebook."""
    a, b = figures(first), figures(second)
    found = []
    for cell in sorted(set(a) | set(b)):
        fa, fb = a.get(cell, []), b.get(cell, [])
        if len(fa) != len(fb):
            found.append((cell, f"{len(fa)} figures in the first execution, {len(fb)} in the second"))
            continue
        for k, (x, y) in enumerate(zip(fa, fb)):
            where = first_difference(x, y)
            if where:
                found.append((cell, f"figure {k + 1} of {len(fa)} differs between two executions at {where.lstrip('.')}"))
                break
    return found


def execute(path, run=1):
    """Executes one notebook in its own folder; returns (executed notebook, problems, seconds)."""
    nb = nbformat.read(path, as_version=4)
    kernel = nb.metadata.get("kernelspec", {}).get("name")
    if kernel != "latentvi":
        return nb, [(None, [], f"metadata.kernelspec.name is {kernel!r}, expected 'latentvi'")], 0.0
    client = NotebookClient(nb, timeout=CELL_TIMEOUT, kernel_name="latentvi", allow_errors=True,
                            resources={"metadata": {"path": os.path.dirname(os.path.abspath(path))}})
    start = time.time()
    log_dir = os.path.join(ROOT, "target", "kernel-logs")
    os.makedirs(log_dir, exist_ok=True)
    log_path = os.path.join(log_dir, os.path.basename(path).replace(".ipynb", ".log" if run == 1 else f".run{run}.log"))
    try:
        with open(log_path, "w") as log:  # the kernel's own chatter goes here, not into the report
            client.execute(stderr=log, stdout=log)
    except (CellExecutionError, CellTimeoutError, DeadKernelError) as e:
        return nb, [(None, [], f"{type(e).__name__}: {e} (kernel log: {log_path})")], time.time() - start
    return nb, problems_of(nb), time.time() - start


def title_of(nb, fallback):
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return fallback


MATHJAX = os.path.join(ROOT, "data", "mathjax", "tex-svg-full.js")
MATHJAX_CONFIG = """<script>
window.MathJax = {
  tex: {inlineMath: [['$', '$'], ['\\\\(', '\\\\)']], displayMath: [['$$', '$$'], ['\\\\[', '\\\\]']],
        processEscapes: true, processEnvironments: true},
  options: {ignoreHtmlClass: 'jp-OutputArea|CodeMirror|highlight', enableMenu: false},
  loader: {load: []}
};
</script>
"""


def offline_mathjax(body):
    """Swaps nbconvert's CDN MathJax 2 (a network fetch) for MathJax 3 inline, so math renders offline."""
    start = body.find("<!-- Load mathjax -->")
    end = body.find("<!-- End of mathjax configuration -->")
    if start < 0 or end < 0:
        raise RuntimeError("nbconvert's MathJax block not found: the HTML template changed")
    if not os.path.isfile(MATHJAX):
        raise RuntimeError(f"{MATHJAX} missing: run environment/setup")
    with open(MATHJAX, encoding="utf-8") as f:
        script = f.read().replace("</script", "<\\/script")
    inline = MATHJAX_CONFIG + "<script>\n" + script + "\n</script>\n"
    return body[:start] + inline + body[end + len("<!-- End of mathjax configuration -->"):]


def without_remote_scripts(body):
    """Drops <script src="http..."> tags (nbconvert adds require.js from a CDN; nothing here needs it)."""
    return re.sub(r'<script[^>]*\ssrc="https?://[^"]*"[^>]*>\s*</script>', "", body)


def export_html(nb, out_dir, name):
    exporter = HTMLExporter(template_name="lab")
    body, _ = exporter.from_notebook_node(nb)
    body = without_remote_scripts(offline_mathjax(body))
    target = os.path.join(out_dir, name + ".html")
    tmp = target + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(body)
    os.replace(tmp, target)
    return target


def write_index(out_dir, pages):
    items = "\n".join(
        f'<li><a href="{html.escape(rel)}">{html.escape(title)}</a> <small>({html.escape(rel)}, {secs:.0f} s)</small></li>'
        for rel, title, secs in pages)
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>latentvi notebooks</title>
<style>body{{font-family:sans-serif;max-width:50em;margin:2em auto;line-height:1.5}}</style></head>
<body><h1>latentvi — CS 285 Lecture 18: Variational Inference and Generative Models</h1>
<p>Executed notebooks, self-contained: every page opens offline with interactive plots.</p>
<ul>
{items}
</ul></body></html>
"""
    with open(os.path.join(out_dir, "index.html"), "w", encoding="utf-8") as f:
        f.write(page)


def report(path, problems):
    for cell, src, text in problems:
        where = f"cell {cell}" if cell is not None else "notebook"
        print(f"FAIL {path} {where}: {text}", flush=True)
        if src:
            print("     " + "\n     ".join(src), flush=True)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("notebooks", nargs="+", help="notebook files to execute")
    parser.add_argument("--html-dir", help="also export each executed notebook to HTML here, plus index.html")
    parser.add_argument("--ipynb-dir", help="also write each executed notebook (with its outputs) here")
    parser.add_argument("--check-determinism", action="store_true",
                        default=os.environ.get("LATENTVI_CHECK_DETERMINISM", "") not in ("", "0"),
                        help="execute every notebook twice in fresh kernels; fail where a figure differs")
    parser.add_argument("--list-claims", action="store_true",
                        help="print every claim each notebook showed, with the number it was checked on")
    parser.add_argument("--jobs", type=int, default=int(os.environ.get("LATENTVI_JOBS", "0")) or None,
                        help="executions at the same time (default: 2 with --check-determinism, else 1)")
    args = parser.parse_args(argv)
    runs = 2 if args.check_determinism else 1
    jobs = max(1, args.jobs or runs)

    failures = 0
    total_seconds = 0.0
    pages = []
    present = [p for p in args.notebooks if os.path.isfile(p)]
    # every execution of every notebook, in order: both runs of a notebook go at the same time
    pool = concurrent.futures.ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("spawn")) if jobs > 1 else None
    pending = {(p, r): (pool.submit(execute, p, r) if pool else None) for p in present for r in range(1, runs + 1)}
    try:
        for path in args.notebooks:
            if path not in present:
                print(f"FAIL {path}: no such notebook", flush=True)
                failures += 1
                continue
            print(f"RUN  {path}" + (" (twice, comparing figures)" if runs > 1 else ""), flush=True)
            results = [pending[(path, r)].result() if pool else execute(path, r) for r in range(1, runs + 1)]
            nb, problems, secs = results[0]
            total_seconds += secs
            for later, (_, more, _) in enumerate(results[1:], start=2):  # errors only the later run met
                seen = {(cell, text) for cell, _, text in problems}
                problems = problems + [(cell, src, f"{text} (execution {later})") for cell, src, text in more if (cell, text) not in seen]
            if runs > 1 and not problems:
                problems = [(cell, nb.cells[cell].source.strip().splitlines()[:3], text)
                            for cell, text in figure_differences(nb, results[1][0])]
            if problems:
                failures += 1
                report(path, problems)
            else:
                timing = " / ".join(f"{r[2]:.1f} s" for r in results)
                held = len(claims(nb))
                print(f"OK   {path} ({timing}{', figures identical' if runs > 1 else ''}"
                      f"{f', {held} claim holds' if held == 1 else f', {held} claims hold' if held else ''})", flush=True)
            if args.list_claims:
                for cell, _, c in claims(nb):
                    print(f"     cell {cell}: {'✓' if c.get('holds') else '✗'} {c['statement']}: {c['evidence']}", flush=True)
            if args.html_dir:
                rel = os.path.relpath(os.path.abspath(path), os.path.join(ROOT, "notebooks"))
                if rel.startswith(".."):  # a notebook from elsewhere goes to the top of the HTML folder
                    rel = os.path.basename(path)
                name = rel[:-len(".ipynb")] if rel.endswith(".ipynb") else rel
                out_dir = os.path.join(args.html_dir, os.path.dirname(name))
                os.makedirs(out_dir, exist_ok=True)
                export_html(nb, out_dir, os.path.basename(name))
                pages.append((name + ".html", title_of(nb, os.path.basename(name)), secs))
            if args.ipynb_dir:  # the executed notebook, at the same relative path as its HTML page
                rel = os.path.relpath(os.path.abspath(path), os.path.join(ROOT, "notebooks"))
                target = os.path.join(args.ipynb_dir, os.path.basename(path) if rel.startswith("..") else rel)
                os.makedirs(os.path.dirname(target), exist_ok=True)
                nbformat.write(nb, target + ".tmp")
                os.replace(target + ".tmp", target)
    finally:
        if pool:
            pool.shutdown(cancel_futures=True)
    if args.html_dir:
        write_index(args.html_dir, pages)
        print(f"HTML in {os.path.abspath(args.html_dir)}/index.html", flush=True)
    passed = len(args.notebooks) - failures
    print(f"notebooks: {passed} passed, {failures} failed"
          f" ({total_seconds:.1f} s executing, first run of each)", flush=True)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
