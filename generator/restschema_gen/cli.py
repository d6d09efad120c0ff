"""Command line: `restschema-gen check DIR...`, `restschema-gen cpp|docs|openapi --out OUTDIR DIR...`.

Each subcommand is a (name, help, add_arguments, run) entry in COMMANDS; a
back end (a package under back/ with generate()) adds one entry and reuses
_load(): the front end's model, checked by every back end that constrains
names (so `check` reports what `cpp` would refuse).
Exit status: 0 success, 1 schema errors, 2 bad usage.
"""
from __future__ import annotations

import argparse
import gc
import sys
import traceback

from .front import Diagnostics

EXIT_OK, EXIT_SCHEMA_ERRORS, EXIT_USAGE = 0, 1, 2

# Back ends whose output language constrains the model (names): their checks run for every command.
CHECKING_BACKENDS = ("cpp",)


def _backend_module(name: str):
    return __import__(f"{__package__}.back.{name}", fromlist=["generate"])


class _UsageError(Exception):
    pass


def _load(args):
    """The validated model of args.schemas, or None after printing every problem.

    With --endpoints (the commands that generate), the whole folder is checked
    and the model is then limited to those endpoints and the types they use;
    an id that names no endpoint raises _UsageError.
    """
    from .front import parse_model

    diags = Diagnostics()
    model = parse_model(args.schemas, diags)
    for name in CHECKING_BACKENDS:
        _backend_module(name).check(model, diags)
    for d in diags.sorted():
        print(d, file=sys.stderr)
    if diags:
        return None
    ids = _endpoint_ids(args)
    if ids is not None:
        from .front.subset import UnknownEndpoints, select_endpoints

        try:
            model = select_endpoints(model, ids)
        except UnknownEndpoints as e:
            raise _UsageError("\n".join(f"restschema-gen: error: --endpoints: {p}" for p in e.args[0])) from None
    return model


def _add_endpoints(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--endpoints",
        action="append",
        metavar="ID[,ID...]",
        help="generate only these endpoints (ids, or SERVICE.ID where services share an id) and the types they use; "
        "repeatable; the whole folder is still checked",
    )


def _endpoint_ids(args):
    """The ids of --endpoints, in order and once each, or None without the option."""
    given = getattr(args, "endpoints", None)
    if given is None:
        return None
    ids = []
    for chunk in given:
        for part in chunk.split(","):
            part = part.strip()
            if not part:
                raise _UsageError(f"restschema-gen: error: --endpoints '{chunk}' has an empty id")
            if part not in ids:
                ids.append(part)
    return ids


def _add_schemas(p: argparse.ArgumentParser) -> None:
    p.add_argument("schemas", nargs="+", metavar="DIR", help="schema folder (searched recursively for *.yaml, *.yml) or single schema file")


def _check_args(p):
    _add_schemas(p)


def _check(args) -> int:
    model = _load(args)
    if model is None:
        return EXIT_SCHEMA_ERRORS
    if args.verbose:
        n = len(model.endpoints)
        print(f"restschema-gen: {len(model.services)} service(s), {n} endpoint(s): OK", file=sys.stderr)
    return EXIT_OK


def _cpp_args(p):
    p.add_argument("--out", required=True, metavar="OUTDIR", help="output folder; headers go to OUTDIR/restschema/gen/")
    p.add_argument(
        "--name",
        metavar="NAME",
        help="name of this set of schemas (a C++ identifier): also write restschema/gen/all/NAME.hpp with "
        "restschema::gen::NAME::all_endpoints, which does not collide with another set's (restschema_generate passes its NAME)",
    )
    p.add_argument(
        "--sources",
        type=int,
        default=0,
        metavar="N",
        help="also write N compiled-once sources OUTDIR/src/restschema_endpoints_<i>.cpp that instantiate every "
        "endpoint's binding and decoding and every type's codec (restschema_generate(... COMPILED))",
    )
    p.add_argument(
        "--headers-list",
        metavar="FILE",
        help="also write the generated headers' paths (relative to OUTDIR, one a line) to FILE, rewritten only when "
        "that set changes (restschema_generate declares them to the build tool)",
    )
    _add_endpoints(p)
    _add_schemas(p)


def _cpp(args) -> int:
    if args.name is not None:
        from .back.cpp.naming import is_identifier, is_reserved

        if not is_identifier(args.name) or is_reserved(args.name) or args.name == "all_endpoints":
            print(f"restschema-gen: error: --name '{args.name}' is not a usable C++ identifier", file=sys.stderr)
            return EXIT_USAGE
    if not 0 <= args.sources <= 256:
        print(f"restschema-gen: error: --sources {args.sources} is not between 0 and 256", file=sys.stderr)
        return EXIT_USAGE
    return _backend("cpp", "")[1](args)


def _backend(module: str, out_help: str):
    """(add_arguments, run) of the back end back/<module>, whose package has generate(model, outdir)."""

    def add_args(p):
        p.add_argument("--out", required=True, metavar="OUTDIR", help=out_help)
        _add_endpoints(p)
        _add_schemas(p)

    def run(args) -> int:
        generate = _backend_module(module).generate
        model = _load(args)
        if model is None:
            return EXIT_SCHEMA_ERRORS
        try:
            options = {"name": args.name} if getattr(args, "name", None) else {}
            if getattr(args, "sources", 0):
                options["sources"] = args.sources
            if getattr(args, "headers_list", None):
                options["headers_list"] = args.headers_list
            written, unchanged, removed = generate(model, args.out, **options)
        except OSError as e:
            print(f"restschema-gen: error: cannot write to {e.filename or args.out}: {e.strerror}", file=sys.stderr)
            return EXIT_SCHEMA_ERRORS
        if args.verbose:
            for path in written:
                print(f"restschema-gen: wrote {path}", file=sys.stderr)
            for path in removed:
                print(f"restschema-gen: removed stale {path}", file=sys.stderr)
            print(f"restschema-gen: {len(written)} written, {len(unchanged)} unchanged", file=sys.stderr)
        return EXIT_OK

    return add_args, run


def _import_args(p):
    from .importer import command

    command.add_arguments(p)


def _import(args) -> int:
    from .importer import command

    return command.run(args)


COMMANDS = [
    ("check", "validate schema files and report every problem as file:line:col", _check_args, _check),
    ("cpp", "validate, then write C++ headers (only files whose content changed)", _cpp_args, _cpp),
    ("docs", "validate, then write Markdown pages and samples.json per service (only files whose content changed)",
     *_backend("docs", "output folder: OUTDIR/README.md, OUTDIR/<service>/{README.md,<endpoint>.md,samples.json}")),
    ("openapi", "validate, then write one OpenAPI 3.1 document per service, OUTDIR/<service>.openapi.json",
     *_backend("openapi", "output folder for <service>.openapi.json")),
    ("import", "write restschema schema files from an OpenAPI 3.0 / 3.1 description (docs/openapi-import.md)", _import_args, _import),
]


def build_parser() -> argparse.ArgumentParser:
    from . import __version__

    parser = argparse.ArgumentParser(
        prog="restschema-gen",
        description="Validate restschema YAML descriptions of REST endpoints and generate code from them.",
        epilog="Exit status: 0 success, 1 schema errors, 2 usage errors. Schema format: docs/schema-format.md",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name, help_text, add_args, run in COMMANDS:
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.add_argument("-v", "--verbose", action="store_true", help="report what was done on stderr")
        add_args(p)
        p.set_defaults(run=run)
    return parser


def main(argv=None) -> int:
    # The cyclic garbage collector would walk the growing heap of YAML nodes and
    # model objects again and again: half the CPU time at a thousand endpoints
    # (issue 12). A command is short-lived and makes few cycles, so it runs without.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        args = build_parser().parse_args(argv)
        return args.run(args)
    except SystemExit as e:  # argparse: --help (0) and usage errors (2)
        return e.code if isinstance(e.code, int) else EXIT_USAGE
    except _UsageError as e:
        print(e, file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BaseException as e:  # last resort: never a traceback
        if "RESTSCHEMA_GEN_TRACEBACK" in __import__("os").environ:
            traceback.print_exc()
        print(f"restschema-gen: internal error: {type(e).__name__}: {e}", file=sys.stderr)
        return EXIT_SCHEMA_ERRORS
    finally:
        if gc_was_enabled:
            gc.enable()
