"""Serve the production build without building it again, with workers that are replaced.

`reflex run --env prod` builds the frontend (about a minute) every time it starts, and its
Granian server exits when one worker dies. This starts Granian on the build already made, as
Reflex's own production backend does (reflex.utils.exec.run_granian_backend_prod), with two
differences: a worker that dies is replaced (`respawn_failed_workers`) while the others go on
serving, and the number of workers is WORKERS (default: the machine's cores; with several,
REDIS_URL must be set so they share the tabs' state).

    python -m companion.serve [PORT]      # after `python -m companion.build`
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from pathlib import Path

BUILT = Path(".web") / "build" / "client" / "index.html"


def workers() -> int:
    wanted = os.environ.get("WORKERS", "").strip()
    if wanted.isdigit() and int(wanted) > 0:
        return int(wanted)
    if not os.environ.get("REDIS_URL"):
        return 1  # tab state in memory: one process, or tabs would land on a stranger's worker
    return os.cpu_count() or 1


def main(argv: list[str]) -> int:
    port = int(argv[1]) if len(argv) > 1 else int(os.environ.get("PORT", "3000"))
    if not (Path.cwd() / BUILT).exists():
        print("No production build here: run `python -m companion.build` first.", file=sys.stderr)
        return 1
    from granian.constants import Interfaces
    from granian.log import LogLevels
    from granian.server import Server as Granian
    from reflex.config import environment, get_config
    from reflex.constants import Env
    from reflex.utils import exec as reflex_exec

    # As `reflex run --env prod` starts its backend once the build is made (set through
    # Reflex's own environment API: these are its internal, renamed variables).
    environment.REFLEX_ENV_MODE.set(Env.PROD)
    environment.REFLEX_SKIP_COMPILE.set(True)
    environment.REFLEX_MOUNT_FRONTEND_COMPILED_APP.set(True)
    loglevel = get_config().loglevel.subprocess_level()
    target = reflex_exec.get_app_instance_from_file()
    if (method := reflex_exec._backend_start_method()) is not None:
        multiprocessing.set_start_method(method, force=True)
        if method == "fork" and not reflex_exec._preload_for_fork(None):
            multiprocessing.set_start_method("spawn", force=True)
    Granian(
        target=target,
        factory=True,
        address=os.environ.get("HOST", "0.0.0.0"),  # noqa: S104 - as `reflex run` binds
        port=port,
        interface=Interfaces.ASGI,
        log_level=LogLevels(os.getenv("GRANIAN_LOG_LEVEL", loglevel.value)),
        workers=workers(),
        respawn_failed_workers=True,
        respawn_interval=0.5,
    ).serve()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
