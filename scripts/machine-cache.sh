#!/usr/bin/env bash
# Prints (and creates) a folder of the machine cache: what the tests build from registries and would take minutes to
# build again (Go's module and build caches, Maven's repository, virtualenvs of pinned requirements; the tests also
# keep cfn-lint's findings per template there, test/lint/cfn-lint.ts). It outlives a clone, so a clean clone on the
# same machine starts warm; everything in it is rebuilt from the project's own files when it is missing. CDK_TRACE_MERGING_CACHE moves it (default ~/.cache/cdk-trace-merging); deleting it is safe.
# Usage: scripts/machine-cache.sh SUBFOLDER
set -euo pipefail
dir="${CDK_TRACE_MERGING_CACHE:-$HOME/.cache/cdk-trace-merging}/$1"
mkdir -p "$dir"
echo "$dir"
