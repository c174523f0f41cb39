"""The notebook runner itself: a failing cell must fail the run, naming the notebook and the cell."""
import os
import subprocess
import sys

import nbformat

HERE = os.path.dirname(os.path.abspath(__file__))
RUNNER = os.path.join(os.path.dirname(HERE), "execute_notebook.py")


def make_notebook(path, cells):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "latentvi", "display_name": "Java (latentvi)", "language": "java"}
    nb.cells = [nbformat.v4.new_code_cell(src) for src in cells]
    nbformat.write(nb, str(path))


def run(*args):
    return subprocess.run([sys.executable, RUNNER, *args], capture_output=True, text=True, timeout=600)


def test_error_output_fails_naming_notebook_and_cell(tmp_path):
    bad = tmp_path / "broken.ipynb"
    make_notebook(bad, ['int answer = 42;', 'throw new IllegalStateException("boom at " + answer);'])
    result = run(str(bad))
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"FAIL {bad} cell 1: " in result.stdout
    assert "boom at 42" in result.stdout
    assert "notebooks: 0 passed, 1 failed" in result.stdout


def test_clean_notebook_passes_and_exports_html(tmp_path):
    good = tmp_path / "good.ipynb"
    make_notebook(good, ['Plots.line("t", "x", "y", new double[] {0, 1}, new double[] {1, 2})'])
    result = run("--html-dir", str(tmp_path / "html"), str(good))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "notebooks: 1 passed, 0 failed" in result.stdout
    pages = os.listdir(tmp_path / "html")
    assert "index.html" in pages
    page = next(p for p in pages if p != "index.html")
    text = (tmp_path / "html" / page).read_text(encoding="utf-8")
    assert 'class="latentvi-plot"' in text
    assert 'src="http' not in text, "nothing may be fetched from the network: scripts are inline"
    assert "window.MathJax" in text


def test_wrong_kernel_is_reported(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    path = tmp_path / "py.ipynb"
    nbformat.write(nb, str(path))
    result = run(str(path))
    assert result.returncode == 1
    assert "expected 'latentvi'" in result.stdout


def test_determinism_check_names_notebook_and_cell_of_a_changing_figure(tmp_path):
    steady = tmp_path / "steady.ipynb"
    make_notebook(steady, ['Rng rng = Rng.seeded(3);',
                           'Plots.chart("t", "x", "y").histogram("draws", rng.normal(200), 10).hline("zero", 0).build()'])
    drifting = tmp_path / "drifting.ipynb"   # as a figure whose traces come from a Map.of, salted per JVM
    make_notebook(drifting, ['int answer = 42;',
                             'Plots.line("t", "x", "y", new double[] {0, 1}, new double[] {System.nanoTime() % 1000, 1})'])
    result = run("--check-determinism", str(steady), str(drifting))
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"OK   {steady} (" in result.stdout and "figures identical" in result.stdout
    assert f"FAIL {drifting} cell 1: figure 1 of 1 differs between two executions at data[0].y[0]: " in result.stdout
    assert "notebooks: 1 passed, 1 failed" in result.stdout


def test_figure_comparison_ignores_uids_and_reports_the_first_difference():
    sys.path.insert(0, os.path.dirname(RUNNER))
    import execute_notebook as runner

    def executed(names, uid):
        nb = nbformat.v4.new_notebook()
        cell = nbformat.v4.new_code_cell("figure")
        data = [{"type": "scatter", "name": n, "uid": f"{uid}-{k}", "line": {"color": c}} for k, (n, c) in enumerate(names)]
        cell.outputs = [nbformat.v4.new_output("display_data", data={runner.PLOTLY_MIME: {"data": data, "layout": {}},
                                                                      "text/html": f"<div id='{uid}'></div>"})]
        nb.cells = [nbformat.v4.new_code_cell("int x = 1;"), cell]
        return nb

    same = [("a", "#636efa"), ("b", "#ef553b")]
    assert runner.figure_differences(executed(same, "u1"), executed(same, "u2")) == []
    swapped = [("b", "#636efa"), ("a", "#ef553b")]
    assert runner.figure_differences(executed(same, "u1"), executed(swapped, "u2")) == [
        (1, 'figure 1 of 1 differs between two executions at data[0].name: "a" vs "b"')]
    fewer = [("a", "#636efa")]
    assert runner.figure_differences(executed(same, "u1"), executed(fewer, "u1")) == [
        (1, "figure 1 of 1 differs between two executions at data: 2 vs 1 entries")]


def test_a_claim_that_does_not_hold_fails_naming_notebook_cell_and_claim(tmp_path):
    scratch = tmp_path / "claims.ipynb"
    make_notebook(scratch, ['double ratio = 12.5;',
                            'Claims.of(Claim.that("the ratio is at least 10", ratio).atLeast(10),\n'
                            '          Claim.that("the ratio is at most 10", ratio).atMost(10))'])
    result = run(str(scratch))
    assert result.returncode == 1, result.stdout + result.stderr
    assert f"FAIL {scratch} cell 1: claim does not hold: the ratio is at most 10: 12.5 ≤ 10" in result.stdout
    assert "claim does not hold: the ratio is at least 10" not in result.stdout, "a claim that holds is not reported"


def test_claims_that_hold_are_counted(tmp_path):
    fine = tmp_path / "fine.ipynb"
    make_notebook(fine, ['Claim.that("an estimate within 3 SE of its bound", new Estimate(1.02, 0.01)).atMost(1.0)'])
    result = run(str(fine))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 claim holds" in result.stdout


def test_list_claims_prints_each_claim_with_its_number_and_the_total_time(tmp_path):
    fine = tmp_path / "listed.ipynb"
    make_notebook(fine, ['double ratio = 12.5;', 'Claims.of(Claim.that("the ratio is at least 10", ratio).atLeast(10))'])
    result = run("--list-claims", str(fine))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "     cell 1: ✓ the ratio is at least 10: 12.5 ≥ 10" in result.stdout
    assert " s executing, first run of each)" in result.stdout
