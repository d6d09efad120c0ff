#!/usr/bin/env bash
# Generates OpenAPI documents and lints them with the pinned @redocly/cli.
#
#   tests/openapi/lint.sh OUTDIR SCHEMA_DIR...
#
# OUTDIR is emptied first. Fails on any lint error; warnings are printed and allowed.
# Rules that do not apply are turned off, with reasons, in redocly.yaml.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
if (($# < 2)); then
  echo "usage: $0 OUTDIR SCHEMA_DIR..." >&2
  exit 2
fi
out="$1"
shift

bash "$here/setup.sh"

rm -rf "$out"
mkdir -p "$out"
/usr/bin/python3 "$root/generator/restschema-gen" openapi --out "$out" "$@"
shopt -s nullglob
docs=("$out"/*.openapi.json)
if ((${#docs[@]} == 0)); then
  echo "openapi lint: restschema-gen wrote no document into $out" >&2
  exit 1
fi

# No usage data sent and no update check: the linter runs offline.
export REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true NO_COLOR=1
"$here/node_modules/.bin/redocly" lint --config "$here/redocly.yaml" --format=stylish "${docs[@]}"
