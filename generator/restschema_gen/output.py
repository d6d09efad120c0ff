"""Writing generated files: only those whose content changed, and removing our stale ones."""

import os


def write_files(files: dict, outdir: str, is_generated, suffixes, depth=None, root=None):
    """Writes files whose content changed; removes generated files of ours that are no longer produced.

    Stale files (ending in one of `suffixes`, and `is_generated(path)`) are
    looked for in `root` (default OUTDIR) and, up to `depth` levels (default:
    all), its subfolders. Files are replaced atomically, so a build never sees
    half a file.

    Returns (written, unchanged, removed) lists of paths.
    """
    written, unchanged, removed = [], [], []
    for rel in sorted(files):
        path = os.path.join(outdir, rel)
        (written if write_if_changed(path, files[rel]) else unchanged).append(path)
    wanted = {os.path.normpath(os.path.join(outdir, rel)) for rel in files}
    top = root or outdir
    base_depth = os.path.normpath(top).count(os.sep)
    for folder, dirs, names in os.walk(top):
        if depth is not None and os.path.normpath(folder).count(os.sep) - base_depth >= depth:
            dirs.clear()
        dirs.sort()
        for name in sorted(names):
            path = os.path.normpath(os.path.join(folder, name))
            if name.endswith(suffixes) and path not in wanted and is_generated(path):
                os.remove(path)
                removed.append(path)
    return written, unchanged, removed


def write_if_changed(path: str, text: str) -> bool:
    """Writes text (UTF-8) to path unless the file holds it already; atomically. True when written."""
    data = text.encode("utf-8")
    try:
        with open(path, "rb") as f:
            if f.read() == data:
                return False
    except OSError:
        pass
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, path)
    return True
