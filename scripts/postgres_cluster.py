"""A throwaway PostgreSQL server for the tests, CI and the benchmarks.

    python scripts/postgres_cluster.py start DIRECTORY   # prints the server's URL
    python scripts/postgres_cluster.py stop DIRECTORY

``start`` runs Debian's ``initdb`` and ``pg_ctl`` (``/usr/lib/postgresql/*/bin``, or the ones on
PATH) to make a new cluster under DIRECTORY, listening on 127.0.0.1 on a free port only, with
trust authentication for the user ``sanctionwatch``, fsync off (a test server: nothing in it
must survive a power cut) and its socket in DIRECTORY, so it never meets another server on the
machine. initdb refuses to run as root: as root the cluster belongs to the ``postgres`` user
(created by Debian's package) or, without it, to ``nobody``.

The tests load this file by path (``tests/conftest.py``); nothing in ``sanctionwatch`` imports it.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

SUPERUSER = "sanctionwatch"
START_TIMEOUT_SECONDS = 60
# Test-server settings: durability off (speed), few connections, no logging collector.
SERVER_OPTIONS = (
    "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
    "-c max_connections=200 -c shared_buffers=64MB -c listen_addresses=127.0.0.1"
)


class ClusterUnavailable(RuntimeError):
    """No PostgreSQL binaries here, or the server would not start (the message says which)."""


@dataclass(frozen=True, slots=True)
class Cluster:
    directory: Path
    port: int
    bin_directory: Path

    @property
    def url(self) -> str:
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/postgres"


def find_bin_directory() -> Path:
    """The newest ``/usr/lib/postgresql/N/bin`` with initdb and pg_ctl, else the ones on PATH."""
    candidates = sorted(
        (Path(p) for p in glob.glob("/usr/lib/postgresql/*/bin")),
        key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
        reverse=True,
    )
    for candidate in candidates:
        if (candidate / "initdb").exists() and (candidate / "pg_ctl").exists():
            return candidate
    initdb = shutil.which("initdb")
    if initdb and shutil.which("pg_ctl"):
        return Path(initdb).parent
    raise ClusterUnavailable(
        "no PostgreSQL server binaries (initdb, pg_ctl) found: install Debian's postgresql package "
        "or set SANCTIONWATCH_TEST_POSTGRES_URL"
    )


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _owner() -> str | None:
    """The unprivileged user that runs the server when we are root; None when we are not root."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
        except KeyError:
            continue
        return name
    raise ClusterUnavailable("running as root and neither a 'postgres' nor a 'nobody' user exists for initdb")


def _run(command: list[str], owner: str | None) -> subprocess.CompletedProcess[str]:
    if owner is not None:
        command = ["runuser", "-u", owner, "--", *command]
    return subprocess.run(command, capture_output=True, text=True, check=False, cwd="/")


def start(directory: Path) -> Cluster:
    """A new cluster under ``directory`` (created), started; raises ClusterUnavailable."""
    bin_directory = find_bin_directory()
    owner = _owner()
    directory.mkdir(parents=True, exist_ok=True)
    data = directory / "data"
    if owner is not None:
        record = pwd.getpwnam(owner)
        # The owner must also reach ``directory`` through its parents: choose one under /tmp.
        os.chown(directory, record.pw_uid, record.pw_gid)
    initialised = _run(
        [str(bin_directory / "initdb"), "-D", str(data), "-U", SUPERUSER, "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"],
        owner,
    )
    if initialised.returncode != 0:
        raise ClusterUnavailable(f"initdb failed: {initialised.stderr.strip() or initialised.stdout.strip()}")
    port = free_port()
    started = _run(
        [
            str(bin_directory / "pg_ctl"), "-D", str(data), "-l", str(directory / "server.log"), "-w",
            "-t", str(START_TIMEOUT_SECONDS), "-o", f"-p {port} -k {directory} {SERVER_OPTIONS}", "start",
        ],
        owner,
    )  # fmt: skip
    if started.returncode != 0:
        log = (directory / "server.log").read_text(errors="replace")[-2000:] if (directory / "server.log").exists() else ""
        raise ClusterUnavailable(f"pg_ctl start failed: {started.stderr.strip()} {log}".strip())
    (directory / "port").write_text(str(port))
    return Cluster(directory, port, bin_directory)


def stop(directory: Path) -> None:
    """Stop the cluster under ``directory`` (fast shutdown); a missing one is not an error."""
    data = directory / "data"
    if not (data / "postmaster.pid").exists():
        return
    _run([str(find_bin_directory() / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"], _owner())


def wait_until_accepting(url: str, timeout_seconds: float = 30.0) -> None:
    """Block until ``url`` accepts a connection (psycopg needed)."""
    import psycopg

    deadline = time.monotonic() + timeout_seconds
    while True:
        try:
            psycopg.connect(url, connect_timeout=2).close()
            return
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def main(argv: list[str]) -> int:
    if len(argv) != 3 or argv[1] not in {"start", "stop"}:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    directory = Path(argv[2]).absolute()
    try:
        if argv[1] == "start":
            print(start(directory).url)
        else:
            stop(directory)
    except ClusterUnavailable as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
