"""Moves a virtual environment's absolute paths to where it now is (a moved or copied checkout).

    .venv/bin/python environment/relocate_venv.py .venv

A venv holds its own absolute path in the scripts' shebang lines (bin/jupyter, bin/pip, ...), in
the activate scripts and in pyvenv.cfg; the latentvi kernel spec holds the checkout's paths too
(environment/install_kernel.py rewrites that one). After a copy, those scripts would run the
*original* checkout's Python, Jupyter and kernel. This rewrites every text file under bin/ and
pyvenv.cfg from the old venv path to the new one, then records the new folder in .latentvi-root. The old path comes from .latentvi-root (written
by environment/setup), else from pyvenv.cfg's "command" line, else from bin/pip's shebang.
Exits 0 when nothing is left pointing at the old path, 1 (with the reason) otherwise.
"""
import os
import re
import sys

MARKER = ".latentvi-root"


def old_venv_path(venv):
    marker = os.path.join(venv, MARKER)
    if os.path.isfile(marker):
        with open(marker) as f:
            root = f.read().strip()
        if root:
            return os.path.join(root, ".venv")
    cfg = os.path.join(venv, "pyvenv.cfg")
    if os.path.isfile(cfg):
        with open(cfg) as f:
            for line in f:
                m = re.match(r"\s*command\s*=.*-m venv\s+(\S+)\s*$", line)
                if m:
                    return os.path.normpath(m.group(1))
    for name in ("pip", "pip3", "jupyter"):
        script = os.path.join(venv, "bin", name)
        if os.path.isfile(script):
            with open(script, "rb") as f:
                first = f.readline().decode("utf-8", "replace").strip()
            if first.startswith("#!") and first.endswith("/bin/python"):
                return os.path.dirname(os.path.dirname(first[2:]))
    return None


def text_files(venv):
    yield os.path.join(venv, "pyvenv.cfg")
    bindir = os.path.join(venv, "bin")
    for name in sorted(os.listdir(bindir)):
        path = os.path.join(bindir, name)
        if os.path.isfile(path) and not os.path.islink(path):
            yield path


def rewrite(path, old, new):
    """Replaces old with new in a text file (binaries, i.e. files with NUL bytes, are left alone)."""
    with open(path, "rb") as f:
        data = f.read()
    if b"\0" in data or old.encode() not in data:
        return False
    tmp = path + ".relocate-tmp"
    with open(tmp, "wb") as f:
        f.write(data.replace(old.encode(), new.encode()))
    os.chmod(tmp, os.stat(path).st_mode)
    os.replace(tmp, path)
    return True


def main(argv):
    if len(argv) != 2:
        sys.exit("usage: relocate_venv.py VENV")
    venv = os.path.abspath(argv[1])
    if not os.path.isfile(os.path.join(venv, "pyvenv.cfg")):
        print(f"error: {venv} is not a virtual environment (no pyvenv.cfg)", file=sys.stderr)
        return 1
    old = old_venv_path(venv)
    if old is None:
        print(f"error: cannot tell where {venv} was created (no {MARKER}, no venv command in pyvenv.cfg)",
              file=sys.stderr)
        return 1
    old = os.path.normpath(old)
    if old == venv:
        with open(os.path.join(venv, MARKER), "w") as f:
            f.write(os.path.dirname(venv) + "\n")
        print(f"{venv}: already at its own path")
        return 0
    changed = [p for p in text_files(venv) if rewrite(p, old, venv)]
    left = [p for p in text_files(venv) if old.encode() in open(p, "rb").read()]
    if left:
        print(f"error: still pointing at {old}: {', '.join(left[:5])}", file=sys.stderr)
        return 1
    with open(os.path.join(venv, MARKER), "w") as f:
        f.write(os.path.dirname(venv) + "\n")
    print(f"relocated {venv} from {old} ({len(changed)} files rewritten)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
