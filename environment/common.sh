# Shared by the environment scripts: repository root, venv paths, logging. Sourced, not run.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
PY="$VENV/bin/python"
KERNEL_DIR="$VENV/share/jupyter/kernels/latentvi"
step() { printf '\n==> %s\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }
# Whether .venv was set up for this folder (a copied or moved checkout's venv runs the original's).
venv_is_here() {
  [ "$(cat "$VENV/.latentvi-root" 2>/dev/null)" = "$ROOT" ] \
    || { [ ! -f "$VENV/.latentvi-root" ] && [ "$(head -n1 "$VENV/bin/jupyter" 2>/dev/null)" = "#!$VENV/bin/python" ]; }
}
# The inputs of the library build: pom.xml, src/main and the fetched data's version markers.
build_inputs_hash() {
  (cd "$ROOT" && { sha256sum pom.xml; find src/main -type f -print0 | sort -z | xargs -0 sha256sum;
    cat data/*/.source 2>/dev/null; } | sha256sum | cut -d' ' -f1)
}
need_setup() {
  [ -x "$PY" ] && [ -f "$KERNEL_DIR/kernel.json" ] && [ -d "$ROOT/target/lib" ] \
    || die "the environment is not set up: run environment/setup first"
  venv_is_here || die "$VENV was set up for $(cat "$VENV/.latentvi-root" 2>/dev/null || echo 'another folder') \
(a moved or copied checkout): run environment/setup to relocate it to $ROOT"
  grep -qF "\"LATENTVI_HOME\": \"$ROOT\"" "$KERNEL_DIR/kernel.json" \
    || die "the kernel spec $KERNEL_DIR belongs to another folder: run environment/setup to reinstall it"
}
