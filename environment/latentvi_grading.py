"""Grading logic shared by nbgrader (through nbgrader_config.py) and environment/homework-grade.

ResilientExecute is nbgrader's Execute preprocessor that survives a kernel that dies in a cell
(a native crash, an out-of-memory kill): the cell gets an error output, a fresh kernel replays the
cells before it that ran cleanly (setup and the student's definitions, graded cells excepted), and
execution goes on, so only what did not run scores 0. (System.exit cannot end the kernel: the
latentvi kernel's ExitGuard turns it into an exception.)

scores() applies nbgrader's own rule (nbgrader.utils.determine_grade) to an executed notebook, so
homework-grade and `nbgrader autograde` cannot disagree about what a cell earned.
"""
import copy

from nbclient.exceptions import DeadKernelError
from nbformat.notebooknode import NotebookNode
from nbgrader import utils
from nbgrader.preprocessors import Execute


def kernel_died_output(index):
    return NotebookNode(output_type="error", ename="DeadKernelError",
                        evalue=f"the kernel died while running cell {index}; later cells ran in a fresh kernel",
                        traceback=[f"DeadKernelError: the kernel died while running cell {index}"])


class ResilientExecute(Execute):
    """nbgrader's Execute, restarting the kernel when it dies instead of abandoning the notebook."""

    def preprocess(self, nb, resources=None, km=None):
        self._crashed = set()
        self._clean = []
        return super().preprocess(nb, resources, km)

    def preprocess_cell(self, cell, resources, index):
        try:
            cell, resources = super().preprocess_cell(cell, resources, index)
        except DeadKernelError:
            self.log.warning("kernel died in cell %d; restarting it and replaying %d earlier cells", index, len(self._clean))
            cell.outputs = [o for o in cell.get("outputs", []) if o.get("output_type") != "error"] + [kernel_died_output(index)]
            self._crashed.add(index)
            self._restart()
            return cell, self.resources
        if cell.cell_type == "code" and not utils.is_grade(cell) and not any(
                o.get("output_type") == "error" for o in cell.get("outputs", [])):
            self._clean.append(index)
        return cell, resources

    def _restart(self):
        try:
            self._cleanup_kernel()
        except Exception as e:  # the old kernel is gone either way
            self.log.warning("cleaning up the dead kernel: %s", e)
        self.km = self.create_kernel_manager()
        self.start_new_kernel()
        self.start_new_kernel_client()
        for i in list(self._clean):
            replay = copy.deepcopy(self.nb.cells[i])
            try:
                self.execute_cell(replay, i, store_history=True)
            except DeadKernelError:
                self._clean.remove(i)
                self._restart()
                return


def scores(nb):
    """[(grade_id, score, max_points, problem)] for every graded cell, by nbgrader's rule."""
    rows = []
    for cell in nb.cells:
        if not utils.is_grade(cell):
            continue
        gid = cell.metadata["nbgrader"]["grade_id"]
        score, points = utils.determine_grade(cell)
        problem = None
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                problem = f"{out.get('ename')}: {out.get('evalue')}".strip()
            elif out.get("output_type") == "stream" and out.get("name") == "stderr" and problem is None:
                first = (out.get("text", "").strip().splitlines() or [""])[0][:200]
                problem = "wrote to standard error" + (": " + first if first else "")
        if not cell.get("outputs") and problem is None:
            problem = "did not run"
        rows.append((gid, float(score or 0.0), float(points), problem))
    return rows
