"""Executes homework notebooks with the latentvi kernel through environment/homework-grade: a
deliberately wrong answer gets its specific feedback, and a crashed kernel costs only what did not
run. (Solutions scoring full marks and student versions scoring zero without error outputs are
checked, for every assignment, by environment/nbgrader_check.py against nbgrader's autograde.)"""
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
    feedback = next(o["data"][homework.FEEDBACK_MIME]["feedback"] for o in check.outputs if homework.FEEDBACK_MIME in o.get("data", {}))
    assert ex["hw1-ex1"]["feedback"] == feedback
    assert "✗ far-away points (exp underflows)" in feedback
    assert "got:      −∞" in feedback
    assert "stay in log space" in feedback
    assert "Exception" not in feedback.split("far-away")[0], "no exception for an ordinary wrong answer"


def test_a_kernel_crash_costs_only_what_did_not_run(tmp_path):
    path = os.path.join(homework.STUDENT, "hw2-elbo-and-kl.ipynb")
    nb = nbformat.read(path, as_version=4)
    solution = nbformat.read(os.path.join(homework.HOMEWORK, "hw2-elbo-and-kl.ipynb"), as_version=4)
    cells = {c.metadata.get("nbgrader", {}).get("grade_id"): c for c in nb.cells}
    right = {c.metadata.get("nbgrader", {}).get("grade_id"): c.source for c in solution.cells}
    cells["hw2-ex1-solution"].source = right["hw2-ex1-solution"]
    cells["hw2-ex3-solution"].source = right["hw2-ex3-solution"]
    cells["hw2-ex2-solution"].source += ("\nClass<?> k = Class.forName(\"sun.misc.Unsafe\"); var f = k.getDeclaredField(\"theUnsafe\");"
                                         " f.setAccessible(true); ((sun.misc.Unsafe) f.get(null)).putAddress(0, 42);")  # kills the JVM
    cells["hw2-ex1-solution"].source += "\nRuntime.getRuntime().halt(3);"        # cannot: the kernel's ExitGuard refuses
    submission = tmp_path / "crash.ipynb"
    nbformat.write(nb, str(submission))
    scores, executed, out = grade(submission, tmp_path)
    ex = {e["exercise"]: e for e in scores["exercises"]}
    assert ex["hw2-ex1"]["score"] == 1, out
    assert ex["hw2-ex2"]["score"] == 0 and "kl" in ex["hw2-ex2"]["problem"], out
    assert ex["hw2-ex3"]["score"] == 3, "the exercise after the crash is graded in a fresh kernel\n" + out
    assert scores["score"] == 4
    assert "the kernel died in hw2-ex2-solution; the cells after it ran in a fresh kernel" in scores["notes"], out
    halted = next(c for c in executed.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "hw2-ex1-solution")
    assert any("System.exit(3) is disabled" in o.get("evalue", "") + str(o.get("text", "")) for o in halted.outputs), halted.outputs
