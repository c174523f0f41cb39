"""Measures the memory a student's kernel needs for one notebook: executes it in a fresh latentvi
kernel and reads, before the kernel shuts down, the peak resident memory (VmHWM in /proc) of the
kernel's processes (the JJava launcher and the JVM it starts, heap plus ND4J's native memory).

    .venv/bin/python environment/kernel_memory.py notebooks/04-variational-autoencoders.ipynb

Linux only (reads /proc). The number sizes a JupyterHub or Binder memory limit (README, "Teaching a class").
"""
import os
import sys
import time

import nbformat
from nbclient import NotebookClient


def children(pid):
    """Every descendant of pid (from /proc/*/stat's parent ids)."""
    parents = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
                parents.setdefault(int(fields[1]), []).append(int(entry))
            except OSError:
                pass
    found, todo = [], [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            found.append(child)
            todo.append(child)
    return found


def status(pid, key):
    """A /proc/PID/status value in kB (VmHWM: peak resident set; VmRSS: resident now)."""
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return 0


def command(pid):
    with open(f"/proc/{pid}/cmdline", "rb") as f:
        args = f.read().split(b"\0")
    return " ".join(a.decode(errors="replace") for a in args[:3])[:80]


def main(argv):
    if len(argv) != 1:
        sys.exit("usage: kernel_memory.py NOTEBOOK.ipynb")
    path = argv[0]
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=1800, kernel_name="latentvi",
                            resources={"metadata": {"path": os.path.dirname(os.path.abspath(path))}})
    start = time.time()
    with client.setup_kernel():
        pid = client.km.provisioner.process.pid
        for index, cell in enumerate(nb.cells):
            client.execute_cell(cell, index)
        rows = [(p, command(p), status(p, "VmHWM"), status(p, "VmRSS")) for p in [pid] + children(pid)]
    for p, name, hwm, rss in rows:
        print(f"pid {p} ({name}): VmHWM {hwm / 1024:.0f} MiB, VmRSS {rss / 1024:.0f} MiB")
    print(f"{path}: kernel peak resident memory (VmHWM, largest process) {max(r[2] for r in rows) / 1024:.0f} MiB, "
          f"all kernel processes {sum(r[2] for r in rows) / 1024:.0f} MiB, executed in {time.time() - start:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
