# Shared set-up for scripts/demo and scripts/test: a virtualenv with statusmap installed, and the
# front-end assets vendored from the npm registry. Sourced, not run. Re-runs are cheap: each step
# is skipped while its inputs are unchanged.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${STATUSMAP_VENV:-$ROOT/.venv}"
PYTHON="${PYTHON:-python3}"

need() {
  command -v "$1" >/dev/null 2>&1 || { echo "statusmap: '$1' is missing. $2" >&2; exit 1; }
}

ensure_python() {
  need "$PYTHON" "Install Python 3.11 or newer (Debian: apt-get install python3 python3-venv)."
  "$PYTHON" - <<'PY' || { echo "statusmap: Python 3.11 or newer is needed." >&2; exit 1; }
import sys
sys.exit(0 if sys.version_info >= (3, 11) else 1)
PY
  # bin/pip, not bin/python: a venv that failed half way (no ensurepip) has python but no pip.
  if [ ! -x "$VENV/bin/pip" ]; then
    if [ -e "$VENV" ] && [ ! -f "$VENV/pyvenv.cfg" ]; then
      echo "statusmap: $VENV exists and is not a virtual environment; set STATUSMAP_VENV." >&2
      exit 1
    fi
    echo "statusmap: creating virtual environment in $VENV" >&2
    "$PYTHON" -m venv --clear "$VENV" || {
      echo "statusmap: could not create a venv (Debian: apt-get install python3-venv)." >&2; exit 1; }
  fi
  local extras="$1" stamp="$VENV/.statusmap-installed-$1"
  local want
  want="$(cat "$ROOT/pyproject.toml" | sha256sum | cut -c1-16)"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    echo "statusmap: installing Python dependencies ($extras)" >&2
    "$VENV/bin/python" -m pip install --quiet --upgrade pip
    if [ "$extras" = "dev" ]; then
      "$VENV/bin/python" -m pip install --quiet -e "$ROOT[dev]"
    else
      "$VENV/bin/python" -m pip install --quiet -e "$ROOT"
    fi
    echo "$want" > "$stamp"
  fi
}

ensure_assets() {
  "$ROOT/scripts/vendor-assets"
}
