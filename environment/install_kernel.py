"""Writes the kernel spec "latentvi" into .venv/share/jupyter/kernels/latentvi.

It launches the JJava kernel installed by pip with JJAVA_CLASSPATH set to the library jar and
its runtime classpath (target/lib/, filled by `mvn package`), so notebooks need no %maven or
%jars lines.
"""
import json
import os
import shutil
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VENV = os.path.join(ROOT, ".venv")
JJAVA_DIR = os.path.join(VENV, "share", "jupyter", "kernels", "java")
DEST = os.path.join(VENV, "share", "jupyter", "kernels", "latentvi")

# A 768 MiB heap and ND4J's native memory capped at 1800 MiB: every notebook runs in it, notebook 04's
# kernel peaks at about 1.9 GiB (a 2 GiB Binder or hub pod), and the small heap makes the JVM collect
# ND4J's garbage arrays early (with -Xmx4g and no cap notebook 04's kernel reached 7-8 GiB).
# No --add-modules jdk.incubator.vector here: with it the training loops run in SIMD (dev.latentvi.internal.Lanes),
# but their last bits then depend on when the JIT compiles them, and a notebook must reproduce its figures exactly.
# LATENTVI_KERNEL_JVM_OPTS replaces them.
JVM_OPTS = os.environ.get("LATENTVI_KERNEL_JVM_OPTS") or "-Xmx768m -XX:+UseParallelGC -Dorg.bytedeco.javacpp.maxPhysicalBytes=1800m -Dlatentvi.notebook=true"


def main():
    for name in ("jjava.jar", "jjava-launcher.jar"):
        if not os.path.isfile(os.path.join(JJAVA_DIR, name)):
            sys.exit(f"error: {name} not found in {JJAVA_DIR}: is jjava installed in .venv?")
    jar = os.path.join(ROOT, "target", "latentvi-0.1.0-SNAPSHOT.jar")
    lib = os.path.join(ROOT, "target", "lib")
    if not os.path.isfile(jar) or not os.path.isdir(lib):
        sys.exit(f"error: {jar} or {lib} missing: run `mvn package` (environment/setup does)")
    deps = sorted(os.path.join(lib, f) for f in os.listdir(lib) if f.endswith(".jar"))
    classpath = os.pathsep.join([jar] + deps)
    os.makedirs(DEST, exist_ok=True)
    for name in ("jjava.jar", "jjava-launcher.jar"):
        shutil.copy2(os.path.join(JJAVA_DIR, name), os.path.join(DEST, name))
    spec = {
        "argv": ["java", "-jar", "{resource_dir}/jjava-launcher.jar",
                 "{resource_dir}/jjava.jar", "{connection_file}"],
        "display_name": "Java (latentvi)",
        "language": "java",
        "interrupt_mode": "message",
        "env": {
            "JJAVA_CLASSPATH": classpath,
            "JJAVA_JVM_OPTS": JVM_OPTS,
            "LATENTVI_HOME": ROOT,
            # idle OpenMP threads sleep instead of spinning: spinning made ND4J steps 5-20x
            # slower whenever anything else used the cores
            "OMP_WAIT_POLICY": "PASSIVE",
        },
        "metadata": {},
    }
    tmp = os.path.join(DEST, "kernel.json.tmp")
    with open(tmp, "w") as f:
        json.dump(spec, f, indent=2)
    os.replace(tmp, os.path.join(DEST, "kernel.json"))
    print(f"kernel spec 'latentvi' -> {DEST} ({len(classpath.split(os.pathsep))} classpath entries)")


if __name__ == "__main__":
    main()
