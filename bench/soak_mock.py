#!/usr/bin/python3
"""The mock under load (issue 17): ApacheBench against restschema-mock. Not part of CI.

    bench/soak_mock.py [--mock PATH] [--requests N] [--concurrency N] [--slow N]

Installs `ab` (Debian's apache2-utils) when it is missing, starts
restschema-mock on a free port (`--port 0`, the URL read from its first line)
and drives N requests (default 20,000) at C concurrent connections (default
64) in three phases:

  close       ab without -k: HTTP/1.0, one connection per request
  keep-alive  ab -k: HTTP/1.0 with "Connection: Keep-Alive"
  slow        ab -k while S sockets (default 48) each hold half a request
              head and send nothing more (a slow client, or a slowloris)

The request is Attestr's update_profile, a PUT of a valid profile with basic
auth: the seed schemas (schemas/) declare no GET endpoint, and a PUT costs
the mock more (body read, validation, the state updated).

Each phase must have every request complete, no failure and no non-2xx
answer; after the phases one more request must be answered 200 (the mock
still serving). Prints requests/s and p50/p99 (ab's percentile table, ms) per
phase, the load average before each, and exits 1 when a check fails.
"""
from __future__ import annotations

import argparse
import http.client
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TOKEN = "soak-token-7f3e"
PROFILE_PATH = "/api/v1/public/factx/PRF-7d4c1e20"
PROFILE = b'{"tag":"EMP-2001","name":"Asha Verma","mobile":"+919876543210"}'


def ensure_ab() -> str:
    ab = shutil.which("ab")
    if ab:
        return ab
    print("==> ab missing: installing Debian's apache2-utils", flush=True)
    sudo = [] if os.geteuid() == 0 else ["sudo"]
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    install = sudo + ["apt-get", "install", "-y", "-qq", "--no-install-recommends", "apache2-utils"]
    if subprocess.run(install, env=env).returncode != 0:
        # A fresh container has no package lists yet.
        subprocess.run(sudo + ["apt-get", "update", "-qq"], env=env, check=True)
        subprocess.run(install, env=env, check=True)
    ab = shutil.which("ab")
    if not ab:
        sys.exit("soak_mock: apache2-utils installed, but no ab on PATH")
    return ab


def find_mock(given: str | None) -> str:
    candidates = [given] if given else [os.path.join(ROOT, "build", "tools", "restschema-mock")]
    for c in candidates:
        if c and os.access(c, os.X_OK):
            return c
    sys.exit(f"soak_mock: no restschema-mock at {candidates[0]} "
             "(cmake --build build --target restschema-mock, or --mock PATH)")


class Mock:
    """restschema-mock as a child process; its stdout is drained so it never blocks."""

    def __init__(self, exe: str):
        self.proc = subprocess.Popen([exe, "--port", "0", "--credential", f"basic_token={TOKEN}"],
                                     stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        first = self.proc.stdout.readline().strip()
        m = re.match(r"restschema-mock listening on http://([^:/]+):(\d+)", first)
        if not m:
            self.proc.kill()
            sys.exit(f"soak_mock: unexpected first line from the mock: {first!r}")
        self.host, self.port = m.group(1), int(m.group(2))
        threading.Thread(target=self.proc.stdout.read, daemon=True).start()

    def url(self, path: str) -> str:
        return f"http://{self.host}:{self.port}{path}"

    def alive(self) -> bool:
        return self.proc.poll() is None

    def stop(self) -> int | None:
        if self.alive():
            self.proc.send_signal(2)  # SIGINT: the mock stops cleanly
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        return self.proc.returncode


def auth_header() -> str:
    return "Basic " + TOKEN  # the mock takes the token as it is (the schema's basic_token)


def one_request(mock: Mock) -> int:
    c = http.client.HTTPConnection(mock.host, mock.port, timeout=10)
    try:
        c.request("PUT", PROFILE_PATH, body=PROFILE,
                  headers={"Authorization": auth_header(), "Content-Type": "application/json"})
        r = c.getresponse()
        r.read()
        return r.status
    finally:
        c.close()


class SlowClients:
    """S sockets, each with half a request head sent and nothing more."""

    def __init__(self, mock: Mock, count: int):
        self.socks: list[socket.socket] = []
        half = (f"PUT {PROFILE_PATH} HTTP/1.1\r\nHost: {mock.host}\r\n"
                f"Authorization: {auth_header()}\r\nContent-Le").encode()
        for _ in range(count):
            s = socket.create_connection((mock.host, mock.port), timeout=5)
            s.sendall(half)
            self.socks.append(s)

    def still_open(self) -> int:
        """Sockets the mock has not closed (a closed one reads as EOF at once)."""
        n = 0
        for s in self.socks:
            s.setblocking(False)
            try:
                n += 1 if s.recv(1, socket.MSG_PEEK) else 0
            except BlockingIOError:
                n += 1
            except OSError:
                pass
        return n

    def close(self):
        for s in self.socks:
            s.close()


def run_ab(ab: str, mock: Mock, body_file: str, n: int, c: int, keep_alive: bool) -> tuple[int, str, float]:
    cmd = [ab, "-q", "-n", str(n), "-c", str(c), "-s", "20", "-u", body_file, "-T", "application/json",
           "-H", f"Authorization: {auth_header()}"]
    if keep_alive:
        cmd.append("-k")
    cmd.append(mock.url(PROFILE_PATH))
    started = time.monotonic()
    p = subprocess.run(cmd, capture_output=True, text=True)
    return p.returncode, p.stdout + p.stderr, time.monotonic() - started


def field(out: str, name: str) -> str | None:
    m = re.search(rf"^{re.escape(name)}:\s+(.+)$", out, re.M)
    return m.group(1).strip() if m else None


def percentile(out: str, pct: int) -> int | None:
    m = re.search(rf"^\s*{pct}%\s+(\d+)", out, re.M)
    return int(m.group(1)) if m else None


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--mock", help="the restschema-mock executable (default build/tools/restschema-mock)")
    ap.add_argument("--requests", type=int, default=20000)
    ap.add_argument("--concurrency", type=int, default=64)
    ap.add_argument("--slow", type=int, default=48, help="slow clients in the third phase")
    ap.add_argument("--show-ab", action="store_true", help="print ab's whole output of each phase")
    args = ap.parse_args()

    ab = ensure_ab()
    exe = find_mock(args.mock)
    version = subprocess.run([ab, "-V"], capture_output=True, text=True).stdout.splitlines()[0]
    print(f"==> {version}; mock {exe}; {os.cpu_count()} CPUs")
    with tempfile.NamedTemporaryFile(suffix=".json") as body:
        body.write(PROFILE)
        body.flush()
        mock = Mock(exe)
        print(f"==> mock at {mock.url('')}, PUT {PROFILE_PATH}, "
              f"{args.requests} requests at {args.concurrency} concurrent per phase")
        failures: list[str] = []
        rows = []
        try:
            for phase, keep_alive, slow in (("close", False, 0), ("keep-alive", True, 0),
                                            ("slow", True, args.slow)):
                load = os.getloadavg()[0]
                clients = SlowClients(mock, slow) if slow else None
                rc, out, wall = run_ab(ab, mock, body.name, args.requests, args.concurrency, keep_alive)
                held = clients.still_open() if clients else 0
                if clients:
                    clients.close()
                if args.show_ab:
                    print(out)
                complete = field(out, "Complete requests")
                if complete is None:  # ab gave up (its -s timeout): how far it got
                    m = re.search(r"Total of (\d+) requests completed", out)
                    complete = m.group(1) if m else 0
                complete = int(complete)
                failed = field(out, "Failed requests")
                non2xx = int(field(out, "Non-2xx responses") or 0)
                kept = int(field(out, "Keep-Alive requests") or 0)
                rps = field(out, "Requests per second")
                rps = float(rps.split()[0]) if rps else 0.0
                failed_n = int(failed.split()[0]) if failed else -1
                rows.append((phase, load, complete, failed_n, non2xx, kept, rps,
                             percentile(out, 50), percentile(out, 99), percentile(out, 100), wall, held))
                why = []
                if rc != 0:
                    why.append(f"ab exit status {rc}: {out.strip().splitlines()[-1] if out.strip() else ''}")
                if complete != args.requests:
                    why.append(f"{complete} of {args.requests} complete")
                if failed_n != 0:
                    why.append(f"failed requests: {failed}")
                if non2xx:
                    why.append(f"{non2xx} non-2xx answers")
                if keep_alive and kept < args.requests:
                    why.append(f"only {kept} of {args.requests} requests kept the connection")
                if slow and held < slow:
                    # ab outlasted the mock's idle timeout (30 s), or the mock dropped them.
                    why.append(f"only {held} of {slow} slow clients were still connected at the end")
                if not mock.alive():
                    why.append("the mock exited")
                failures += [f"{phase}: {w}" for w in why]
                if not mock.alive():
                    break
            status = one_request(mock) if mock.alive() else 0
            if status != 200:
                failures.append(f"after the phases: one more request answered {status or 'nothing'}")
        finally:
            rc = mock.stop()

    print()
    print("| phase | load avg | complete | failed | non-2xx | keep-alive | requests/s | p50 ms | p99 ms "
          "| max ms | wall s | slow clients held |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for (phase, load, complete, failed_n, non2xx, kept, rps, p50, p99, pmax, wall, held) in rows:
        print(f"| {phase} | {load:.2f} | {complete} | {failed_n} | {non2xx} | {kept} | {rps:.0f} | {p50} | {p99} "
              f"| {pmax} | {wall:.1f} | {held if phase == 'slow' else '-'} |")
    print(f"after the phases: {'200' if not any(f.startswith('after') for f in failures) else 'FAILED'}; "
          f"mock exit status {rc}; load average now {os.getloadavg()[0]:.2f}")
    if rc != 0:
        failures.append(f"the mock's exit status after SIGINT was {rc}, not 0")
    for f in failures:
        print("FAIL " + f)
    print("OK" if not failures else f"{len(failures)} check(s) failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
