"""Measures the memory a student's kernel needs for one notebook: executes it in a fresh latentvi
kernel and reads, before the kernel shuts down, the peak resident memory (VmHWM in /proc) of the
kernel's processes (the JJava launcher and the JVM it starts, heap plus ND4J's native memory).

    .venv/bin/python environment/kernel_memory.py notebooks/04-variational-autoencoders.ipynb
    .venv/bin/python environment/kernel_memory.py --jvm-opts "-Xmx768m ..." notebooks/04-....ipynb
    .venv/bin/python environment/kernel_memory.py --per-cell notebooks/04-....ipynb

--per-cell prints, after every cell that raised the peak, the largest process's VmHWM and VmRSS
(which cell sets the peak, and how much each cell holds on to).

--jvm-opts runs the kernel with other JVM options than its spec's (a copy of the spec in a
temporary folder), e.g. a smaller heap and a cap on ND4J's native memory
(-Dorg.bytedeco.javacpp.maxPhysicalBytes=...), to see whether a notebook fits a memory limit.

Linux only (reads /proc). The number sizes a JupyterHub or Binder memory limit (README, "Teaching a class").
"""
import argparse
import json
import os
import shutil
import sys
import tempfile
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


def kernel_with_options(jvm_opts, env, folder):
    """A copy of the latentvi kernel spec under folder/kernels/ with other JVM options and extra
    environment variables (KEY=VALUE strings); its name."""
    from jupyter_client.kernelspec import KernelSpecManager
    source = KernelSpecManager().get_kernel_spec("latentvi").resource_dir
    dest = os.path.join(folder, "kernels", "latentvi-memory")
    shutil.copytree(source, dest)
    with open(os.path.join(dest, "kernel.json")) as f:
        spec = json.load(f)
    if jvm_opts:
        spec["env"]["JJAVA_JVM_OPTS"] = jvm_opts
    for pair in env:
        key, _, value = pair.partition("=")
        spec["env"][key] = value
    spec["display_name"] += " (memory check)"
    with open(os.path.join(dest, "kernel.json"), "w") as f:
        json.dump(spec, f, indent=2)
    os.environ["JUPYTER_PATH"] = folder + os.pathsep + os.environ.get("JUPYTER_PATH", "")
    return "latentvi-memory"


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("notebook")
    parser.add_argument("--jvm-opts", help="JVM options instead of the kernel spec's JJAVA_JVM_OPTS")
    parser.add_argument("--env", action="append", default=[], metavar="KEY=VALUE",
                        help="an environment variable for the kernel (repeatable), e.g. MALLOC_ARENA_MAX=2")
    parser.add_argument("--per-cell", action="store_true", help="print the peak after every cell that raised it")
    args = parser.parse_args(argv)
    path = args.notebook
    nb = nbformat.read(path, as_version=4)
    folder = tempfile.mkdtemp(prefix="latentvi-kernel-memory-")
    kernel = kernel_with_options(args.jvm_opts, args.env, folder) if args.jvm_opts or args.env else "latentvi"
    client = NotebookClient(nb, timeout=1800, kernel_name=kernel, allow_errors=True,
                            resources={"metadata": {"path": os.path.dirname(os.path.abspath(path))}})
    start = time.time()
    with client.setup_kernel():
        pid = client.km.provisioner.process.pid
        peak = 0
        for index, cell in enumerate(nb.cells):
            client.execute_cell(cell, index)
            if args.per_cell and cell.cell_type == "code":
                hwm, rss, owner = max((status(p, "VmHWM"), status(p, "VmRSS"), p) for p in [pid] + children(pid))
                if hwm > peak:
                    first = cell.source.strip().splitlines()[0][:60] if cell.source.strip() else ""
                    print(f"cell {index} ({cell.get('id', '?')}): VmHWM {hwm / 1024:.0f} MiB "
                          f"(+{(hwm - peak) / 1024:.0f}), VmRSS {rss / 1024:.0f} MiB after it: {first}", flush=True)
                    peak = hwm
        rows = [(p, command(p), status(p, "VmHWM"), status(p, "VmRSS")) for p in [pid] + children(pid)]
    for p, name, hwm, rss in rows:
        print(f"pid {p} ({name}): VmHWM {hwm / 1024:.0f} MiB, VmRSS {rss / 1024:.0f} MiB")
    shutil.rmtree(folder, ignore_errors=True)
    errors = [f"cell {i}: {o.get('ename')}: {o.get('evalue')}"[:200] for i, c in enumerate(nb.cells)
              for o in c.get("outputs", []) if o.get("output_type") == "error"]
    for e in errors:
        print("ERROR " + e)
    print(f"{path}: kernel peak resident memory (VmHWM, largest process) {max(r[2] for r in rows) / 1024:.0f} MiB, "
          f"all kernel processes {sum(r[2] for r in rows) / 1024:.0f} MiB, executed in {time.time() - start:.0f} s"
          + (f", JVM options {args.jvm_opts!r}" if args.jvm_opts else "") + (f", environment {args.env}" if args.env else "") + (f", {len(errors)} cells failed" if errors else ""))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
