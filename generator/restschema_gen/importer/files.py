"""Writing an imported service folder, and what a second import does to it.

The folder DIR/<service>/ gets the imported files and a manifest,
`.restschema-import.json`, with the SHA-256 of each file as written. A later
import over the same folder:

* writes files whose content changed and that nobody edited since (their hash
  is the manifest's), and removes imported files it no longer produces (an
  operation that left the description) when they are unedited;
* keeps every file the manifest does not list (the user's own endpoints);
* refuses, listing them, when it would overwrite or remove an edited file;
  `--force` overwrites them (and says which). Edits that should survive
  re-imports belong in an overlay (docs/openapi-import.md).
"""
from __future__ import annotations

import hashlib
import json
import os

MANIFEST = ".restschema-import.json"


def _sha(text: bytes) -> str:
    return hashlib.sha256(text).hexdigest()


class Refused(Exception):
    pass


def write_service(files: dict, folder: str, source: str, force: bool = False):
    """(written, unchanged, removed, overwritten edits); raises Refused listing edited files."""
    manifest_path = os.path.join(folder, MANIFEST)
    old = {}
    if os.path.exists(manifest_path):
        try:
            with open(manifest_path, encoding="utf-8") as f:
                old = json.load(f).get("files", {})
        except (OSError, ValueError, AttributeError):
            old = {}
    elif os.path.isdir(folder) and any(n.endswith((".yaml", ".yml")) for n in os.listdir(folder)) and not force:
        clash = sorted(n for n in files if os.path.exists(os.path.join(folder, n)))
        if clash:
            raise Refused(
                f"{folder} holds schema files that no import wrote ({', '.join(clash[:5])}{', ...' if len(clash) > 5 else ''}); "
                "import into another folder, or pass --force to overwrite them"
            )
    edited = []
    for name in sorted(set(files) | set(old)):
        path = os.path.join(folder, name)
        if not os.path.exists(path) or name not in old:
            continue
        with open(path, "rb") as f:
            current = f.read()
        new = files.get(name)
        if _sha(current) != old[name] and (new is None or current != new.encode("utf-8")):
            edited.append(name)
    if edited and not force:
        raise Refused(
            "these imported files were edited since the last import and would be "
            + ("overwritten or removed" if len(edited) > 1 else "overwritten or removed")
            + ": "
            + ", ".join(os.path.join(folder, n) for n in edited)
            + "; move the edits into an overlay (--overlay) or pass --force"
        )
    os.makedirs(folder, exist_ok=True)
    written, unchanged, removed = [], [], []
    for name, text in sorted(files.items()):
        path = os.path.join(folder, name)
        data = text.encode("utf-8")
        if os.path.exists(path):
            with open(path, "rb") as f:
                if f.read() == data:
                    unchanged.append(path)
                    continue
        tmp = path + ".tmp"
        with open(tmp, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
        written.append(path)
    for name in sorted(set(old) - set(files)):
        path = os.path.join(folder, name)
        if os.path.exists(path):
            os.remove(path)
            removed.append(path)
    manifest = {
        "generated_by": "restschema-gen import openapi",
        "source": source,
        "files": {name: _sha(text.encode("utf-8")) for name, text in sorted(files.items())},
    }
    text = json.dumps(manifest, indent=2, sort_keys=True) + "\n"
    current = None
    if os.path.exists(manifest_path):
        with open(manifest_path, encoding="utf-8") as f:
            current = f.read()
    if current != text:
        with open(manifest_path, "w", encoding="utf-8") as f:
            f.write(text)
    return written, unchanged, removed, edited
