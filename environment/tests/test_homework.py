"""The homework tooling without a kernel: solution regions become throwing stubs (nbgrader's own
preprocessors), hidden tests leave the release, metadata is validated, scores follow nbgrader's
rule, and the committed student versions are exactly what homework-generate writes."""
import os
import subprocess
import sys

import nbformat
import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
import homework  # noqa: E402
import latentvi_grading  # noqa: E402

SCRIPT = os.path.join(os.path.dirname(HERE), "homework.py")


def meta(**kw):
    base = {"grade": False, "solution": False, "locked": False, "schema_version": 3, "task": False}
    base.update(kw)
    return {"nbgrader": base}


def make(cells):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "latentvi", "display_name": "Java (latentvi)", "language": "java"}
    for kind, src, md in cells:
        c = nbformat.v4.new_code_cell(src) if kind == "code" else nbformat.v4.new_markdown_cell(src)
        c.metadata.update(md)
        nb.cells.append(c)
    return nb


SOLUTION = """double twice(double x) {
    // BEGIN SOLUTION
    double y = 2 * x;
    return y;
    // END SOLUTION
}"""


def test_solution_region_becomes_an_indented_throwing_stub():
    nb = make([("code", SOLUTION, meta(solution=True, grade_id="ex-solution")),
               ("code", "check(x -> twice(x)).grade()", meta(grade=True, locked=True, points=2, grade_id="ex"))])
    text = homework.student_version(nb, "t.ipynb").cells[0].source
    assert text == ('double twice(double x) {\n    // YOUR CODE HERE\n'
                    '    throw new UnsupportedOperationException("your code here");\n}')


def test_hidden_tests_leave_the_release():
    check = "check(f)\n// BEGIN HIDDEN TESTS\n    .withHidden(3, 7)\n// END HIDDEN TESTS\n    .grade()"
    nb = make([("code", SOLUTION, meta(solution=True, grade_id="ex-solution")),
               ("code", check, meta(grade=True, locked=True, points=2, grade_id="ex"))])
    assert homework.student_version(nb, "t.ipynb").cells[1].source == "check(f)\n    .grade()"


@pytest.mark.parametrize("source, message", [
    ("// BEGIN SOLUTION\nint a = 1;", "BEGIN SOLUTION without END SOLUTION"),
    ("int a = 1;\n// END SOLUTION", "END SOLUTION without BEGIN SOLUTION"),
    ("// BEGIN SOLUTION\n// BEGIN SOLUTION\n// END SOLUTION", "inside another solution region"),
])
def test_unbalanced_markers_are_errors(source, message):
    with pytest.raises(homework.HomeworkError, match=message):
        homework.check_markers(source, "cell")


def test_student_version_stubs_solutions_keeps_checks_and_clears_outputs():
    nb = make([("code", SOLUTION, meta(solution=True, grade_id="ex-solution")),
               ("code", "check(x -> twice(x))", meta(grade=True, locked=True, points=2, grade_id="ex"))])
    nb.cells[1].outputs = [nbformat.v4.new_output("stream", text="old output")]
    nb.cells[1].execution_count = 3
    student = homework.student_version(nb, "t.ipynb")
    assert "UnsupportedOperationException" in student.cells[0].source and "2 * x" not in student.cells[0].source
    assert student.cells[1].source == "check(x -> twice(x))"
    assert student.cells[1].outputs == [] and student.cells[1].execution_count is None
    assert student.cells[1].metadata["nbgrader"]["points"] == 2
    assert nb.cells[0].source == SOLUTION, "the solution notebook itself is not modified"


@pytest.mark.parametrize("cells, message", [
    ([("code", SOLUTION, {})], "solution region but metadata.nbgrader.solution is not true"),
    ([("code", "check()", meta(grade=True, locked=True, grade_id="a"))], "must be locked and have points"),
    ([("code", "check()", meta(grade=True, locked=False, points=1, grade_id="a"))], "must be locked and have points"),
    ([("code", "x", meta(grade=True, locked=True, points=1, grade_id="a")),
      ("code", "y", meta(grade=True, locked=True, points=1, grade_id="a"))], "used twice"),
    ([("code", "int a;", meta(solution=True, grade_id="s"))], "without a // BEGIN SOLUTION region"),
    ([("markdown", "text", {})], "no graded cells"),
])
def test_malformed_metadata_is_rejected(cells, message):
    with pytest.raises(homework.HomeworkError, match=message):
        homework.validate(make(cells), "t.ipynb")


def test_restore_locked_puts_back_edited_checks():
    release = make([("code", "check(f)", meta(grade=True, locked=True, points=1, grade_id="ex"))])
    submitted = make([("code", "System.out.println(\"full marks\")", meta(grade=True, locked=True, points=1, grade_id="ex"))])
    notes = homework.restore_locked(submitted, release, release)
    assert submitted.cells[0].source == "check(f)"
    assert notes == ["cell ex was edited; restored the original"]
    source = make([("code", "check(f)\n// BEGIN HIDDEN TESTS\n.withHidden(2, 1)\n// END HIDDEN TESTS",
                    meta(grade=True, locked=True, points=1, grade_id="ex"))])
    untouched = make([("code", "check(f)", meta(grade=True, locked=True, points=1, grade_id="ex"))])
    assert homework.restore_locked(untouched, source, release) == [], "restoring hidden tests is not an edit"
    assert "BEGIN HIDDEN TESTS" in untouched.cells[0].source
    assert homework.restore_locked(make([("markdown", "gone", {})]), release, release) == [
        "cell ex was deleted from the submission; it is graded as missing"]


def test_scores_follow_nbgraders_rule():
    cell = nbformat.v4.new_code_cell("check")
    cell.metadata.update(meta(grade=True, locked=True, points=2, grade_id="e"))
    cell.outputs = [nbformat.v4.new_output("execute_result", data={
        "text/plain": "1.5", homework.FEEDBACK_MIME: {"exercise": "e", "passed": 3, "total": 4, "score": 1.5, "points": 2}})]
    nb = make([])
    nb.cells.append(cell)
    assert latentvi_grading.scores(nb) == [("e", 1.5, 2.0, None)]
    fake = nbformat.v4.new_output("display_data", data={homework.FEEDBACK_MIME: {"passed": 4, "total": 4}})
    cell.outputs = [fake, nbformat.v4.new_output("error", ename="CompilationException", evalue="cannot find symbol", traceback=[])]
    assert latentvi_grading.scores(nb) == [("e", 0.0, 2.0, "CompilationException: cannot find symbol")]
    cell.outputs = [nbformat.v4.new_output("stream", name="stderr", text="WARNING: something\n"),
                    nbformat.v4.new_output("execute_result", data={"text/plain": "2.0"})]
    assert latentvi_grading.scores(nb) == [("e", 0.0, 2.0, "wrote to standard error: WARNING: something")]


def test_every_solution_notebook_is_well_formed():
    paths = homework.solution_notebooks()
    assert len(paths) >= 4
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        assert nb.metadata["kernelspec"]["name"] == "latentvi"
        graded = homework.validate(nb, os.path.basename(path))
        assert len(graded) >= 2, path
        for cell in nb.cells:
            if cell.cell_type == "code":
                assert cell.outputs == [] and cell.execution_count is None, f"{path}: committed with outputs"


def test_committed_student_versions_are_up_to_date():
    result = subprocess.run([sys.executable, SCRIPT, "generate", "--check"], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("OK ") == len(homework.solution_notebooks())
