#!/usr/bin/env python3
"""Build cost at a thousand endpoints (issue 12): what one endpoint costs to
compile, and what touching one schema file rebuilds.

    python3 bench/scale_cost.py                  # both parts
    python3 bench/scale_cost.py --part compile --repeat 3
    python3 bench/scale_cost.py --part compile --umbrella   # also the TU with every type, as before
    python3 bench/scale_cost.py --part rebuild

Needs GitHub's description (bash tests/openapi/descriptions/setup.sh), g++,
Boost 1.81 and OpenSSL headers, CMake and Ninja. Python standard library only.

compile: bench/compile/github_one_endpoint.cpp (PATCH repos_update_release:
  JSON body, a typed response of 25 fields) against headers generated from
  GitHub's whole description, and bench/compile/safeshepherd_one_endpoint.cpp
  (the seed endpoint, the same shape), each header-only, with the flags and
  the measuring of bench/compile_cost.py (CPU time of g++ and what it runs,
  peak memory, median of --repeat). Budget: GitHub <= 1.1x Safe Shepherd.
  For scale, also how many type headers each TU includes; --umbrella adds
  the GitHub TU with <restschema/gen/github/types.hpp> (every type of the
  service: what an endpoint header included before the header per type).

rebuild: a CMake + Ninja project whose target has GitHub's imported folder in
  restschema_generate() and four translation units, each including one
  generated header. After a full build, it makes edits to the schema files
  and counts, for each, the generated headers rewritten (content compared
  before and after) and the translation units Ninja rebuilt. Budget: one
  header rewritten, and only the TUs that include it rebuilt.

Prints the figures; exit status 1 when a budget is missed. Timings are
reported, never asserted by tests.
"""
from __future__ import annotations

import argparse
import hashlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
GEN = ROOT / "generator" / "restschema-gen"
SPEC = ROOT / "tests" / "openapi" / "descriptions" / "node_modules" / "@octokit" / "openapi" / "generated" / "api.github.com.json"
sys.path.insert(0, str(HERE))
import compile_cost  # noqa: E402  (the same flags and measuring as the build-cost rows)

BUDGET_RATIO = 1.1
OPT = compile_cost.BUDGET_OPT


def generator(*args: str) -> None:
    p = subprocess.run(["/usr/bin/python3", str(GEN), *args], capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"scale_cost: restschema-gen {' '.join(args[:2])} failed:\n{p.stderr[:3000]}")


def import_github(tmp: Path) -> Path:
    schemas = tmp / "schemas"
    generator("import", "openapi", str(SPEC), "--service", "github", "--out", str(schemas))
    return schemas / "github"


def included(gen: Path, header: str) -> set[str]:
    seen, stack = set(), [header]
    while stack:
        for line in (gen / stack.pop()).read_text(encoding="utf-8").splitlines():
            m = re.match(r"#include <(restschema/gen/[^>]+)>", line)
            if m and m.group(1) not in seen:
                seen.add(m.group(1))
                stack.append(m.group(1))
    return seen


# --------------------------------------------------------------------------- compile


def part_compile(tmp: Path, repeat: int, umbrella: bool) -> bool:
    folder = import_github(tmp)
    gen_github, gen_seed = tmp / "gen-github", tmp / "gen-seed"
    generator("cpp", "--out", str(gen_github), str(folder))
    generator("cpp", "--out", str(gen_seed), str(ROOT / "schemas"))
    rows = []
    tus = [
        ("safeshepherd_one_endpoint", HERE / "compile" / "safeshepherd_one_endpoint.cpp", gen_seed, "restschema/gen/safeshepherd/update_user.hpp"),
        ("github_one_endpoint", HERE / "compile" / "github_one_endpoint.cpp", gen_github, "restschema/gen/github/repos_update_release.hpp"),
    ]
    if umbrella:
        # What the endpoint header included before the header per type (generated_code_version 5): every type.
        source = tmp / "github_one_endpoint_umbrella.cpp"
        source.write_text("#include <restschema/gen/github/types.hpp> // every type of the service, as before issue 12\n"
                          + tus[1][1].read_text(encoding="utf-8"))
        tus.append(("github_one_endpoint + types.hpp", source, gen_github, "restschema/gen/github/types.hpp"))
    for name, source, gen, header in tus:
        print(f"compiling {name} ({OPT}, header-only) ...", file=sys.stderr, flush=True)
        m = compile_cost.compile_tu(source, OPT, [ROOT / "include", gen], [], repeat)
        if not m.ok:
            sys.stderr.write(m.log[-6000:] + "\n")
            sys.exit(f"scale_cost: {source.name} did not compile")
        types = [h for h in included(gen, header) if "/types/" in h]
        total = len(list((gen / header).parent.glob("types/*.hpp")))
        rows.append((name, m, len(types), total))
    seed = rows[0][1]
    print(f"\nOne endpoint called through the client, header-only, {OPT}, median of {repeat}:\n")
    print("| TU | CPU s | peak MB | type headers included | ratio to Safe Shepherd |")
    print("|---|---:|---:|---:|---:|")
    for name, m, n, total in rows:
        print(f"| {name} | {m.cpu:.1f} | {m.peak_mb:.0f} | {n} of {total} | {m.cpu / seed.cpu:.2f}x |")
    ratio = rows[1][1].cpu / seed.cpu
    ok = ratio <= BUDGET_RATIO
    print(f"\nbudget: github_one_endpoint <= {BUDGET_RATIO}x safeshepherd_one_endpoint CPU: {ratio:.2f}x, {'within' if ok else 'OVER'}")
    return ok


# --------------------------------------------------------------------------- rebuild

PROJECT = """cmake_minimum_required(VERSION 3.20)
project(restschema_scale CXX)
set(CMAKE_CXX_STANDARD 20)
include("{module}")
add_library(apis INTERFACE)
target_include_directories(apis INTERFACE "{include}")
restschema_generate(TARGET apis SCHEMAS schemas OUTPUT_DIR ${{CMAKE_BINARY_DIR}}/gen)
add_library(tus OBJECT {sources})
target_link_libraries(tus PRIVATE apis)
"""

# (TU, the header it includes, a static_assert that uses it)
TUS = [
    ("release.cpp", "restschema/gen/github/repos_update_release.hpp", "restschema::endpoint_descriptor<github::repos_update_release>"),
    ("user.cpp", "restschema/gen/github/users_update_authenticated.hpp", "restschema::endpoint_descriptor<github::users_update_authenticated>"),
    ("issue.cpp", "restschema/gen/github/issues_get.hpp", "restschema::endpoint_descriptor<github::issues_get>"),
    ("simple_user.cpp", "restschema/gen/github/types/simple_user.hpp", "sizeof(github::simple_user) > 0"),
]


def snapshot(gen: Path) -> dict[str, str]:
    return {str(p.relative_to(gen)): hashlib.sha256(p.read_bytes()).hexdigest() for p in gen.rglob("*.hpp")}


def build(bld: Path) -> tuple[list[str], str]:
    """Builds; returns the TUs Ninja compiled and the log."""
    p = subprocess.run(["cmake", "--build", str(bld), "-j", "2"], capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"scale_cost: build failed:\n{(p.stdout + p.stderr)[-4000:]}")
    return sorted(set(re.findall(r"Building CXX object \S*?/([a-z_]+\.cpp)\.o", p.stdout))), p.stdout


def part_rebuild(tmp: Path) -> bool:
    folder = import_github(tmp)
    src, bld = tmp / "project", tmp / "build"
    shutil.copytree(folder, src / "schemas" / "github")
    for name, header, check in TUS:
        (src / name).write_text(f"#include <{header}>\nstatic_assert({check});\n")
    (src / "CMakeLists.txt").write_text(
        PROJECT.format(
            module=(ROOT / "cmake" / "RestschemaGenerate.cmake").as_posix(),
            include=(ROOT / "include").as_posix(),
            sources=" ".join(n for n, _, _ in TUS),
        )
    )
    p = subprocess.run(["cmake", "-S", str(src), "-B", str(bld), "-G", "Ninja", "-DCMAKE_BUILD_TYPE=Debug"], capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"scale_cost: configure failed:\n{p.stdout + p.stderr}")
    print("full build of the scratch project ...", file=sys.stderr, flush=True)
    built, _ = build(bld)
    gen = bld / "gen"
    users = {name: sorted(h for h in included(gen, header) | {header}) for name, header, _ in TUS}

    schemas = src / "schemas" / "github"
    release_yaml = schemas / "repos_update_release.yaml"
    service_yaml = schemas / "service.yaml"

    def edit(path: Path, old: str, new: str):
        def apply():
            text = path.read_text(encoding="utf-8")
            if old not in text:
                sys.exit(f"scale_cost: '{old}' is not in {path}")
            path.write_text(text.replace(old, new, 1), encoding="utf-8")

        return apply

    def touch(path: Path):
        return lambda: os.utime(path)

    steps = [
        ("nothing changed", lambda: None),
        ("touch repos_update_release.yaml (time stamp only)", touch(release_yaml)),
        ("edit a parameter description in repos_update_release.yaml",
         edit(release_yaml, "description: The unique identifier of the release.", "description: The unique identifier of the release (edited).")),
        ("edit the description of type Release in service.yaml",
         edit(service_yaml, "    - name: Release\n      description: A release.\n", "    - name: Release\n      description: A release (edited).\n")),
        ("add a field to type SimpleUser in service.yaml",
         edit(service_yaml, "    - name: SimpleUser\n      description: A GitHub user.\n      fields:\n",
              "    - name: SimpleUser\n      description: A GitHub user.\n      fields:\n        - {name: pronouns, type: string}\n")),
    ]
    ok = True
    print(f"\nTouching one schema file of GitHub's imported folder ({len(TUS)} TUs, {len(built)} built at first):\n")
    print("| change | headers rewritten | TUs rebuilt | TUs that include a rewritten header | ok |")
    print("|---|---|---|---|---|")
    for what, change in steps:
        before = snapshot(gen)
        change()
        rebuilt, _ = build(bld)
        after = snapshot(gen)
        rewritten = sorted(k for k in after if before.get(k) != after[k]) + sorted(k for k in before if k not in after)
        expected = sorted(name for name, deps in users.items() if any(r in deps for r in rewritten))
        step_ok = len(rewritten) <= 1 and rebuilt == expected
        ok = ok and step_ok
        print(f"| {what} | {len(rewritten)}: {', '.join(r.split('restschema/gen/')[-1] for r in rewritten) or '-'} "
              f"| {len(rebuilt)}: {', '.join(rebuilt) or '-'} | {', '.join(expected) or '-'} | {'yes' if step_ok else 'NO'} |")
    print(f"\nbudget: one header rewritten, only the TUs that include it rebuilt: {'within' if ok else 'OVER'}")
    return ok


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--part", choices=["compile", "rebuild", "all"], default="all")
    ap.add_argument("--repeat", type=int, default=1, help="compiles per TU in the compile part; the median is reported")
    ap.add_argument("--umbrella", action="store_true",
                    help="also compile the GitHub TU with every type of the service (what an endpoint header included before)")
    ap.add_argument("--keep", action="store_true", help="keep the scratch folder (printed)")
    args = ap.parse_args()
    if not SPEC.exists():
        print(f"scale_cost: {SPEC} is missing: run bash tests/openapi/descriptions/setup.sh", file=sys.stderr)
        return 2
    tmp = Path(tempfile.mkdtemp(prefix="rs-scale-cost-"))
    try:
        ok = True
        if args.part in ("compile", "all"):
            ok = part_compile(tmp / "compile", args.repeat, args.umbrella) and ok
        if args.part in ("rebuild", "all"):
            ok = part_rebuild(tmp / "rebuild") and ok
    finally:
        if args.keep:
            print(f"scratch folder: {tmp}", file=sys.stderr)
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    print(f"load average at the end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
