"""A copied checkout runs its own environment: setup relocates the venv and reinstalls the kernel
spec, and a notebook executed in the copy runs on the copy's kernel, jar and data.

The copy is made of the checkout this test runs in (which must be set up); the library build is
skipped in the copy when its inputs are unchanged, so the whole test takes about a minute.
"""
import json
import os
import shutil
import subprocess

import nbformat
import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SKIP_TOP = {".git", "exports", ".pytest_cache"}
SKIP_TARGET = {"surefire-reports", "kernel-logs", "test-classes", "generated-test-sources"}
PROBE = (
    'System.out.println("home=" + System.getenv("LATENTVI_HOME"));\n'
    'System.out.println("jar=" + dev.latentvi.math.Rng.class.getProtectionDomain().getCodeSource().getLocation().getPath());\n'
    'System.out.println("kernel=" + System.getProperty("java.class.path"));'
)


def clean_env():
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "JUPYTER", "PYTHONHOME"))}
    venv_bin = os.path.join(ROOT, ".venv", "bin")
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep) if p != venv_bin)
    return env


def sh(cwd, *cmd, timeout=300):
    return subprocess.run(list(cmd), cwd=cwd, env=clean_env(), capture_output=True, text=True, timeout=timeout)


def copy_checkout(dest):
    os.makedirs(dest)
    for name in os.listdir(ROOT):
        if name in SKIP_TOP:
            continue
        src = os.path.join(ROOT, name)
        if name == "target":
            os.makedirs(os.path.join(dest, name))
            for sub in os.listdir(src):
                if sub not in SKIP_TARGET:
                    subprocess.run(["cp", "-a", os.path.join(src, sub), os.path.join(dest, name, sub)], check=True)
        else:
            subprocess.run(["cp", "-a", src, os.path.join(dest, name)], check=True)


@pytest.fixture(scope="module")
def copy(tmp_path_factory):
    if not os.path.isfile(os.path.join(ROOT, ".venv", "share", "jupyter", "kernels", "latentvi", "kernel.json")):
        pytest.skip("the checkout is not set up (run environment/setup)")
    dest = str(tmp_path_factory.mktemp("moved") / "latentvi-copy")
    copy_checkout(dest)
    yield dest
    shutil.rmtree(dest, ignore_errors=True)  # about 600 MB


def test_copied_checkout_is_refused_until_setup_then_runs_its_own_kernel(copy):
    # before setup: the scripts refuse the stale environment with a clear message
    stale = sh(copy, "bash", "-c", "source environment/common.sh && need_setup")
    assert stale.returncode != 0
    assert "moved or copied checkout" in stale.stderr and "run environment/setup" in stale.stderr, stale.stderr
    assert ROOT in stale.stderr

    build_hash = sh(ROOT, "bash", "-c", "source environment/common.sh && build_inputs_hash").stdout.strip()
    stamp = os.path.join(ROOT, "target", ".latentvi-build.sha256")
    unchanged = os.path.isfile(stamp) and open(stamp).read().strip() == build_hash

    setup = sh(copy, "environment/setup", timeout=900)
    assert setup.returncode == 0, setup.stdout[-3000:] + setup.stderr[-3000:]
    assert f"relocated {copy}/.venv from {ROOT}/.venv" in setup.stdout, setup.stdout
    if unchanged:
        assert "up to date (pom.xml, src/main and data unchanged" in setup.stdout, setup.stdout
    assert sh(copy, "bash", "-c", "source environment/common.sh && need_setup").returncode == 0

    # the venv's scripts and the kernel spec now name the copy only
    with open(os.path.join(copy, ".venv", "bin", "jupyter")) as f:
        assert f.readline().strip() == f"#!{copy}/.venv/bin/python"
    with open(os.path.join(copy, ".venv", ".latentvi-root")) as f:
        assert f.read().strip() == copy
    with open(os.path.join(copy, ".venv", "share", "jupyter", "kernels", "latentvi", "kernel.json")) as f:
        spec = json.load(f)
    assert spec["env"]["LATENTVI_HOME"] == copy
    assert all(p.startswith(copy + "/") for p in spec["env"]["JJAVA_CLASSPATH"].split(os.pathsep))

    # 00-getting-started plus a probe cell, executed through the copy's own jupyter script
    nb = nbformat.read(os.path.join(copy, "notebooks", "00-getting-started.ipynb"), as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(PROBE))
    probe = os.path.join(copy, "notebooks", "00-probe.ipynb")
    nbformat.write(nb, probe)
    run = sh(os.path.join(copy, "notebooks"), os.path.join(copy, ".venv", "bin", "jupyter"), "nbconvert", "--to", "notebook",
             "--execute", "--ExecutePreprocessor.timeout=600", "--output", "00-probe.out.ipynb", probe, timeout=900)
    assert run.returncode == 0, run.stderr[-3000:]
    out = nbformat.read(os.path.join(copy, "notebooks", "00-probe.out.ipynb"), as_version=4)
    errors = [o for c in out.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors, errors
    text = "".join(o.get("text", "") for o in out.cells[-1].outputs if o.get("output_type") == "stream")
    lines = dict(line.split("=", 1) for line in text.strip().splitlines())
    assert lines["home"] == copy, text
    assert lines["jar"] == f"{copy}/target/latentvi-0.1.0-SNAPSHOT.jar", text
    assert lines["kernel"].startswith(f"{copy}/.venv/share/jupyter/kernels/latentvi/"), text
    assert ROOT + "/" not in text
