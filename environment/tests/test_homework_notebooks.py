"""Executes the homework notebooks with the latentvi kernel through environment/homework-grade:
every solution scores full marks, every generated student version executes without an error
output and scores zero, and a deliberately wrong answer gets its specific feedback."""
import json
import os
import subprocess
import sys

import nbformat
import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))
import homework  # noqa: E402

GRADE = os.path.join(os.path.dirname(HERE), "homework-grade")
NAMES = [os.path.basename(p) for p in homework.solution_notebooks()]


def grade(path, tmp_path):
    scores, executed = tmp_path / "scores.json", tmp_path / "executed.ipynb"
    result = subprocess.run([GRADE, str(path), "--json", str(scores), "--output", str(executed)],
                            capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout + result.stderr
    return json.loads(scores.read_text()), nbformat.read(str(executed), as_version=4), result.stdout


def errors(nb):
    return [(i, o.get("ename"), o.get("evalue")) for i, c in enumerate(nb.cells) for o in c.get("outputs", [])
            if o.get("output_type") == "error"]


@pytest.mark.parametrize("name", NAMES)
def test_solution_scores_full_marks(name, tmp_path):
    scores, nb, out = grade(os.path.join(homework.HOMEWORK, name), tmp_path)
    assert scores["score"] == pytest.approx(scores["points"]), out
    assert all(e["passed"] == e["total"] for e in scores["exercises"]), out
    assert errors(nb) == []


@pytest.mark.parametrize("name", NAMES)
def test_student_version_runs_and_scores_zero(name, tmp_path):
    scores, nb, out = grade(os.path.join(homework.STUDENT, name), tmp_path)
    assert scores["score"] == 0, out
    assert all(e["total"] for e in scores["exercises"]), f"every check cell must report feedback:\n{out}"
    assert errors(nb) == [], "a student version must run top to bottom without an error output"
    texts = [o["data"]["text/plain"] for c in nb.cells for o in c.get("outputs", []) if homework.FEEDBACK_MIME in o.get("data", {})]
    assert texts and all("not attempted yet" in t for t in texts)


def test_wrong_answer_gets_its_specific_feedback_and_edited_checks_are_restored(tmp_path):
    path = os.path.join(homework.STUDENT, "hw1-gaussian-mixtures.ipynb")
    nb = nbformat.read(path, as_version=4)
    cells = {c.metadata.get("nbgrader", {}).get("grade_id"): c for c in nb.cells}
    # probability space instead of log space: right on ordinary points, −∞ far from every component
    cells["hw1-ex1-solution"].source = cells["hw1-ex1-solution"].source.replace(
        "// YOUR CODE HERE\n    throw new UnsupportedOperationException(\"your code here\");",
        "return Transforms.log(Transforms.exp(mixture.componentLogProbs(x), true).mulRowVector(mixture.weights()).sum(1), false);")
    cells["hw1-ex2"].source = 'System.out.println("all checks passed")'        # tampering with a locked check
    submission = tmp_path / "submission.ipynb"
    nbformat.write(nb, str(submission))
    scores, executed, out = grade(submission, tmp_path)
    ex = {e["exercise"]: e for e in scores["exercises"]}
    assert (ex["hw1-ex1"]["passed"], ex["hw1-ex1"]["total"]) == (4, 5), out
    assert ex["hw1-ex1"]["score"] == pytest.approx(1.6)
    assert ex["hw1-ex2"]["score"] == 0 and ex["hw1-ex2"]["total"] == 5, "the restored check ran"
    assert "cell hw1-ex2 was edited; restored the original" in scores["notes"]
    check = next(c for c in executed.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "hw1-ex1")
    feedback = next(o["data"]["text/plain"] for o in check.outputs if homework.FEEDBACK_MIME in o.get("data", {}))
    assert "✗ far-away points (exp underflows)" in feedback
    assert "got:      −∞" in feedback
    assert "stay in log space" in feedback
    assert "Exception" not in feedback.split("far-away")[0], "no exception for an ordinary wrong answer"


def test_a_kernel_crash_scores_the_rest_zero_and_keeps_earlier_scores(tmp_path):
    path = os.path.join(homework.STUDENT, "hw2-elbo-and-kl.ipynb")
    nb = nbformat.read(path, as_version=4)
    cells = {c.metadata.get("nbgrader", {}).get("grade_id"): c for c in nb.cells}
    cells["hw2-ex1-solution"].source = cells["hw2-ex1-solution"].source.replace(
        "// YOUR CODE HERE\n    throw new UnsupportedOperationException(\"your code here\");",
        "return q.logSigma().sum(1).addi(0.5 * q.dim() * (1 + LogMath.LOG_2PI));")
    cells["hw2-ex2-solution"].source += "\nRuntime.getRuntime().halt(3);"             # kills the kernel
    submission = tmp_path / "crash.ipynb"
    nbformat.write(nb, str(submission))
    scores, _, out = grade(submission, tmp_path)
    ex = {e["exercise"]: e for e in scores["exercises"]}
    assert ex["hw2-ex1"]["score"] == 1, out
    assert ex["hw2-ex2"]["score"] == 0 and "DeadKernelError" in ex["hw2-ex2"]["problem"], out
    assert scores["score"] == 1
    assert "execution stopped early: DeadKernelError" in out
