"""Homework tooling for the latentvi Java notebooks, following nbgrader's conventions.

    .venv/bin/python environment/homework.py generate [--check] [SOLUTION.ipynb ...]
    .venv/bin/python environment/homework.py grade SUBMITTED.ipynb [--json FILE] [--output EXECUTED.ipynb]

Solution notebooks live in notebooks/homework/. Their cells carry nbgrader metadata
(metadata.nbgrader: solution / grade / locked / grade_id / points / schema_version): a *solution*
cell holds the student's code between "// BEGIN SOLUTION" and "// END SOLUTION" lines; a *graded*
cell (grade: true, locked, with points) runs a check from dev.latentvi.homework whose output
carries a machine-readable score (MIME application/vnd.latentvi.homework+json).

generate  writes the student version of each solution notebook to notebooks/homework/student/
          (same file name): every solution region becomes a stub that throws
          UnsupportedOperationException("your code here"), outputs are cleared. With --check it
          writes nothing and fails if a committed student version differs from what it would write.
          nbgrader's own generate_assignment needs a course directory and database and its Java stub
          ("// YOUR CODE HERE") does not compile inside a method that must return a value, so this
          does the same transformation with a throwing stub.
grade     restores the locked cells of a submission from the student version (so edited checks do
          not count), executes it headlessly with the latentvi kernel, and reports the score of
          every graded cell (0 when the cell errored or gave no feedback), and the total.
"""
import argparse
import copy
import json
import os
import re
import sys
import time

import nbformat

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HOMEWORK = os.path.join(ROOT, "notebooks", "homework")
STUDENT = os.path.join(HOMEWORK, "student")
FEEDBACK_MIME = "application/vnd.latentvi.homework+json"
BEGIN = re.compile(r"^(\s*)//\s*BEGIN SOLUTION\s*$")
END = re.compile(r"^\s*//\s*END SOLUTION\s*$")
STUB = ['{indent}// YOUR CODE HERE', '{indent}throw new UnsupportedOperationException("your code here");']
CELL_TIMEOUT = int(os.environ.get("LATENTVI_CELL_TIMEOUT", "600"))


class HomeworkError(Exception):
    """A malformed homework notebook (unbalanced solution markers, missing metadata, ...)."""


def nbgrader(cell):
    return cell.get("metadata", {}).get("nbgrader", {})


def strip_solution(source, where):
    """The source with every BEGIN/END SOLUTION region replaced by the throwing stub; (text, regions)."""
    out, regions, inside = [], 0, None
    for n, line in enumerate(source.split("\n"), 1):
        if inside is None:
            m = BEGIN.match(line)
            if m:
                inside = m.group(1)
                regions += 1
            elif END.match(line):
                raise HomeworkError(f"{where}: line {n}: END SOLUTION without BEGIN SOLUTION")
            else:
                out.append(line)
        elif BEGIN.match(line):
            raise HomeworkError(f"{where}: line {n}: BEGIN SOLUTION inside another solution region")
        elif END.match(line):
            out.extend(s.format(indent=inside) for s in STUB)
            inside = None
    if inside is not None:
        raise HomeworkError(f"{where}: BEGIN SOLUTION without END SOLUTION")
    return "\n".join(out), regions


def validate(nb, name, source=True):
    """Checks the nbgrader metadata (of a solution notebook when source, else of a student version);
    returns the graded cells' (grade_id, points) in order."""
    ids, graded = set(), []
    for i, cell in enumerate(nb.cells):
        meta = nbgrader(cell)
        has_region = cell.cell_type == "code" and any(BEGIN.match(l) for l in cell.source.split("\n"))
        if has_region and not meta.get("solution"):
            raise HomeworkError(f"{name} cell {i}: has a solution region but metadata.nbgrader.solution is not true")
        if not meta:
            continue
        gid = meta.get("grade_id")
        if not gid:
            raise HomeworkError(f"{name} cell {i}: metadata.nbgrader without grade_id")
        if gid in ids:
            raise HomeworkError(f"{name} cell {i}: grade_id {gid!r} used twice")
        ids.add(gid)
        if source and meta.get("solution") and cell.cell_type == "code" and not has_region:
            raise HomeworkError(f"{name} cell {i} ({gid}): solution cell without a // BEGIN SOLUTION region")
        if meta.get("grade"):
            if not meta.get("locked") or not isinstance(meta.get("points"), (int, float)) or meta["points"] <= 0:
                raise HomeworkError(f"{name} cell {i} ({gid}): a graded cell must be locked and have points > 0")
            graded.append((gid, meta["points"]))
    if not graded:
        raise HomeworkError(f"{name}: no graded cells (metadata.nbgrader.grade = true)")
    return graded


def student_version(nb, name):
    """The student notebook: solution regions stubbed, outputs cleared, metadata kept."""
    validate(nb, name)
    out = copy.deepcopy(nb)
    for i, cell in enumerate(out.cells):
        if cell.cell_type == "code":
            if nbgrader(cell).get("solution"):
                cell.source, _ = strip_solution(cell.source, f"{name} cell {i}")
            cell.outputs = []
            cell.execution_count = None
    return out


def solution_notebooks():
    return sorted(os.path.join(HOMEWORK, f) for f in os.listdir(HOMEWORK)
                  if f.endswith(".ipynb") and not f.endswith("-student.ipynb"))


def generate(paths, check=False):
    paths = paths or solution_notebooks()
    os.makedirs(STUDENT, exist_ok=True) if not check else None
    stale = []
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        text = nbformat.writes(student_version(nb, os.path.basename(path))) + "\n"
        target = os.path.join(STUDENT, os.path.basename(path))
        if check:
            current = open(target, encoding="utf-8").read() if os.path.isfile(target) else None
            if current != text:
                stale.append(target)
                print(f"STALE {os.path.relpath(target, ROOT)}: differs from the generated student version", flush=True)
            else:
                print(f"OK    {os.path.relpath(target, ROOT)}", flush=True)
        else:
            with open(target, "w", encoding="utf-8") as f:
                f.write(text)
            print(f"wrote {os.path.relpath(target, ROOT)}", flush=True)
    if stale:
        print("run environment/homework-generate to regenerate them", flush=True)
    return 1 if stale else 0


def release_for(submission_path, nb):
    """The student (release) version a submission came from: by metadata, else by file name."""
    name = nb.metadata.get("latentvi_homework", {}).get("assignment")
    candidates = ([os.path.join(STUDENT, name + ".ipynb")] if name else []) + [
        os.path.join(STUDENT, os.path.basename(submission_path))]
    for c in candidates:
        if os.path.isfile(c):
            return c
    raise HomeworkError(f"{submission_path}: cannot tell which assignment this is (no metadata.latentvi_homework.assignment"
                        f" and no notebooks/homework/student/{os.path.basename(submission_path)})")


def restore_locked(nb, release):
    """Puts back the release version of every locked cell (matched by grade_id); returns notes."""
    notes = []
    by_id = {nbgrader(c).get("grade_id"): i for i, c in enumerate(nb.cells) if nbgrader(c).get("grade_id")}
    for cell in release.cells:
        meta = nbgrader(cell)
        if not meta.get("locked"):
            continue
        gid = meta["grade_id"]
        if gid not in by_id:
            notes.append(f"cell {gid} was deleted from the submission; it is graded as missing")
            continue
        mine = nb.cells[by_id[gid]]
        if mine.source != cell.source:
            notes.append(f"cell {gid} was edited; restored the original")
            mine.source = cell.source
    return notes


def feedback_of(cell):
    """(summary dict or None, error text or None) from an executed graded cell's outputs.

    Only the cell's own result counts (the execute_result the check returns), not display
    outputs that code called by the check might emit; a cell with an error output scores nothing.
    """
    summary, error = None, None
    for out in cell.get("outputs", []):
        data = out.get("data", {})
        if out.get("output_type") == "execute_result" and FEEDBACK_MIME in data:
            value = data[FEEDBACK_MIME]
            summary = json.loads(value) if isinstance(value, str) else dict(value)
        if out.get("output_type") == "error":
            error = f"{out.get('ename')}: {out.get('evalue')}".strip()
    return (None if error else summary), error


def execute(nb, path):
    from nbclient import NotebookClient
    from nbclient.exceptions import CellTimeoutError, DeadKernelError
    client = NotebookClient(nb, timeout=CELL_TIMEOUT, kernel_name="latentvi", allow_errors=True,
                            resources={"metadata": {"path": os.path.dirname(os.path.abspath(path))}})
    log_dir = os.path.join(ROOT, "target", "kernel-logs")
    os.makedirs(log_dir, exist_ok=True)
    with open(os.path.join(log_dir, "grade-" + os.path.basename(path).replace(".ipynb", ".log")), "w") as log:
        try:
            client.execute(stderr=log, stdout=log)
        except (CellTimeoutError, DeadKernelError) as e:
            return f"{type(e).__name__}: {str(e).strip().splitlines()[0] if str(e).strip() else ''}"
    return None


def grade(path, json_path=None, output=None):
    nb = nbformat.read(path, as_version=4)
    release_path = release_for(path, nb)
    release = nbformat.read(release_path, as_version=4)
    graded = validate(release, os.path.basename(release_path), source=False)
    notes = restore_locked(nb, release)
    start = time.time()
    crash = execute(nb, path)
    seconds = time.time() - start
    cells = {nbgrader(c).get("grade_id"): c for c in nb.cells if nbgrader(c).get("grade_id")}
    rows = []
    for gid, points in graded:
        cell = cells.get(gid)
        summary, error = feedback_of(cell) if cell is not None else (None, "cell missing")
        if summary is not None and summary.get("total"):
            score = points * summary["passed"] / summary["total"]
            rows.append({"exercise": gid, "title": summary.get("exercise", gid), "score": score, "points": points,
                         "passed": summary["passed"], "total": summary["total"], "problem": None})
        else:
            problem = error or crash or "no feedback output (did the cell run?)"
            rows.append({"exercise": gid, "title": gid, "score": 0.0, "points": points, "passed": 0, "total": None,
                         "problem": problem})
    total = sum(r["score"] for r in rows)
    possible = sum(r["points"] for r in rows)
    print(f"Grading {path} (assignment {os.path.basename(release_path)[:-6]}, executed in {seconds:.1f} s)")
    for note in notes:
        print(f"  note: {note}")
    if crash:
        print(f"  note: execution stopped early: {crash}")
    width = max(len(r["exercise"]) for r in rows)
    for r in rows:
        detail = f"{r['passed']}/{r['total']} cases  {r['title']}" if r["total"] else f"0 — {r['problem']}"
        print(f"  {r['exercise']:<{width}}  {r['score']:5.2f} / {r['points']:<4g}  {detail}")
    print(f"  {'total':<{width}}  {total:5.2f} / {possible:<4g}")
    if json_path:
        with open(json_path, "w", encoding="utf-8") as f:
            json.dump({"notebook": path, "assignment": os.path.basename(release_path)[:-6], "exercises": rows,
                       "score": total, "points": possible, "notes": notes, "seconds": seconds}, f, indent=1)
    if output:
        nbformat.write(nb, output)
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    g = sub.add_parser("generate", help="write the student versions of the solution notebooks")
    g.add_argument("notebooks", nargs="*", help="solution notebooks (default: every notebooks/homework/*.ipynb)")
    g.add_argument("--check", action="store_true", help="only check the committed student versions are up to date")
    r = sub.add_parser("grade", help="execute a submitted notebook and report the score per exercise")
    r.add_argument("notebook")
    r.add_argument("--json", help="also write the scores as JSON here")
    r.add_argument("--output", help="also write the executed notebook (with feedback) here")
    args = parser.parse_args(argv)
    try:
        if args.command == "generate":
            return generate(args.notebooks, check=args.check)
        return grade(args.notebook, json_path=args.json, output=args.output)
    except (HomeworkError, OSError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
