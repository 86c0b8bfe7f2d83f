#!/usr/bin/env bash
# Creates (or reuses) a virtualenv (in the machine cache or a git-ignored folder) and installs a requirements file into it
# from PyPI. The install is skipped when the requirements file has not changed since the last
# successful one (a stamp file holds its checksum), so repeated test runs cost nothing.
# With WHEEL_DIR, this project's own wheel is then (re)installed from there, offline, every time:
# its version (0.0.0) never changes between builds, so pip would otherwise keep a stale copy.
# Usage: scripts/python-venv.sh VENV_DIR REQUIREMENTS_FILE [WHEEL_DIR]
set -euo pipefail
venv=$1
requirements=$2
wheel_dir=${3:-}

python=${PYTHON:-python3}
# Two test runs may ask for the same virtualenv of the machine cache at once: one builds it, the other waits.
mkdir -p "$(dirname "$venv")"
exec 9>"$venv.lock"
flock 9
if [ ! -x "$venv/bin/python" ]; then
  "$python" -m venv "$venv"
fi

stamp="$venv/.requirements.sha256"
wanted=$(sha256sum "$requirements" | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null)" != "$wanted" ]; then
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$requirements"
  echo "$wanted" > "$stamp"
fi

if [ -n "$wheel_dir" ]; then
  wheels=("$wheel_dir"/*.whl)
  if [ "${#wheels[@]}" -ne 1 ] || [ ! -f "${wheels[0]}" ]; then
    echo "python-venv: expected one wheel in $wheel_dir, found: ${wheels[*]}. Build it: npx projen package:python" >&2
    exit 1
  fi
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-index --no-deps --force-reinstall "${wheels[0]}"
fi
