#!/usr/bin/env bash
# Builds the Python wheel from the source jsii-pacmak generated (--code-only), offline:
# PyPI is unreachable here, so no build isolation (the generated pyproject.toml asks for setuptools
# and build from PyPI) and no dependencies; the machine's own setuptools and wheel do the build.
# Usage: scripts/build-python-wheel.sh [SOURCE_DIR=dist/python] [OUT_DIR=dist/wheel]
set -euo pipefail
src=${1:-dist/python}
out=${2:-dist/wheel}

if [ ! -f "$src/setup.py" ]; then
  echo "build-python-wheel: no $src/setup.py. Generate the bindings first: npx projen bindings" >&2
  exit 1
fi

# The first python3 that can build a wheel without the network. On this machine the pyenv python3 on
# PATH has no 'wheel' module; Debian's /usr/bin/python3 (python3-setuptools, python3-wheel) has.
python=''
for candidate in "${PYTHON:-}" python3 /usr/bin/python3; do
  [ -n "$candidate" ] || continue
  if "$candidate" -c 'import setuptools, wheel' >/dev/null 2>&1 && "$candidate" -m pip --version >/dev/null 2>&1; then
    python=$candidate
    break
  fi
done
if [ -z "$python" ]; then
  echo "build-python-wheel: no python3 with pip, setuptools and wheel. Install them: apt-get install -y python3-pip python3-setuptools python3-wheel" >&2
  exit 1
fi

rm -rf "$out"
mkdir -p "$out"
echo "build-python-wheel: $("$python" --version) ($(command -v "$python")), setuptools $("$python" -c 'import setuptools; print(setuptools.__version__)')"
"$python" -m pip wheel --no-deps --no-build-isolation --no-index --disable-pip-version-check --quiet -w "$out" "$src"

# The wheel must hold the module and the jsii assembly it loads at import time.
"$python" - "$out" <<'PY'
import pathlib, sys, zipfile
wheels = list(pathlib.Path(sys.argv[1]).glob('*.whl'))
if len(wheels) != 1:
    sys.exit(f'build-python-wheel: expected one wheel, found {[w.name for w in wheels]}')
names = zipfile.ZipFile(wheels[0]).namelist()
required = ['cdk_trace_merging/__init__.py', 'cdk_trace_merging/_jsii/__init__.py']
missing = [n for n in required if n not in names]
if missing or not any(n.endswith('.jsii.tgz') for n in names):
    sys.exit(f'build-python-wheel: {wheels[0].name} lacks {missing or "the jsii assembly (.jsii.tgz)"}')
print(f'build-python-wheel: built {wheels[0]} ({len(names)} files)')
PY
