# Shared by the environment scripts: repository root, venv paths, logging. Sourced, not run.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
PY="$VENV/bin/python"
KERNEL_DIR="$VENV/share/jupyter/kernels/latentvi"
step() { printf '\n==> %s\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }
need_setup() {
  [ -x "$PY" ] && [ -f "$KERNEL_DIR/kernel.json" ] && [ -d "$ROOT/target/lib" ] \
    || die "the environment is not set up: run environment/setup first"
}
