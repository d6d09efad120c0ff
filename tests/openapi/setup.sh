#!/usr/bin/env bash
# Installs the pinned OpenAPI tools (see package.json: the linter @redocly/cli
# and the independent mock server @stoplight/prism-cli) into
# tests/openapi/node_modules with `npm ci` and the committed package-lock.json.
#
# A re-run is offline and quiet: nothing is done while node_modules still
# matches package.json and package-lock.json (a stamp holds their checksum).
# Concurrent runs (ctest -j) wait for each other.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here"

for tool in node npm; do
  if ! command -v "$tool" >/dev/null; then
    echo "openapi setup: '$tool' not found; install Node.js and npm (scripts/setup does)" >&2
    exit 1
  fi
done

stamp=node_modules/.restschema-lock.sha256
want="$(cat package.json package-lock.json | sha256sum | cut -d' ' -f1)"
up_to_date() {
  [[ -x node_modules/.bin/redocly && -x node_modules/.bin/prism && -f "$stamp" &&
    "$(cat "$stamp")" == "$want" ]]
}

exec 9<package-lock.json
flock 9
if up_to_date; then
  exit 0
fi
echo "openapi setup: installing the pinned OpenAPI tools with npm ci (once)"
npm ci --no-audit --no-fund --ignore-scripts --prefer-offline --loglevel=error
echo "$want" >"$stamp"
