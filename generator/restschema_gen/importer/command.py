"""`restschema-gen import openapi SPEC --service NAME --out DIR [--overlay FILE] [--force] [--base-url URL]`."""
from __future__ import annotations

import os
import re
import sys
import time

EXIT_OK, EXIT_ERRORS, EXIT_USAGE = 0, 1, 2


def add_arguments(p) -> None:
    p.add_argument("format", choices=["openapi"], help="the description's format (OpenAPI 3.0 or 3.1, JSON or YAML)")
    p.add_argument("spec", metavar="SPEC", help="the OpenAPI document (one self-contained file)")
    p.add_argument("--service", required=True, metavar="NAME", help="the service name (snake_case): writes DIR/NAME/")
    p.add_argument("--out", required=True, metavar="DIR", help="folder of service folders (DIR/NAME/service.yaml, DIR/NAME/<endpoint>.yaml)")
    p.add_argument("--overlay", metavar="FILE", help="restschema-format additions merged on every import (docs/openapi-import.md)")
    p.add_argument("--base-url", metavar="URL", help="the base URL, where the description's servers give none or a relative one")
    p.add_argument("--force", action="store_true", help="overwrite imported files edited since the last import")


def run(args) -> int:
    from . import files as out_files
    from . import openapi, overlay

    if not re.fullmatch(r"[a-z][a-z0-9_]*", args.service) or args.service == "all":
        print(f"restschema-gen: error: --service '{args.service}' is not a service name (snake_case, not 'all')", file=sys.stderr)
        return EXIT_USAGE
    start = time.perf_counter()
    try:
        spec = openapi.load_spec(args.spec)
        ov = overlay.load(args.overlay) if args.overlay else None
        imp = openapi.DocumentImporter(spec, openapi.Options(args.service, args.base_url or ""))
        files = openapi.build_files(imp, os.path.basename(args.spec), overlay=ov)
        folder = os.path.join(args.out, args.service)
        written, unchanged, removed, edited = out_files.write_service(files, folder, os.path.basename(args.spec), args.force)
    except openapi.ImportFailure as e:
        print(str(e), file=sys.stderr)
        return EXIT_ERRORS
    except out_files.Refused as e:
        print(f"restschema-gen: error: {e}", file=sys.stderr)
        return EXIT_ERRORS
    except RecursionError:
        print(f"{args.spec}: error: the description nests too deeply to import", file=sys.stderr)
        return EXIT_ERRORS
    except OSError as e:
        print(f"restschema-gen: error: cannot write {e.filename or args.out}: {e.strerror}", file=sys.stderr)
        return EXIT_ERRORS
    for name in edited:
        print(f"restschema-gen: warning: overwrote {os.path.join(folder, name)}, edited since the last import (--force)", file=sys.stderr)
    if args.verbose:
        for path in written:
            print(f"restschema-gen: wrote {path}", file=sys.stderr)
        for path in removed:
            print(f"restschema-gen: removed {path} (no longer in the description)", file=sys.stderr)
        n = len(files) - 1
        notes = sum(t.count("# restschema-import:") for t in files.values())
        print(
            f"restschema-gen: imported {n} endpoint(s) of {args.spec} into {folder} in {time.perf_counter() - start:.2f} s: "
            f"{len(written)} written, {len(unchanged)} unchanged, {notes} note(s) ('# restschema-import:' comments)",
            file=sys.stderr,
        )
    return EXIT_OK
