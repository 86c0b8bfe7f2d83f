#!/usr/bin/env bash
# npm runs this before `npm pack` and `npm publish`: a tarball must never lack the library. The package ships build/
# and .jsii (package.json "files"), which only `projen compile` makes; a clone that was never compiled, or whose lib/
# changed since, is compiled first. A fresh build (the package task compiles just before it packs) is not built twice.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f .jsii ] || [ ! -f build/index.js ] || [ -n "$(find lib -name '*.ts' -newer .jsii -print -quit)" ]; then
  echo "prepack: build/ and .jsii are missing or older than lib/: compiling before packing" >&2
  npx projen compile
fi
