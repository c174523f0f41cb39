"""Interrupting a training cell the way JupyterLab does (a kernel interrupt through jupyter_client,
an interrupt_request on the control channel; JJava then cancels the cell's task, which interrupts
its thread) stops the training at a completed step: the model stays usable, its history matches its
step count, and the next cells run. (Without the Trainer's own interrupt check the loop would go on
in the background until its next progress update failed: ZeroMQ refuses to send from an
interrupted thread. The test tells the two apart by the exception that ended the fit.)
"""
import os
import queue
import re
import time

import pytest
from jupyter_client.manager import KernelManager

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BATCHES = 40  # 2,000 rows in batches of 50


def collect(kc, msg_id, timeout):
    """Stream text and error outputs of one execution, until its kernel goes idle."""
    text, errors, deadline = [], [], time.time() + timeout
    while time.time() < deadline:
        try:
            msg = kc.get_iopub_msg(timeout=1)
        except queue.Empty:
            continue
        if msg["parent_header"].get("msg_id") != msg_id:
            continue
        kind, content = msg["msg_type"], msg["content"]
        if kind == "stream":
            text.append(content["text"])
        elif kind == "error":
            errors.append(f"{content['ename']}: {content['evalue']}")
        elif kind == "status" and content["execution_state"] == "idle":
            return "".join(text), errors
    raise AssertionError(f"no idle status within {timeout} s; output so far: {''.join(text)[-2000:]}")


def reply_to(kc, msg_id, timeout):
    """The execute_reply of one execution (other shell replies, e.g. kernel_info, are skipped)."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            msg = kc.get_shell_msg(timeout=1)
        except queue.Empty:
            continue
        if msg["parent_header"].get("msg_id") == msg_id:
            return msg
    raise AssertionError(f"no reply within {timeout} s")


def run(kc, code, timeout=120):
    msg_id = kc.execute(code)
    text, errors = collect(kc, msg_id, timeout)
    reply = reply_to(kc, msg_id, timeout)
    assert reply["content"]["status"] == "ok", (reply["content"], errors, text)
    return text


@pytest.fixture
def kernel():
    if not os.path.isfile(os.path.join(ROOT, ".venv", "share", "jupyter", "kernels", "latentvi", "kernel.json")):
        pytest.skip("the checkout is not set up (run environment/setup)")
    km = KernelManager(kernel_name="latentvi")
    km.start_kernel(cwd=os.path.join(ROOT, "notebooks"))
    kc = km.client()
    kc.start_channels()
    try:
        kc.wait_for_ready(timeout=120)
        yield km, kc
    finally:
        kc.stop_channels()
        km.shutdown_kernel(now=True)


def test_interrupting_a_training_cell_keeps_the_model_usable(kernel):
    km, kc = kernel
    assert km.kernel_spec.env["LATENTVI_HOME"] == ROOT   # this checkout's kernel
    run(kc, """
Rng rng = Rng.seeded(0);
INDArray x = rng.uniform(2000, 16).gt(0.5).castTo(DataType.FLOAT);
Vae vae = Vae.builder().input(16).latent(2).hidden(32).learningRate(1e-3).build(Rng.seeded(1));
Throwable[] stopped = new Throwable[1];   // what ended the fit on the cell's (interrupted) thread
System.out.println("ready " + vae.network().steps());
""")

    # a long training cell, interrupted once it is well under way
    msg_id = kc.execute("try { vae.fit(x, 100000, 50, Rng.seeded(2)); } catch (Throwable t) { stopped[0] = t; }")
    deadline, seen = time.time() + 120, 0
    while time.time() < deadline and seen < 5:
        try:
            msg = kc.get_iopub_msg(timeout=1)
        except queue.Empty:
            continue
        if msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] in ("stream", "display_data", "update_display_data"):
            seen += 1                                   # progress lines: the loop is running
    assert seen >= 5, "the training cell showed no progress"
    time.sleep(2)
    started = time.time()
    km.interrupt_kernel()
    reply = reply_to(kc, msg_id, 60)
    assert reply["content"]["status"] == "error", reply["content"]
    assert time.time() - started < 30, "the interrupt took effect"

    # the next cell runs; training has stopped at a completed step, with a consistent history
    out = run(kc, """
long s1 = vae.network().steps();
Thread.sleep(1500);
long s2 = vae.network().steps();
boolean finite = vae.network().parameters().values().stream().allMatch(a -> Double.isFinite(a.sumNumber().doubleValue()));
System.out.println("steps " + s1 + " " + s2 + " rows " + vae.history().rowCount() + " finite " + finite);
System.out.println("stopped by " + stopped[0]);
""")
    m = re.search(r"steps (\d+) (\d+) rows (\d+) finite (\w+)", out)
    assert m, out
    s1, s2, rows, finite = int(m[1]), int(m[2]), int(m[3]), m[4]
    assert s1 == s2, f"training went on after the interrupt: {s1} -> {s2} steps"
    assert s1 > 0 and finite == "true", out
    assert rows == s1 // BATCHES, f"{rows} history rows for {s1} steps of {BATCHES} per epoch"
    # the Trainer noticed the interrupt itself (not some later failure on the interrupted thread)
    assert f"stopped by java.util.concurrent.CancellationException: stopped after {s1} steps" in out, out

    # and the model trains and evaluates on
    out = run(kc, """
vae.fit(x, 1, 50, Rng.seeded(3));
System.out.println("after " + vae.network().steps() + " rows " + vae.history().rowCount() + " elbo " + vae.elbo(x, Rng.seeded(4)));
""")
    m = re.search(r"after (\d+) rows (\d+) elbo (\S+)", out)
    assert m, out
    assert int(m[1]) == s1 + BATCHES and int(m[2]) == rows + 1, out
    assert -16 * 0.7 - 5 < float(m[3]) < 0, out   # a finite per-image ELBO (16 fair coins: 11.1 nats)
