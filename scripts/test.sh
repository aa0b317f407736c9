#!/bin/sh
# Runs every vitest project with a JSON report, then prints the one-line summary.
# A vitest failure fails the script even if the summary cannot be read, and vice versa.
cd "$(dirname "$0")/.." || exit 1
mkdir -p out
rm -f out/vitest.json
code=0
node_modules/.bin/vitest run --reporter=default --reporter=json --outputFile=out/vitest.json "$@" || code=$?
node scripts/test-summary.mjs out/vitest.json || { [ "$code" -ne 0 ] || code=1; }
exit "$code"
