"""Build the production frontend once, and only again when the app's source changed.

`make run` used to rebuild on every start (`reflex run --env prod`: about a minute of the ~20 s
to a minute before the first page). The build is now its own step, stamped with a hash of
everything it is made from; `python -m companion.build` skips it when the stamp matches, and
`python -m companion.serve` serves it in about a second.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

STAMP = Path(".web") / "kc-build-stamp"
BUILT = Path(".web") / "build" / "client" / "index.html"
# What the compiled frontend is made of (the backend's Python is read at start, not built).
SOURCES = ("companion", "assets", "rxconfig.py", "reflex.lock", "requirements.lock")
# The bundle holds the server's address (.web/env.json: ws://localhost:<PORT>/_event).
BUILD_ENV = ("PORT", "API_URL", "DEPLOY_URL", "PUBLIC_URL", "FRONTEND_PATH")


def source_hash(root: Path) -> str:
    digest = hashlib.sha256()
    for name in BUILD_ENV:
        digest.update(f"{name}={os.environ.get(name, '')}\0".encode())
    for name in SOURCES:
        top = root / name
        files = sorted(top.rglob("*")) if top.is_dir() else [top]
        for path in files:
            if not path.is_file() or "__pycache__" in path.parts:
                continue
            digest.update(str(path.relative_to(root)).encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def is_current(root: Path) -> bool:
    stamp = root / STAMP
    return (root / BUILT).exists() and stamp.exists() and stamp.read_text() == source_hash(root)


def build(root: Path) -> None:
    """The same production build `reflex run --env prod` makes, without serving it."""
    reflex = str(Path(sys.executable).with_name("reflex"))
    subprocess.run(  # noqa: S603 - our own reflex, fixed arguments
        [reflex, "export", "--frontend-only", "--no-zip", "--env", "prod"],
        cwd=root,
        check=True,
        env=os.environ | {"REFLEX_CHECK_LATEST_VERSION": "0"},
    )
    (root / STAMP).write_text(source_hash(root))


def main() -> int:
    root = Path.cwd()
    if is_current(root):
        print("The production build is up to date.")
        return 0
    build(root)
    return 0


if __name__ == "__main__":
    sys.exit(main())
