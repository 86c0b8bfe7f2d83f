#!/usr/bin/env bash
# Fails when the committed API.md differs from what jsii-docgen generates for the current assembly
# (.jsii, written by `npx projen compile`). The fix is `npx projen docgen` and committing API.md.
set -euo pipefail
generated=build/API.md
mkdir -p "$(dirname "$generated")"
npx jsii-docgen -o "$generated"
if ! diff -u API.md "$generated"; then
  echo "API.md is out of date with the public API: run 'npx projen compile && npx projen docgen' and commit API.md" >&2
  exit 1
fi
echo "API.md is current"
