"""Replace a user file all at once, so a crash or a full disk never leaves half a config behind."""

from __future__ import annotations

import contextlib
import glob
import os
import stat
import tempfile
import time
from pathlib import Path

from termreader.errors import FileWriteError

_DEFAULT_MODE = 0o666
# A temp file older than this was left by a writer that died (SIGKILL, power loss) between mkstemp and
# os.replace; a live writer finishes in well under a second, so an hour leaves a wide margin.
STALE_TEMP_AGE_S = 3600.0


def _current_umask() -> int:
    # os.umask can only be read by setting it; set it straight back.
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write `data` to a temp file beside `path`, fsync it, then `os.replace` it over `path`.

    The file's mode is kept (a new file gets the usual 0666 & ~umask). A symlinked path (dotfile managers
    link config files) is written through to its target, so the link survives. On any OS error the
    original is untouched and a FileWriteError says why.
    """
    payload = data.encode("utf-8") if isinstance(data, str) else data
    target = path.resolve() if path.is_symlink() else path
    try:
        mode = stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        mode = _DEFAULT_MODE & ~_current_umask()
    except OSError as error:
        raise FileWriteError(path, error.strerror or str(error)) from error
    tmp_name: str | None = None
    try:
        fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=_temp_prefix(target), suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp_name, mode)
        os.replace(tmp_name, target)
        tmp_name = None
    except OSError as error:
        raise FileWriteError(path, error.strerror or str(error)) from error
    finally:
        if tmp_name is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)
    _fsync_dir(target.parent)
    remove_stale_temps(target)


def _temp_prefix(target: Path) -> str:
    return f".{target.name}."


def remove_stale_temps(target: Path, max_age_s: float = STALE_TEMP_AGE_S) -> list[Path]:
    """Delete temp files a killed writer left beside `target`; returns what was removed.

    Only our own pattern (`.NAME.*.tmp`) and only files older than `max_age_s`, so a concurrent
    writer's temp file is never touched. Failures pass: this is tidying, never a reason to fail a save.
    """
    removed: list[Path] = []
    cutoff = time.time() - max_age_s
    try:
        candidates = list(target.parent.glob(f"{glob.escape(_temp_prefix(target))}*.tmp"))
    except OSError:
        return removed
    for candidate in candidates:
        try:
            if candidate.is_file() and not candidate.is_symlink() and candidate.stat().st_mtime < cutoff:
                candidate.unlink()
                removed.append(candidate)
        except OSError:
            continue
    return removed


def _fsync_dir(folder: Path) -> None:
    """Make the rename itself durable; not every platform or file system allows it, so failures pass."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)
