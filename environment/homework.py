"""Homework tooling for the latentvi Java notebooks: thin layers over nbgrader's own logic.

    .venv/bin/python environment/homework.py generate [--check] [SOLUTION.ipynb ...]
    .venv/bin/python environment/homework.py grade SUBMITTED.ipynb|DIR ... [--workers N] [--json FILE] [--output EXECUTED.ipynb]
    .venv/bin/python environment/homework.py course DIR

Solution notebooks live in notebooks/homework/. Their cells carry nbgrader metadata
(metadata.nbgrader: solution / grade / locked / grade_id / points / schema_version): a *solution*
cell holds the student's code between "// BEGIN SOLUTION" and "// END SOLUTION" lines; a *graded*
cell (grade: true, locked, with points) ends with a check from dev.latentvi.homework and
`.grade()`, whose result is the points earned (nbgrader's partial credit); hidden cases sit
between "// BEGIN HIDDEN TESTS" and "// END HIDDEN TESTS".

generate  writes the student version of each solution notebook to notebooks/homework/student/
          with nbgrader's ClearHiddenTests and ClearSolutions preprocessors configured by
          environment/nbgrader_config.py — the cells `nbgrader generate_assignment` releases.
          With --check it writes nothing and fails if a committed student version is stale.
grade     restores the locked cells of each submission from the student version, executes it with
          nbgrader's Execute (made to survive a dead kernel: latentvi_grading.ResilientExecute) and
          scores every graded cell with nbgrader's own rule, so the scores equal `nbgrader autograde`'s.
          A folder grades every notebook in it, with --workers in parallel.
course    lays out an nbgrader course directory (source/<assignment>/<assignment>.ipynb and a
          nbgrader_config.py that loads environment/nbgrader_config.py).
"""
import argparse
import copy
import json
import os
import re
import shutil
import sys
import time

import nbformat

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))   # latentvi_grading

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
HOMEWORK = os.path.join(ROOT, "notebooks", "homework")
STUDENT = os.path.join(HOMEWORK, "student")
FEEDBACK_MIME = "application/vnd.latentvi.homework+json"
BEGIN = re.compile(r"^(\s*)//\s*BEGIN SOLUTION\s*$")
END = re.compile(r"^\s*//\s*END SOLUTION\s*$")
CONFIG = os.path.join(ROOT, "environment", "nbgrader_config.py")


class HomeworkError(Exception):
    """A malformed homework notebook (unbalanced solution markers, missing metadata, ...)."""


def nbgrader(cell):
    return cell.get("metadata", {}).get("nbgrader", {})


def nbgrader_config():
    """The traitlets config of environment/nbgrader_config.py (what nbgrader itself loads)."""
    from traitlets.config.loader import PyFileConfigLoader
    return PyFileConfigLoader(os.path.basename(CONFIG), path=os.path.dirname(CONFIG)).load_config()


def check_markers(source, where):
    """Solution markers come in BEGIN/END pairs, never nested (nbgrader silently drops a lone END)."""
    inside = False
    for n, line in enumerate(source.split("\n"), 1):
        if BEGIN.match(line):
            if inside:
                raise HomeworkError(f"{where}: line {n}: BEGIN SOLUTION inside another solution region")
            inside = True
        elif END.match(line):
            if not inside:
                raise HomeworkError(f"{where}: line {n}: END SOLUTION without BEGIN SOLUTION")
            inside = False
    if inside:
        raise HomeworkError(f"{where}: BEGIN SOLUTION without END SOLUTION")


def validate(nb, name, source=True):
    """Checks the nbgrader metadata (of a solution notebook when source, else of a student version);
    returns the graded cells' (grade_id, points) in order."""
    ids, graded = set(), []
    for i, cell in enumerate(nb.cells):
        meta = nbgrader(cell)
        has_region = cell.cell_type == "code" and any(BEGIN.match(l) for l in cell.source.split("\n"))
        if cell.cell_type == "code":
            check_markers(cell.source, f"{name} cell {i}")
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
    """The student notebook: hidden tests removed and solution regions stubbed by nbgrader's
    preprocessors, outputs cleared, metadata kept."""
    from nbgrader.preprocessors import ClearHiddenTests, ClearSolutions
    validate(nb, name)
    out = copy.deepcopy(nb)
    cfg = nbgrader_config()
    try:
        out, _ = ClearHiddenTests(config=cfg).preprocess(out, {})
        out, _ = ClearSolutions(config=cfg).preprocess(out, {})
    except RuntimeError as e:
        raise HomeworkError(f"{name}: {e}") from e
    for cell in out.cells:
        if cell.cell_type == "code":
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


def assignment_of(submission_path, nb):
    """The assignment a submission belongs to (by metadata, else by file name): (source, release) paths."""
    name = nb.metadata.get("latentvi_homework", {}).get("assignment") or os.path.basename(submission_path)[:-6]
    source, release = os.path.join(HOMEWORK, name + ".ipynb"), os.path.join(STUDENT, name + ".ipynb")
    if not (os.path.isfile(source) and os.path.isfile(release)):
        raise HomeworkError(f"{submission_path}: cannot tell which assignment this is (no metadata.latentvi_homework.assignment"
                            f" and no notebooks/homework/{name}.ipynb)")
    return source, release


def restore_locked(nb, source, release):
    """Puts back the instructor's version of every locked cell (matched by grade_id, hidden tests
    included, as nbgrader's OverwriteCells does); returns notes on cells the student changed."""
    notes = []
    by_id = {nbgrader(c).get("grade_id"): i for i, c in enumerate(nb.cells) if nbgrader(c).get("grade_id")}
    released = {nbgrader(c).get("grade_id"): c.source for c in release.cells}
    for cell in source.cells:
        meta = nbgrader(cell)
        if not meta.get("locked"):
            continue
        gid = meta["grade_id"]
        if gid not in by_id:
            notes.append(f"cell {gid} was deleted from the submission; it is graded as missing")
            continue
        mine = nb.cells[by_id[gid]]
        if mine.source != released.get(gid, cell.source) and mine.source != cell.source:
            notes.append(f"cell {gid} was edited; restored the original")
        mine.source = cell.source
    return notes


def execute(nb, path):
    """Executes a submission with nbgrader's configured Execute (kernel-death resilient); returns seconds."""
    from latentvi_grading import ResilientExecute
    from nbgrader.preprocessors import LimitOutput
    log_dir = os.path.join(ROOT, "target", "kernel-logs")
    os.makedirs(log_dir, exist_ok=True)
    ex = ResilientExecute(config=nbgrader_config())
    start = time.time()
    with open(os.path.join(log_dir, "grade-" + os.path.basename(path).replace(".ipynb", ".log")), "a") as log:
        start_kernel = ex.start_new_kernel
        ex.start_new_kernel = lambda **kw: start_kernel(stdout=log, stderr=log, **kw)   # kernel logs out of the report
        ex.preprocess(nb, {"metadata": {"path": os.path.dirname(os.path.abspath(path))}})
    LimitOutput(config=nbgrader_config()).preprocess(nb, {})     # cut output floods as autograde does
    return time.time() - start


def grade_one(path):
    """Scores one submission: {"notebook", "assignment", "exercises": [...], "score", "points", "notes", "seconds"}."""
    from latentvi_grading import scores
    nb = nbformat.read(path, as_version=4)
    source_path, release_path = assignment_of(path, nb)
    source = nbformat.read(source_path, as_version=4)
    validate(source, os.path.basename(source_path))
    notes = restore_locked(nb, source, nbformat.read(release_path, as_version=4))
    seconds = execute(nb, path)
    titles = {}
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            summary = out.get("data", {}).get(FEEDBACK_MIME)
            if out.get("output_type") == "execute_result" and summary is not None:
                summary = json.loads(summary) if isinstance(summary, str) else dict(summary)
                titles[nbgrader(cell).get("grade_id")] = summary
    for i, cell in enumerate(nb.cells):
        if any(o.get("ename") == "DeadKernelError" for o in cell.get("outputs", [])):
            gid = nbgrader(cell).get("grade_id") or f"cell {i}"
            notes.append(f"the kernel died in {gid}; the cells after it ran in a fresh kernel")
    rows = []
    for gid, score, points, problem in scores(nb):
        summary = titles.get(gid, {})
        rows.append({"exercise": gid, "title": summary.get("exercise", gid), "score": score, "points": points,
                     "passed": summary.get("passed"), "total": summary.get("total"), "problem": problem,
                     "feedback": summary.get("feedback")})
    return {"notebook": path, "assignment": os.path.basename(release_path)[:-6], "exercises": rows,
            "score": sum(r["score"] for r in rows), "points": sum(r["points"] for r in rows), "notes": notes,
            "seconds": seconds}, nb


def report(result):
    rows = result["exercises"]
    print(f"Grading {result['notebook']} (assignment {result['assignment']}, executed in {result['seconds']:.1f} s)")
    for note in result["notes"]:
        print(f"  note: {note}")
    width = max(len(r["exercise"]) for r in rows)
    for r in rows:
        if r["problem"]:
            detail = f"0 — {r['problem']}" if r["score"] == 0 else r["problem"]
        else:
            detail = f"{r['passed']}/{r['total']} cases  {r['title']}" if r["total"] else r["title"]
        print(f"  {r['exercise']:<{width}}  {r['score']:5.2f} / {r['points']:<4g}  {detail}")
    print(f"  {'total':<{width}}  {result['score']:5.2f} / {result['points']:<4g}", flush=True)


def _grade_worker(path):
    try:
        result, _ = grade_one(path)
        return result, None
    except (HomeworkError, OSError) as e:
        return None, f"{path}: {e}"


def submissions(paths):
    out = []
    for p in paths:
        if os.path.isdir(p):
            out.extend(sorted(os.path.join(dp, f) for dp, _, fs in os.walk(p) for f in fs
                              if f.endswith(".ipynb") and ".ipynb_checkpoints" not in dp))
        else:
            out.append(p)
    if not out:
        raise HomeworkError("no submissions (.ipynb files) found in " + ", ".join(paths))
    return out


def grade(paths, json_path=None, output=None, workers=1):
    todo = submissions(paths)
    if output and len(todo) > 1:
        raise HomeworkError("--output needs exactly one submission")
    start = time.time()
    results, errors = [], []
    if len(todo) == 1:
        result, nb = grade_one(todo[0])
        results.append(result)
        if output:
            nbformat.write(nb, output)
    else:
        from concurrent.futures import ProcessPoolExecutor
        with ProcessPoolExecutor(max_workers=max(1, workers)) as pool:
            for result, error in pool.map(_grade_worker, todo):
                (errors.append(error) if error else results.append(result))
    for r in results:
        report(r)
    wall = time.time() - start
    if len(todo) > 1:
        print(f"graded {len(results)} submissions in {wall:.1f} s with {workers} worker(s): "
              f"{wall / max(1, len(todo)):.1f} s per submission")
    for e in errors:
        print(f"error: {e}", file=sys.stderr)
    if json_path:
        with open(json_path, "w", encoding="utf-8") as f:
            json.dump(results[0] if len(todo) == 1 else {"submissions": results, "seconds": wall, "workers": workers},
                      f, indent=1)
    return 1 if errors else 0


COURSE_CONFIG = """# nbgrader course directory for the latentvi homework, made by environment/homework-course.
import os
c = get_config()
load_subconfig({config!r})
c.CourseDirectory.root = os.path.dirname(os.path.abspath(__file__))
"""


def course(directory):
    """Lays out an nbgrader course directory with every assignment under source/."""
    os.makedirs(directory, exist_ok=True)
    for path in solution_notebooks():
        name = os.path.basename(path)[:-6]
        target = os.path.join(directory, "source", name)
        os.makedirs(target, exist_ok=True)
        shutil.copy2(path, os.path.join(target, name + ".ipynb"))
    with open(os.path.join(directory, "nbgrader_config.py"), "w", encoding="utf-8") as f:
        f.write(COURSE_CONFIG.format(config=CONFIG))
    print(f"course directory {directory}: {len(solution_notebooks())} assignments in source/, nbgrader_config.py")
    return 0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    g = sub.add_parser("generate", help="write the student versions of the solution notebooks")
    g.add_argument("notebooks", nargs="*", help="solution notebooks (default: every notebooks/homework/*.ipynb)")
    g.add_argument("--check", action="store_true", help="only check the committed student versions are up to date")
    r = sub.add_parser("grade", help="execute submitted notebooks and report the score per exercise")
    r.add_argument("submissions", nargs="+", help="submitted notebooks, or folders of them")
    r.add_argument("--workers", type=int, default=1, help="grade this many submissions in parallel (default 1)")
    r.add_argument("--json", help="also write the scores as JSON here")
    r.add_argument("--output", help="also write the executed notebook (with feedback) here (one submission)")
    c = sub.add_parser("course", help="lay out an nbgrader course directory")
    c.add_argument("directory")
    args = parser.parse_args(argv)
    try:
        if args.command == "generate":
            return generate(args.notebooks, check=args.check)
        if args.command == "course":
            return course(args.directory)
        if args.workers < 1:
            raise HomeworkError(f"--workers: expected at least 1, got {args.workers}")
        return grade(args.submissions, json_path=args.json, output=args.output, workers=args.workers)
    except (HomeworkError, OSError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
