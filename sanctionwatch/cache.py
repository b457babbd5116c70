"""A per-user disk cache for indexes built from the package's own data, so that a process loads
them instead of building them (the gazetteer: 0.8 s to build, 0.2 to 0.4 s to load; the bundled
sanctions list's index: 0.85 s to parse and build, a few milliseconds to load).

An entry is a pickle named ``{name}-{key}.pickle``; the key is a SHA-256 of everything the built
object depends on: the cache's format, sanctionwatch's version, the Python version, the bytes of
the data it was built from, the source of the modules that build it, and the identity (version,
or else size and modification time of the installed file) of the libraries they call. Change any
of these and the key changes, so a stale entry is never read; it is deleted when the new one is
written.

Only data shipped inside the package is cached, never anything a user loads (a sanctions list
passed to ``lists load`` is indexed in memory each time). The folder is
``$SANCTIONWATCH_CACHE_DIR``, else ``$XDG_CACHE_HOME/sanctionwatch``, else
``~/.cache/sanctionwatch``; ``SANCTIONWATCH_CACHE_DIR=off`` (or empty) turns the cache off. The
folder is made readable by its owner only, and one that another user could write to is not
used: unpickling a file runs code, so only the user's own files are read.

The cache can only make a process faster, never make it fail: a folder that cannot be made or
written, a truncated or corrupt entry, one of another type, all fall back to building in memory
(and a bad entry is replaced). Deleting the folder loses nothing.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import os
import pickle
import stat
import sys
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from types import ModuleType
from typing import TypeVar

from sanctionwatch import __version__

FORMAT = 1
ENVIRONMENT_VARIABLE = "SANCTIONWATCH_CACHE_DIR"
OFF_VALUES = frozenset({"", "0", "off", "false", "no", "none"})

T = TypeVar("T")


def cache_directory() -> Path | None:
    """The cache folder this process would use, or None where the cache is off."""
    configured = os.environ.get(ENVIRONMENT_VARIABLE)
    if configured is not None:
        if configured.strip().lower() in OFF_VALUES:
            return None
        return Path(configured).expanduser()
    base = os.environ.get("XDG_CACHE_HOME")
    if base and Path(base).is_absolute():
        return Path(base) / "sanctionwatch"
    try:
        return Path.home() / ".cache" / "sanctionwatch"
    except (RuntimeError, KeyError):  # no home directory to be found
        return None


def _usable_directory() -> Path | None:
    directory = cache_directory()
    if directory is None:
        return None
    try:
        directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        status = directory.stat()
    except OSError:
        return None
    if not stat.S_ISDIR(status.st_mode) or status.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return None
    if hasattr(os, "getuid") and status.st_uid != os.getuid():
        return None
    return directory


def module_identity(module: ModuleType) -> bytes:
    """What tells one installed release of a library from another, cheaply: its ``__version__``
    where it has one, else the size and modification time of its ``__init__`` file (reading the
    installed distributions' metadata would cost more than the cache saves)."""
    version = getattr(module, "__version__", None)
    if isinstance(version, str):
        return f"{module.__name__}={version}".encode()
    try:
        status = os.stat(module.__file__ or "")
    except OSError:
        return f"{module.__name__}=?".encode()
    return f"{module.__name__}@{module.__file__}:{status.st_size}:{status.st_mtime_ns}".encode()


def module_source(module: ModuleType) -> bytes:
    """The source of one of sanctionwatch's own modules (empty where it cannot be read)."""
    try:
        return Path(module.__file__ or "").read_bytes()
    except OSError:
        return b""


def cache_key(parts: Iterable[bytes]) -> str:
    digest = hashlib.sha256()
    for part in (f"format {FORMAT}".encode(), f"sanctionwatch {__version__}".encode(), sys.version.encode(), *parts):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()[:32]


def _load(path: Path, kind: type[T]) -> T | None:
    enabled = gc.isenabled()
    gc.disable()  # the loaded object is tens of thousands of small containers: no cycles to find
    try:
        with open(path, "rb") as handle:
            loaded = pickle.load(handle)
    except Exception:  # missing, truncated, corrupt, from a class that changed shape: rebuild
        return None
    finally:
        if enabled:
            gc.enable()
    return loaded if isinstance(loaded, kind) else None


def _store(directory: Path, name: str, path: Path, value: object) -> None:
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{name}-", suffix=".tmp", dir=directory)
    except OSError:
        return
    try:
        with os.fdopen(handle, "wb") as stream:
            pickle.dump(value, stream, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)  # atomic: another process reads the old entry or the new one
    except Exception:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        return
    for stale in directory.glob(f"{name}-*.pickle"):
        if stale != path:
            with contextlib.suppress(OSError):
                stale.unlink()


def cached(name: str, parts: Iterable[bytes], build: Callable[[], T], kind: type[T]) -> T:
    """The object ``build()`` returns, loaded from the cache where an entry with the same
    ``parts`` (everything the object depends on, as bytes) was stored, else built and stored."""
    directory = _usable_directory()
    if directory is None:
        return build()
    path = directory / f"{name}-{cache_key(parts)}.pickle"
    loaded = _load(path, kind)
    if loaded is not None:
        return loaded
    value = build()
    _store(directory, name, path, value)
    return value
