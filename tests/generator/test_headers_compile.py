#!/usr/bin/python3
"""Generates headers from schemas/ and the test schemas and compiles each one
on its own, plus a translation unit with static_asserts on the result.

    /usr/bin/python3 tests/generator/test_headers_compile.py [--cxx g++] [-j N]
"""
import argparse
import concurrent.futures
import os
import subprocess
import sys
import tempfile

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
GEN = os.path.join(ROOT, "generator", "restschema-gen")
SCHEMA_SETS = [["schemas"], ["tests/schemas/wide"], ["tests/schemas/special"]]
FLAGS = ["-std=c++20", "-Wall", "-Wextra", "-Werror"]

CHECKS = r"""
#include <restschema/gen/all.extras.hpp>
#include <restschema/gen/all.hpp> // #pragma once
#include <restschema/reply.hpp>
#include <boost/describe.hpp>
#include <boost/mp11.hpp>
#include <type_traits>

namespace d = boost::describe;
template <class T>
constexpr std::size_t described = boost::mp11::mp_size<d::describe_members<T, d::mod_public | d::mod_inherited>>::value;

%s
int main() {}
"""

ASSERTS = {
    "schemas": r"""
static_assert(boost::mp11::mp_size<restschema::gen::all_endpoints>::value == 2);
static_assert(std::is_same_v<boost::mp11::mp_first<restschema::gen::all_endpoints>, attestr::update_profile>);
static_assert(restschema::type_info<attestr::update_profile_request>::fields.size() == described<attestr::update_profile_request>);
static_assert(restschema::type_info<safeshepherd::user>::fields.size() == described<safeshepherd::user>);
static_assert(restschema::field_of<safeshepherd::user>("secret").sensitive);
static_assert(restschema::field_of<safeshepherd::address>("destroy").wire == "_destroy");
static_assert(restschema::type_info<safeshepherd::service_event>::exactly_one_of.size() == 2);
static_assert(restschema::enum_info<safeshepherd::alias_type>::wire_names[1] == "maiden");
static_assert(attestr::update_profile::errors.size() == 13);
// Attestr's constant Content-Type header is its request media type, sent once (issue 11).
static_assert(attestr::update_profile::constants.size() == 0);
static_assert(attestr::update_profile::request_media_type == "application/json");
static_assert(attestr::update_profile::accept == "application/json");
static_assert(std::is_same_v<restschema::response_headers_t<attestr::update_profile>, restschema::no_response_headers>);
static_assert(restschema::endpoint_mock<attestr::update_profile>::not_found == attestr::update_profile_error::invalid_profile_id);
static_assert(restschema::endpoint_mock<attestr::update_profile>::has_not_found);
static_assert(restschema::endpoint_mock<safeshepherd::update_user>::owner_secret == "secret");
static_assert(restschema::endpoint_docs<attestr::update_profile>::title == "Update Profile");
static_assert(restschema::endpoint_docs<safeshepherd::update_user>::response_example_json.starts_with("{"));
static_assert(restschema::endpoint_descriptor<attestr::update_profile>);
static_assert(restschema::endpoint_descriptor<safeshepherd::update_user>);
static_assert(!restschema::endpoint_descriptor<attestr::update_profile_request>);
// The wire descriptor carries no docs or mock data.
template <class E> concept has_docs_members = requires { E::title; E::response_example_json; E::mock_collection; };
static_assert(!has_docs_members<attestr::update_profile>);
static_assert(std::is_same_v<safeshepherd::update_user::response, safeshepherd::user>);
static_assert(safeshepherd::update_user::update.present && safeshepherd::update_user::update.lists_append);
static_assert(std::is_same_v<attestr::service::error_body, attestr::error_body>);
static_assert(std::is_same_v<safeshepherd::service::error_body, boost::json::value>);
""",
    "tests/schemas/wide": r"""
static_assert(described<wide::sheet> == 60);
static_assert(described<wide::sheet_part0> == 50);
static_assert(std::is_base_of_v<wide::sheet_part0, wide::sheet>);
static_assert(restschema::type_info<wide::sheet>::fields.size() == 60);
static_assert(restschema::type_info<wide::sheet_part0>::fields.size() == 50);
static_assert(restschema::field_of<wide::sheet>("col59").min_version == "v2");
""",
    "tests/schemas/special": r"""
static_assert(restschema::type_info<edgy::api::link>::fields.size() == described<edgy::api::link>);
static_assert(restschema::field_of<edgy::api::link>("link_").wire == "link");
static_assert(restschema::type_info<edgy::api::empty>::fields.size() == 0);
static_assert(restschema::type_info<edgy::api::ping_request>::fields.size() == 0);
static_assert(edgy::api::delete_::errors.size() == 4);
// The constant Accept header is the response media type (issue 11): sent once, as accept.
static_assert(edgy::api::delete_::constants.size() == 1);
static_assert(edgy::api::delete_::accept == "application/json");
static_assert(edgy::api::delete_::request_format == restschema::body_format::json);
static_assert(edgy::api::ping::auth.size() == 0 && edgy::api::ping::errors.size() == 3);
static_assert(static_cast<int>(edgy::api::kind::upper_case) == 4);
""",
}


# Two output folders of restschema_generate() calls on one include path (issue 9
# point 6): the named aggregates coexist; the unnamed all.hpp refuses to pick one.
TWO_SETS = [("att", ["schemas/attestr"]), ("shepherd", ["schemas/safeshepherd"])]
TWO_SETS_OK = r"""
#include <restschema/gen/all/att.extras.hpp>
#include <restschema/gen/all/shepherd.extras.hpp>
#include <boost/mp11/algorithm.hpp>
#include <type_traits>
static_assert(std::is_same_v<restschema::gen::att::all_endpoints, boost::mp11::mp_list<attestr::update_profile>>);
static_assert(std::is_same_v<restschema::gen::shepherd::all_endpoints, boost::mp11::mp_list<safeshepherd::update_user>>);
static_assert(restschema::endpoint_mock<safeshepherd::update_user>::collection == "users");
int main() {}
"""
TWO_SETS_AMBIGUOUS = "#include <restschema/gen/all.hpp>\n"

# Misuse of the list operations (restschema/edits.hpp) does not compile, with
# a message that says what to do instead: (name, statements, expected text).
EDITS_PRELUDE = "#include <restschema/gen/safeshepherd/update_user.hpp>\nvoid f(safeshepherd::update_user_request& req) {\n"
EDITS_MISUSE = [
    ("edits: append() refuses an item with an id", "req.phone_numbers.append(safeshepherd::phone_number{});",
     "restschema: append() takes the item's fields (<item>_fields), which have no id"),
    ("edits: update() refuses a plain integer id", 'req.phone_numbers.update(124, {.number = "1"});',
     "restschema: update() takes the id type of this list's items (<item>_id)"),
    ("edits: destroy() refuses another list's id", "req.phone_numbers.destroy(safeshepherd::alias_id{1});",
     "restschema: destroy() takes the id type of this list's items (<item>_id) and nothing else"),
    ("edits: destroy() refuses a plain integer id", "req.phone_numbers.destroy(124);",
     "restschema: destroy() takes the id type of this list's items"),
    ("edits: an id is not made implicitly", "safeshepherd::phone_number_id id = 124; (void)id;",
     "conversion from 'int' to non-scalar type 'safeshepherd::phone_number_id'"),
    ("edits: a new item's fields have no id", 'safeshepherd::phone_number_fields added{.id = 1}; req.phone_numbers.append(added);',
     "has no non-static data member named 'id'"),
    ("edits: a deletion takes nothing but the id", 'req.phone_numbers.destroy(safeshepherd::phone_number_id{1}, {.number = "1"});',
     "no matching function for call to 'restschema::list_edits<safeshepherd::phone_number>::destroy("),
    ("edits: raw items are not assigned by accident", "req.phone_numbers = std::vector<safeshepherd::phone_number>{};",
     "no match for 'operator='"),
]
TWO_SETS_ERROR = "restschema/gen/all.hpp is in more than one folder of the include path"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cxx", default=os.environ.get("CXX", "g++"))
    ap.add_argument("-j", type=int, default=max(1, min(4, os.cpu_count() or 1)))
    ap.add_argument("--include", action="append", default=[], help="extra include directory (e.g. Boost)")
    args = ap.parse_args()
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        jobs = []
        for i, dirs in enumerate(SCHEMA_SETS):
            out = os.path.join(tmp, f"out{i}")
            p = subprocess.run(["/usr/bin/python3", GEN, "cpp", "--out", out, *dirs], cwd=ROOT, capture_output=True, text=True)
            if p.returncode != 0 or p.stdout or p.stderr:
                print(f"restschema-gen failed for {dirs}:\n{p.stdout}{p.stderr}")
                return 1
            includes = ["-I", os.path.join(ROOT, "include"), "-I", out] + [f"-I{d}" for d in args.include]
            for d, _, files in os.walk(out):
                for f in sorted(files):
                    rel = os.path.relpath(os.path.join(d, f), out).replace(os.sep, "/")
                    jobs.append((rel, includes, f"#include <{rel}>\n"))
            jobs.append((f"static_asserts for {dirs[0]}", includes, CHECKS % ASSERTS[dirs[0]]))
        two = ["-I", os.path.join(ROOT, "include")] + [f"-I{d}" for d in args.include]
        for name, dirs in TWO_SETS:
            out = os.path.join(tmp, f"set-{name}")
            p = subprocess.run(["/usr/bin/python3", GEN, "cpp", "--name", name, "--out", out, *dirs], cwd=ROOT, capture_output=True, text=True)
            if p.returncode != 0 or p.stdout or p.stderr:
                print(f"restschema-gen failed for {dirs}:\n{p.stdout}{p.stderr}")
                return 1
            two += ["-I", out]
        schemas_includes = ["-I", os.path.join(ROOT, "include"), "-I", os.path.join(tmp, "out0")] + [f"-I{d}" for d in args.include]
        for name, body, expected in EDITS_MISUSE:
            jobs.append((name, schemas_includes, EDITS_PRELUDE + body + "\n}\n", expected))
        jobs.append(("two output folders: named aggregates", two, TWO_SETS_OK))
        jobs.append(("two output folders: all.hpp is refused", two, TWO_SETS_AMBIGUOUS, TWO_SETS_ERROR))

        def compile_one(job):
            name, includes, source, *expect_error = job
            # LC_ALL=C: plain quotes in diagnostics, whatever the caller's locale.
            p = subprocess.run([args.cxx, *FLAGS, "-fsyntax-only", *includes, "-x", "c++", "-"], input=source,
                               capture_output=True, text=True, env=dict(os.environ, LC_ALL="C"))
            if expect_error:  # must fail, with this text
                ok = p.returncode != 0 and expect_error[0] in p.stderr
                return name, 0 if ok else 1, "" if ok else f"expected an error containing: {expect_error[0]}\n{p.stderr}"
            return name, p.returncode, p.stderr

        with concurrent.futures.ThreadPoolExecutor(args.j) as pool:
            for name, rc, err in pool.map(compile_one, jobs):
                status = "ok" if rc == 0 else "FAILED"
                print(f"{status}: {name}")
                if rc:
                    failures += 1
                    print(err)
    print(f"{len(jobs) - failures}/{len(jobs)} compiled")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
