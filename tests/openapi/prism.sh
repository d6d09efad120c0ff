#!/usr/bin/env bash
# The real client against an independent mock: exports OpenAPI documents,
# serves each with the pinned Stoplight Prism (see package.json) on 127.0.0.1,
# and runs the C++ test suite "prism" of the test executable against them.
#
#   tests/openapi/prism.sh TEST_EXECUTABLE OUTDIR SCHEMA_DIR...
#
# OUTDIR is emptied first and keeps the documents and one Prism log per
# document (printed on failure). Each Prism's URL reaches the tests in
# RESTSCHEMA_PRISM_<SERVICE>. Every step is bounded in time, and every Prism
# is stopped on exit; each also runs under `timeout`, so that none outlives a
# run that is killed outright.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
if (($# < 3)); then
  echo "usage: $0 TEST_EXECUTABLE OUTDIR SCHEMA_DIR..." >&2
  exit 2
fi
exe="$1"
out="$2"
shift 2
if [[ ! -x "$exe" ]]; then
  echo "openapi prism: test executable '$exe' not found (build restschema_tests first)" >&2
  exit 1
fi

prism_lifetime=240 # seconds; below the ctest TIMEOUT of openapi_prism
ready_within=60    # seconds for every Prism to listen
tests_within=120   # seconds for the C++ tests

bash "$here/setup.sh"
prism="$here/node_modules/.bin/prism"

rm -rf "$out"
mkdir -p "$out"
/usr/bin/python3 "$root/generator/restschema-gen" openapi --out "$out" "$@"
shopt -s nullglob
docs=("$out"/*.openapi.json)
if ((${#docs[@]} == 0)); then
  echo "openapi prism: restschema-gen wrote no document into $out" >&2
  exit 1
fi

pids=()
logs=()
stop_all() {
  local pid
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  pids=()
}
print_logs() {
  local log
  for log in "${logs[@]}"; do
    echo "---- $log" >&2
    cat "$log" >&2 || true
  done
}
trap stop_all EXIT
trap 'exit 130' INT TERM

free_port() {
  /usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Starts Prism for one document and waits until it listens. The free port is
# picked before Prism binds it, so another process may take it in between:
# then Prism exits, and another port is tried.
start_prism() {
  local doc="$1" log="$2" var="$3" port pid attempt deadline
  for attempt in 1 2 3; do
    port="$(free_port)"
    timeout --kill-after=5 "$prism_lifetime" \
      "$prism" mock --host 127.0.0.1 --port "$port" --errors "$doc" >"$log" 2>&1 &
    pid=$!
    pids+=("$pid")
    deadline=$((SECONDS + ready_within))
    while ((SECONDS < deadline)); do
      if grep -q "Prism is listening on http://127.0.0.1:$port" "$log"; then
        export "$var=http://127.0.0.1:$port"
        echo "openapi prism: $(basename "$doc") served at http://127.0.0.1:$port"
        return 0
      fi
      if ! kill -0 "$pid" 2>/dev/null; then
        break
      fi
      sleep 0.2
    done
    if kill -0 "$pid" 2>/dev/null; then
      echo "openapi prism: Prism did not listen within ${ready_within}s for $doc" >&2
      return 1
    fi
    echo "openapi prism: Prism exited for $doc (attempt $attempt, port $port)" >&2
  done
  return 1
}

for doc in "${docs[@]}"; do
  name="$(basename "$doc" .openapi.json)"
  log="$out/$name.prism.log"
  logs+=("$log")
  if ! start_prism "$doc" "$log" "RESTSCHEMA_PRISM_${name^^}"; then
    print_logs
    exit 1
  fi
done

# A filter that matches no test case passes in doctest: count them first.
filter=(--no-skip --test-suite=prism)
count="$("$exe" "${filter[@]}" --count | sed -n 's/.*passing the current filters: \([0-9]*\).*/\1/p')"
if [[ -z "$count" || "$count" -lt 1 ]]; then
  echo "openapi prism: $exe has no test case in the suite 'prism'" >&2
  exit 1
fi
status=0
timeout --kill-after=5 "$tests_within" "$exe" "${filter[@]}" || status=$?
if ((status != 0)); then
  if ((status == 124)); then
    echo "openapi prism: the C++ tests did not finish within ${tests_within}s" >&2
  fi
  echo "openapi prism: $count test case(s) against Prism failed; Prism's logs:" >&2
  print_logs
  exit 1
fi
