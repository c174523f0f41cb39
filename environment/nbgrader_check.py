"""The homework through the real nbgrader, as an instructor runs it, checked against homework-grade.

    .venv/bin/python environment/nbgrader_check.py [--workers 2] [--keep DIR] [ASSIGNMENT ...]

For each assignment, in a course directory of its own (environment/homework.py course):
  1. `nbgrader generate_assignment`: the release must equal notebooks/homework/student/ cell for cell;
  2. `nbgrader validate`: the solution passes, the untouched release fails;
  3. three submissions — correct, untouched, and one with the first exercise wrong — go through
     `nbgrader autograde`, and the gradebook's scores must equal environment/homework-grade's,
     cell by cell; the correct one scores full marks, the untouched one 0, the wrong one loses
     exactly the first exercise's points.
Prints the score table; exits 1 naming every mismatch.
"""
import argparse
import copy
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor

import nbformat

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HOMEWORK = os.path.join(ROOT, "notebooks", "homework")
STUDENT = os.path.join(HOMEWORK, "student")
BIN = os.path.dirname(sys.executable)
SUBMISSIONS = ("correct", "untouched", "wrong")

# Hostile submissions: (solution grade_id, code replacing its solution region, or None to keep it,
# code put above the method in that cell); the expected score; text each graded cell must show.
CRASH = ("Class<?> k = Class.forName(\"sun.misc.Unsafe\"); var f = k.getDeclaredField(\"theUnsafe\");"
         " f.setAccessible(true); ((sun.misc.Unsafe) f.get(null)).putAddress(0, 42);   // the JVM dies")
HOSTILE = {
    "hw1-gaussian-mixtures": {   # endless loop; a flood; a wrong answer behind look-alikes of the check
        "edits": [("hw1-ex1-solution", "while (true) { }", None),
                  ("hw1-ex3-solution", "return null;",
                   "class MixtureHomework { static final double MIN_VARIANCE = 1e-6;"
                   " static double checkEmStep(Object f) { return 3; } }\n"
                   "class Grade { double score() { return 3; } }\n"
                   "double score = 3;\n")],
        "flood_in": "hw1-ex2-solution",
        "score": 4.0,                     # 1.2 (flooding, but right) and 1.4
        "shows": {"hw1-ex1": "timed out after 30 s"},
    },
    "hw2-elbo-and-kl": {         # System.exit in a checked function; a JVM crash in a solution cell
        "edits": [("hw2-ex1-solution", "System.exit(3);\n    return null;", None),
                  ("hw2-ex2-solution", None, CRASH + "\n")],
        "score": 6.0,                     # 2.3 and 2.4, graded in the kernel restarted after the crash
        "shows": {"hw2-ex1": "System.exit(3) is disabled"},
    },
}


def run(cmd, cwd, log):
    with open(log, "a") as f:
        f.write(f"\n$ {' '.join(cmd)}\n")
        f.flush()
        env = dict(os.environ, PATH=BIN + os.pathsep + os.environ.get("PATH", ""))   # nbgrader runs `alembic`
        p = subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        f.write(p.stdout)
    return p


def nbgrader_meta(cell):
    return cell.get("metadata", {}).get("nbgrader", {})


def wrong_first_exercise(nb):
    """The first solution's last `return X;` made wrong but well-typed: ×1.5 (INDArray or double)."""
    for cell in nb.cells:
        if not nbgrader_meta(cell).get("solution"):
            continue
        lines = cell.source.split("\n")
        signature = next(l for l in lines if re.match(r"^\w[\w<>\[\], ]*\s+\w+\(.*\)\s*\{\s*$", l))
        returns = [i for i, l in enumerate(lines) if l.strip().startswith("return ") and l.strip().endswith(";")]
        i = returns[-1]
        indent, expr = re.match(r"^(\s*)return (.*);\s*$", lines[i]).groups()
        lines[i] = f"{indent}return ({expr}).mul(1.5);" if signature.strip().startswith("INDArray") \
            else f"{indent}return 1.5 * ({expr});"
        cell.source = "\n".join(lines)
        return nbgrader_meta(cell)["grade_id"]
    raise ValueError("no solution cell")


def replace_region(source, body):
    lines, out, inside = source.split("\n"), [], False
    for line in lines:
        if "BEGIN SOLUTION" in line:
            inside = True
            indent = line[:len(line) - len(line.lstrip())]
            out.extend(indent + b for b in body.split("\n"))
        elif "END SOLUTION" in line:
            inside = False
        elif not inside:
            out.append(line)
    return "\n".join(out)


def hostile(name, correct):
    """The hostile submission of an assignment (endless loop, System.exit, a crash, shadowing, a flood)."""
    spec = HOSTILE[name]
    nb = copy.deepcopy(correct)
    cells = {nbgrader_meta(c).get("grade_id"): c for c in nb.cells}
    for gid, body, above in spec["edits"]:
        cell = cells[gid]
        if body is not None:
            cell.source = replace_region(cell.source, body)
        if above:
            cell.source = above + cell.source
    if spec.get("flood_in"):
        cell = cells[spec["flood_in"]]
        cell.source = cell.source.replace("// BEGIN SOLUTION", "// BEGIN SOLUTION\n    for (int i = 0; i < 100_000; i++) System.out.println(\"flood \" + i);", 1)
    return nb


def submissions(release, source):
    """correct / untouched / wrong versions of the release notebook."""
    sol = {nbgrader_meta(c).get("grade_id"): c.source for c in source.cells if nbgrader_meta(c).get("solution")}
    correct = copy.deepcopy(release)
    for cell in correct.cells:
        gid = nbgrader_meta(cell).get("grade_id")
        if gid in sol:
            cell.source = sol[gid]
    wrong = copy.deepcopy(correct)
    wrong_first_exercise(wrong)
    return {"correct": correct, "untouched": copy.deepcopy(release), "wrong": wrong}


def shown(nb, gid):
    """All text a graded cell's outputs show (plain and HTML)."""
    cell = next(c for c in nb.cells if nbgrader_meta(c).get("grade_id") == gid)
    parts = []
    for o in cell.get("outputs", []):
        parts.append(o.get("text", "") if isinstance(o.get("text", ""), str) else "".join(o["text"]))
        for v in o.get("data", {}).values():
            parts.append(v if isinstance(v, str) else json.dumps(v))
    return "\n".join(parts)


def check(name, keep=None):
    """Runs the round trip for one assignment; returns (rows, problems, seconds)."""
    start = time.time()
    problems = []
    course = tempfile.mkdtemp(prefix=f"nbgrader-{name}-", dir=keep)
    log = os.path.join(course, "log.txt")
    p = run([sys.executable, os.path.join(ROOT, "environment", "homework.py"), "course", course], course, log)
    if p.returncode:
        return [], [f"{name}: homework.py course failed (see {log})"], 0
    for other in os.listdir(os.path.join(course, "source")):
        if other != name:
            shutil.rmtree(os.path.join(course, "source", other))
    nbg = os.path.join(BIN, "nbgrader")
    # 1. generate_assignment
    p = run([nbg, "generate_assignment", name, "--force"], course, log)
    release_path = os.path.join(course, "release", name, name + ".ipynb")
    if p.returncode or not os.path.isfile(release_path):
        return [], [f"{name}: nbgrader generate_assignment failed (see {log})"], time.time() - start
    release = nbformat.read(release_path, as_version=4)
    student = nbformat.read(os.path.join(STUDENT, name + ".ipynb"), as_version=4)
    if [c.source for c in release.cells] != [c.source for c in student.cells]:
        problems.append(f"{name}: nbgrader's release differs from notebooks/homework/student/{name}.ipynb")
    # 2. validate
    p = run([nbg, "validate", os.path.join("source", name, name + ".ipynb")], course, log)
    if "Success!" not in p.stdout:
        problems.append(f"{name}: nbgrader validate does not pass the solution (see {log})")
    p = run([nbg, "validate", release_path], course, log)
    if "Success!" in p.stdout or "VALIDATION FAILED" not in p.stdout:
        problems.append(f"{name}: nbgrader validate passes the untouched release (see {log})")
    # 3. autograde three submissions, and homework-grade the same files
    source = nbformat.read(os.path.join(course, "source", name, name + ".ipynb"), as_version=4)
    subs = submissions(release, source)
    if name in HOSTILE:
        subs["hostile"] = hostile(name, subs["correct"])
    for student_id, nb in subs.items():
        d = os.path.join(course, "submitted", student_id, name)
        os.makedirs(d, exist_ok=True)
        nbformat.write(nb, os.path.join(d, name + ".ipynb"))
    p = run([nbg, "autograde", name, "--create", "--force"], course, log)
    if p.returncode:
        problems.append(f"{name}: nbgrader autograde exited {p.returncode} (see {log})")
    from nbgrader.api import Gradebook
    rows = []
    with Gradebook("sqlite:///" + os.path.join(course, "gradebook.db")) as gb:
        for student_id in subs:
            sub_path = os.path.join(course, "submitted", student_id, name, name + ".ipynb")
            out = os.path.join(course, f"homework-grade-{student_id}.json")
            executed = os.path.join(course, f"homework-grade-{student_id}.ipynb")
            p = run([sys.executable, os.path.join(ROOT, "environment", "homework.py"), "grade", sub_path, "--json", out,
                     "--output", executed], course, log)
            mine = json.load(open(out)) if p.returncode == 0 and os.path.isfile(out) else None
            try:
                nbg_total = gb.find_submission(name, student_id).score
                nbg_cells = {g.name: g.score for g in gb.find_submission_notebook(name, name, student_id).grades}
            except Exception as e:  # missing from the gradebook
                problems.append(f"{name}/{student_id}: not in nbgrader's gradebook ({e})")
                continue
            if mine is None:
                problems.append(f"{name}/{student_id}: homework-grade failed (see {log})")
                continue
            for ex in mine["exercises"]:
                if abs(nbg_cells.get(ex["exercise"], -1) - ex["score"]) > 1e-9:
                    problems.append(f"{name}/{student_id}: {ex['exercise']} nbgrader {nbg_cells.get(ex['exercise'])}"
                                    f" vs homework-grade {ex['score']}")
            rows.append((name, student_id, nbg_total, mine["score"], mine["points"]))
            ran = nbformat.read(executed, as_version=4)
            errors = [(i, o.get("ename")) for i, c in enumerate(ran.cells) for o in c.get("outputs", [])
                      if o.get("output_type") == "error"]
            if student_id == "correct" and (errors or any(e["passed"] != e["total"] for e in mine["exercises"])):
                problems.append(f"{name}/correct: not every case passed, or error outputs {errors}")
            if student_id == "untouched":
                if errors:
                    problems.append(f"{name}/untouched: the release must run top to bottom without error outputs, got {errors}")
                if not all(e["total"] and "not attempted yet" in (e["feedback"] or "") for e in mine["exercises"]):
                    problems.append(f"{name}/untouched: every check must report 'not attempted yet'")
            if student_id == "hostile":
                auto = nbformat.read(os.path.join(course, "autograded", student_id, name, name + ".ipynb"), as_version=4)
                for gid, text in HOSTILE[name]["shows"].items():
                    for label, book in (("homework-grade", ran), ("nbgrader", auto)):
                        if text not in shown(book, gid):
                            problems.append(f"{name}/hostile: {label}'s {gid} does not show {text!r}")
                flood = HOSTILE[name].get("flood_in")
                if flood and "output cut" not in shown(ran, flood.replace("-solution", "")):
                    problems.append(f"{name}/hostile: the flood in {flood} was not cut")
    expected = {"correct": lambda r: r[4], "untouched": lambda r: 0.0}
    first_points = next(nbgrader_meta(c)["points"] for c in source.cells if nbgrader_meta(c).get("grade"))
    expected["wrong"] = lambda r: r[4] - first_points
    expected["hostile"] = lambda r: HOSTILE[name]["score"]
    for r in rows:
        if abs(r[2] - expected[r[1]](r)) > 1e-9:
            problems.append(f"{name}/{r[1]}: nbgrader scored {r[2]}, expected {expected[r[1]](r)}")
    if not keep and not problems:
        shutil.rmtree(course, ignore_errors=True)
    return rows, problems, time.time() - start


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("assignments", nargs="*")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--keep", help="keep the course directories under this folder")
    args = parser.parse_args(argv)
    names = args.assignments or sorted(f[:-6] for f in os.listdir(HOMEWORK) if f.endswith(".ipynb"))
    if args.keep:
        os.makedirs(args.keep, exist_ok=True)
    start = time.time()
    with ProcessPoolExecutor(max_workers=args.workers) as pool:
        results = list(pool.map(check, names, [args.keep] * len(names)))
    print(f"{'assignment':<26} {'submission':<10} {'nbgrader':>9} {'homework-grade':>15} {'points':>7}")
    problems = []
    for (rows, probs, seconds), name in zip(results, names):
        for r in rows:
            print(f"{r[0]:<26} {r[1]:<10} {r[2]:>9.2f} {r[3]:>15.2f} {r[4]:>7g}")
        print(f"{name}: round trip in {seconds:.0f} s")
        problems.extend(probs)
    print(f"nbgrader round trip: {len(names)} assignments in {time.time() - start:.0f} s with {args.workers} workers")
    for p in problems:
        print(f"FAIL {p}")
    print("nbgrader round trip: " + ("FAILED" if problems else "all scores agree"))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
