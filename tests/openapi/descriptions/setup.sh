#!/usr/bin/env bash
# Installs the pinned published OpenAPI descriptions (package.json: GitHub's
# @octokit/openapi, OpenAPI 3.0 with 1,200+ operations, and rclone-openapi,
# OpenAPI 3.1; both MIT) into tests/openapi/descriptions/node_modules with
# `npm ci` and the committed package-lock.json, for generator_import_real and
# bench/import_cost.py.
#
# A re-run is offline and quiet: nothing is done while node_modules still
# matches package.json and package-lock.json (a stamp holds their checksum).
# Concurrent runs wait for each other.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cd "$here"

for tool in node npm; do
  if ! command -v "$tool" >/dev/null; then
    echo "openapi descriptions setup: '$tool' not found; install Node.js and npm (scripts/setup does)" >&2
    exit 1
  fi
done

stamp=node_modules/.restschema-lock.sha256
want="$(cat package.json package-lock.json | sha256sum | cut -d' ' -f1)"
up_to_date() {
  [[ -f node_modules/@octokit/openapi/generated/api.github.com.json && -f node_modules/rclone-openapi/openapi.yaml &&
    -f "$stamp" && "$(cat "$stamp")" == "$want" ]]
}

exec 9<package-lock.json
flock 9
if up_to_date; then
  exit 0
fi
echo "openapi descriptions setup: installing the pinned descriptions with npm ci (once)"
npm ci --no-audit --no-fund --ignore-scripts --prefer-offline --loglevel=error
echo "$want" >"$stamp"
