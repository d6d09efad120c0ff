#!/usr/bin/env bash
# Starts the servers the real_calls checker calls, on free ports of 127.0.0.1,
# and runs it (CMakeLists.txt):
#   - Stoplight Prism (pinned by tests/openapi/package.json) serving each
#     ORIGINAL description, with --errors: a request the description does not
#     allow is answered 422 instead of an example;
#   - restschema's mock of each service's subset (github-mock, rclone-mock).
#
#   run.sh CHECKER GITHUB_MOCK RCLONE_MOCK GITHUB_OPENAPI RCLONE_OPENAPI PRISM OUTDIR
#
# OUTDIR is emptied first and keeps one log per server (printed on failure)
# and the example response taken from GitHub's description. Every step is
# bounded in time; every server is stopped on exit and also runs under
# `timeout`, so that none outlives a run that is killed outright.
set -euo pipefail
if (($# != 7)); then
  echo "usage: $0 CHECKER GITHUB_MOCK RCLONE_MOCK GITHUB_OPENAPI RCLONE_OPENAPI PRISM OUTDIR" >&2
  exit 2
fi
checker="$1" github_mock="$2" rclone_mock="$3" github_doc="$4" rclone_doc="$5" prism="$6" out="$7"
for f in "$checker" "$github_mock" "$rclone_mock" "$prism"; do
  if [[ ! -x "$f" ]]; then
    echo "real_calls: '$f' is not an executable (build the project; Prism: bash tests/openapi/setup.sh)" >&2
    exit 1
  fi
done
for f in "$github_doc" "$rclone_doc"; do
  if [[ ! -f "$f" ]]; then
    echo "real_calls: description '$f' not found (bash tests/openapi/descriptions/setup.sh)" >&2
    exit 1
  fi
done

server_lifetime=240 # seconds; below the ctest TIMEOUT of real_calls
ready_within=120    # seconds for every server to listen (Prism reads GitHub's 13 MB in about 30 s)
checks_within=120   # seconds for the checker

rm -rf "$out"
mkdir -p "$out"

# The example of GitHub's "Update a release" 200 response, from the original
# description (not from the import): the checker compares both servers' answers with it.
/usr/bin/python3 - "$github_doc" "$out/release.example.json" <<'EOF'
import json, sys
doc = json.load(open(sys.argv[1], encoding="utf-8"))
def deref(node):
    while isinstance(node, dict) and "$ref" in node:
        target = doc
        for part in node["$ref"][2:].split("/"):
            target = target[part.replace("~1", "/").replace("~0", "~")]
        node = target
    return node
response = deref(doc["paths"]["/repos/{owner}/{repo}/releases/{release_id}"]["patch"]["responses"]["200"])
media = response["content"]["application/json"]
if "example" in media:
    example = media["example"]
else:
    example = deref(next(iter(media["examples"].values())))["value"]
json.dump(example, open(sys.argv[2], "w", encoding="utf-8"), indent=2)
EOF

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
    echo "---- $log (last 40 lines)" >&2
    tail -n 40 "$log" >&2 || true
  done
}
trap stop_all EXIT
trap 'exit 130' INT TERM

free_port() {
  /usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# start NAME LOG COMMAND...: starts a server in the background (its log in LOG).
start() {
  local log="$2"
  shift 2
  logs+=("$log")
  timeout --kill-after=5 "$server_lifetime" "$@" >"$log" 2>&1 &
  pids+=("$!")
}

# wait_url LOG PID PATTERN: prints the URL once LOG matches PATTERN (sed -n, one group: the URL),
# fails when the server exits first or does not listen within ready_within (from START).
wait_url() {
  local log="$1" pid="$2" pattern="$3" url
  while ((SECONDS < deadline)); do
    url="$(sed -n "$pattern" "$log" | head -n 1)"
    if [[ -n "$url" ]]; then
      echo "$url"
      return 0
    fi
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "real_calls: the server of $log exited before listening" >&2
      return 1
    fi
    sleep 0.2
  done
  echo "real_calls: the server of $log did not listen within ${ready_within}s" >&2
  return 1
}

# Prism picks no port itself: a free one is chosen first, so another process
# may take it in between; then Prism exits and the run fails with its log
# (rare; rerun). Both Prisms start at once, then the mocks (--port 0).
github_port="$(free_port)"
rclone_port="$(free_port)"
start github-prism "$out/github.prism.log" "$prism" mock --host 127.0.0.1 --port "$github_port" --errors "$github_doc"
github_prism_pid="${pids[-1]}"
start rclone-prism "$out/rclone.prism.log" "$prism" mock --host 127.0.0.1 --port "$rclone_port" --errors "$rclone_doc"
rclone_prism_pid="${pids[-1]}"
start github-mock "$out/github.mock.log" "$github_mock" --port 0
github_mock_pid="${pids[-1]}"
start rclone-mock "$out/rclone.mock.log" "$rclone_mock" --port 0
rclone_mock_pid="${pids[-1]}"

deadline=$((SECONDS + ready_within))
mock_pattern='s/^restschema-mock listening on \(http:[^ ]*\).*/\1/p'
if ! github_mock_url="$(wait_url "$out/github.mock.log" "$github_mock_pid" "$mock_pattern")" ||
  ! rclone_mock_url="$(wait_url "$out/rclone.mock.log" "$rclone_mock_pid" "$mock_pattern")" ||
  ! github_prism_url="$(wait_url "$out/github.prism.log" "$github_prism_pid" \
    "s/.*Prism is listening on \(http:\/\/127.0.0.1:$github_port\).*/\1/p")" ||
  ! rclone_prism_url="$(wait_url "$out/rclone.prism.log" "$rclone_prism_pid" \
    "s/.*Prism is listening on \(http:\/\/127.0.0.1:$rclone_port\).*/\1/p")"; then
  print_logs
  exit 1
fi
echo "real_calls: GitHub: Prism $github_prism_url, mock $github_mock_url; Rclone: Prism $rclone_prism_url, mock $rclone_mock_url"

export REAL_RELEASE_EXAMPLE="$out/release.example.json"
export REAL_GITHUB_URLS="prism=$github_prism_url mock=$github_mock_url"
export REAL_RCLONE_URLS="prism=$rclone_prism_url mock=$rclone_mock_url"
status=0
timeout --kill-after=5 "$checks_within" "$checker" || status=$?
if ((status != 0)); then
  if ((status == 124)); then
    echo "real_calls: the checker did not finish within ${checks_within}s" >&2
  fi
  print_logs
  exit 1
fi
