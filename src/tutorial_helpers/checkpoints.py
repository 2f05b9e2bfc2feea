"""Save checkpoints atomically and load them safely, with errors that say what to do.

:func:`save_checkpoint` never leaves a half-written file where a checkpoint was:
it writes to a temporary file in the same directory, flushes it to disk and only
then renames it over the old checkpoint (``os.replace`` is atomic). If the
save fails part-way, the previous checkpoint is still there, unchanged.

:func:`load_checkpoint` loads with ``weights_only=True``, so a file can rebuild
tensors, numbers, strings and containers but cannot run code. Before unpickling
anything it checks that the file is a complete, undamaged zip archive (the format
:func:`torch.save` writes), so each way a file can be bad gets its own error:

=================================  ===============================================
:class:`CheckpointNotFoundError`   no file at the path
:class:`TruncatedCheckpointError`  the file is empty or ends early (an interrupted save
                                   or copy)
:class:`CorruptCheckpointError`    not a checkpoint (garbage bytes) or damaged bytes
:class:`UntrustedCheckpointError`  it holds pickled objects that are not allowlisted
=================================  ===============================================

All four derive from :class:`CheckpointError`.
"""

from __future__ import annotations

import os
import pickle
import re
import secrets
import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeAlias

import torch

__all__ = [
    "CheckpointError",
    "CheckpointNotFoundError",
    "CorruptCheckpointError",
    "TruncatedCheckpointError",
    "UntrustedCheckpointError",
    "load_checkpoint",
    "save_checkpoint",
]

#: What :func:`load_checkpoint` accepts as ``safe_globals``: classes or functions,
#: or ``(object, "module.name")`` pairs, as for :class:`torch.serialization.safe_globals`.
SafeGlobal: TypeAlias = Callable[..., Any] | tuple[Callable[..., Any], str]

# Every zip archive starts with a local file header; a legacy (pre-1.6) torch.save
# file starts with a pickle protocol opcode instead.
_ZIP_MAGIC = b"PK\x03\x04"
_PICKLE_PROTO = b"\x80"
_GLOBAL_IN_MESSAGE = re.compile(r"GLOBAL (\S+) was not an allowed global")


class CheckpointError(Exception):
    """Base class of every error raised by :func:`load_checkpoint` for a bad file."""


class CheckpointNotFoundError(CheckpointError, FileNotFoundError):
    """There is no file at the checkpoint's path."""


class CorruptCheckpointError(CheckpointError, ValueError):
    """The file is not a checkpoint written by :func:`torch.save`, or its bytes are damaged."""


class TruncatedCheckpointError(CorruptCheckpointError):
    """The file is empty or ends early: a save or a copy was interrupted."""


class UntrustedCheckpointError(CheckpointError, ValueError):
    """The file holds pickled objects that ``weights_only=True`` loading refuses."""


def save_checkpoint(obj: object, path: str | os.PathLike[str]) -> None:
    """Save ``obj`` with :func:`torch.save`, replacing ``path`` atomically.

    The object is written to a temporary file in the same directory, flushed and
    synced to disk, then renamed over ``path``. Readers see either the old file or
    the complete new one, never a partial file, even if the process crashes
    mid-save.

    Parameters
    ----------
    obj : object
        What to save; for a checkpoint, a dict of state dicts and plain values
        such as ``{"model": model.state_dict(), "optimizer":
        optimizer.state_dict(), "step": 100}``, which :func:`load_checkpoint`
        can load without allowlisting anything.
    path : str or ``os.PathLike``
        The checkpoint file. Its directory must exist.

    Raises
    ------
    FileNotFoundError
        If the directory of ``path`` does not exist.
    IsADirectoryError
        If ``path`` is a directory.
    Exception
        Whatever :func:`torch.save` raises for an object it cannot save; the
        temporary file is removed and the old checkpoint, if any, is unchanged.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> import torch
    >>> from tutorial_helpers.checkpoints import load_checkpoint, save_checkpoint
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = Path(folder) / "ckpt.pt"
    ...     save_checkpoint({"w": torch.ones(2), "step": 3}, path)
    ...     names = sorted(p.name for p in Path(folder).iterdir())
    ...     loaded = load_checkpoint(path)
    >>> names
    ['ckpt.pt']
    >>> loaded
    {'w': tensor([1., 1.]), 'step': 3}
    """
    target = Path(path)
    if target.is_dir():
        raise IsADirectoryError(
            f"Cannot save a checkpoint to {str(target)!r}: it is a directory. "
            f"Pass a file path inside it, e.g. {str(target / 'checkpoint.pt')!r}."
        )
    folder = target.parent
    if not folder.is_dir():
        raise FileNotFoundError(
            f"Cannot save a checkpoint to {str(target)!r}: the directory {str(folder)!r} "
            f"does not exist. Create it first, e.g. Path({str(folder)!r}).mkdir(parents=True)."
        )
    # Same directory, so os.replace is a rename within one file system (atomic).
    # O_EXCL never reuses a file; mode 0o666 lets the umask decide permissions,
    # as for a file torch.save would create itself.
    temporary = folder / f".{target.name}.{secrets.token_hex(8)}.tmp"
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(descriptor, "wb") as stream:
            torch.save(obj, stream)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    _sync_directory(folder)


def _sync_directory(folder: Path) -> None:
    """Make the rename durable: sync the directory entry where the OS allows it."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:  # Windows cannot open a directory; its rename is durable enough
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def _check_archive(path: Path) -> None:
    """Raise the matching error if ``path`` is not a complete, undamaged checkpoint file."""
    size = path.stat().st_size
    with path.open("rb") as stream:
        head = stream.read(len(_ZIP_MAGIC))
    shown = repr(str(path))
    if size == 0:
        raise TruncatedCheckpointError(
            f"Checkpoint {shown} is empty (0 bytes): the save that wrote it was interrupted. "
            "Save it again, or load an earlier checkpoint; save_checkpoint() writes atomically "
            "so an interrupted save cannot leave an empty file."
        )
    if head.startswith(_PICKLE_PROTO):
        return  # the legacy (pre-zip) format: torch.load itself checks it
    if not zipfile.is_zipfile(path):
        if _ZIP_MAGIC.startswith(head) or head.startswith(_ZIP_MAGIC):
            raise TruncatedCheckpointError(
                f"Checkpoint {shown} is truncated: it starts like a torch.save file but ends "
                f"early ({size} bytes, the end of its zip archive is missing). The save or copy "
                "that wrote it was interrupted. Save or copy it again; save_checkpoint() writes "
                "atomically so an interrupted save cannot leave a partial file."
            )
        raise CorruptCheckpointError(
            f"{shown} is not a PyTorch checkpoint: torch.save writes a zip archive, and this "
            f"file starts with the bytes {head!r}. Check that the path names the checkpoint "
            "file (not a log, a text file or a download error page)."
        )
    with zipfile.ZipFile(path) as archive:
        if not any(name.endswith("/data.pkl") for name in archive.namelist()):
            raise CorruptCheckpointError(
                f"{shown} is a zip archive without the data.pkl member every torch.save file "
                "has: either torch.save failed while writing it (save it again; "
                "save_checkpoint() keeps the previous file when a save fails), or it is not a "
                "PyTorch checkpoint (check the path)."
            )
        damaged = archive.testzip()  # compares every member with its CRC-32 checksum
    if damaged is not None:
        raise CorruptCheckpointError(
            f"Checkpoint {shown} is corrupt: the bytes of its member {damaged!r} do not match "
            "their checksum, so the file changed after it was saved (a bad disk or transfer). "
            "Copy it again from its source, or load an earlier checkpoint."
        )


def load_checkpoint(
    path: str | os.PathLike[str],
    *,
    map_location: str | torch.device | None = None,
    safe_globals: Sequence[SafeGlobal] = (),
) -> Any:
    """Load a checkpoint with ``weights_only=True``, after checking the file is intact.

    Parameters
    ----------
    path : str or ``os.PathLike``
        A file written by :func:`save_checkpoint` or :func:`torch.save`.
    map_location : str or torch.device, optional
        Where to put the loaded tensors, e.g. ``"cpu"`` for a file saved on a
        GPU, or the device from :func:`tutorial_helpers.devices.choose_device`.
        By default tensors go back to the device they were saved from.
    safe_globals : list or tuple, optional
        Classes or functions you trust, allowed in the file in addition to
        PyTorch's defaults (see :class:`torch.serialization.safe_globals`). Only
        list what you would be willing to run: unpickling calls them.

    Returns
    -------
    object
        What was saved, usually a dict.

    Raises
    ------
    CheckpointNotFoundError
        If there is no file at ``path``.
    TruncatedCheckpointError
        If the file is empty or ends early.
    CorruptCheckpointError
        If the file is not a zip archive written by :func:`torch.save`, or its
        bytes no longer match their checksums.
    UntrustedCheckpointError
        If the file contains pickled objects that are not allowlisted, such as a
        whole :class:`torch.nn.Module`; the message names the object and the fix.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> import torch
    >>> from tutorial_helpers.checkpoints import load_checkpoint, save_checkpoint
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     save_checkpoint({"w": torch.zeros(2)}, Path(folder) / "ckpt.pt")
    ...     loaded = load_checkpoint(Path(folder) / "ckpt.pt", map_location="cpu")
    >>> loaded["w"].device
    device(type='cpu')
    >>> load_checkpoint("no_such_folder/ckpt.pt")
    Traceback (most recent call last):
        ...
    tutorial_helpers.checkpoints.CheckpointNotFoundError: No checkpoint at
    'no_such_folder/ckpt.pt' (the directory 'no_such_folder' does not exist)...

    A whole module is a pickled object, not just tensors, so it is refused:

    >>> with tempfile.TemporaryDirectory() as folder:
    ...     save_checkpoint(torch.nn.Linear(2, 1), Path(folder) / "model.pt")
    ...     load_checkpoint(Path(folder) / "model.pt")
    Traceback (most recent call last):
        ...
    tutorial_helpers.checkpoints.UntrustedCheckpointError: Checkpoint '...model.pt' contains
    pickled Python objects that weights_only loading refuses: torch.nn.modules.linear.Linear...
    """
    source = Path(path)
    if not source.exists():
        where = source.parent if str(source.parent) else Path(".")
        hint = (
            f"the directory {str(where)!r} does not exist"
            if not where.is_dir()
            else f"checkpoints in {str(where)!r}: "
            + (", ".join(sorted(p.name for p in where.glob("*.pt"))[:5]) or "none")
        )
        raise CheckpointNotFoundError(
            f"No checkpoint at {str(source)!r} ({hint}). Check the path, or save one first "
            "with save_checkpoint()."
        )
    if source.is_dir():
        raise CheckpointNotFoundError(
            f"No checkpoint at {str(source)!r}: it is a directory. Pass the checkpoint file "
            "inside it."
        )
    _check_archive(source)
    try:
        with torch.serialization.safe_globals(list(safe_globals)):
            return torch.load(source, map_location=map_location, weights_only=True)
    except pickle.UnpicklingError as error:
        message = str(error)
        found = _GLOBAL_IN_MESSAGE.search(message)
        if found is None:
            raise CorruptCheckpointError(
                f"Checkpoint {str(source)!r} could not be unpickled ({message.splitlines()[-1]}). "
                "The file is damaged or was not written by torch.save: save or copy it again."
            ) from error
        name = found.group(1)
        raise UntrustedCheckpointError(
            f"Checkpoint {str(source)!r} contains pickled Python objects that weights_only "
            f"loading refuses: {name}. Unpickling an object runs code named by the file, so "
            "only tensors, numbers, strings and containers load by default. Fix: save "
            "state_dict() values instead of objects (e.g. model.state_dict(), not the model). "
            f"If you trust this file and {name}, pass safe_globals=[{name.rsplit('.', 1)[-1]}] "
            "to load_checkpoint. Never load an untrusted file with weights_only=False."
        ) from error
    except EOFError as error:  # a legacy-format file that ends early
        raise TruncatedCheckpointError(
            f"Checkpoint {str(source)!r} ends early: the save or copy that wrote it was "
            "interrupted. Save or copy it again."
        ) from error
    except RuntimeError as error:
        if "PytorchStreamReader" not in str(error):
            raise  # not about the file, e.g. a device error that already names its fix
        raise CorruptCheckpointError(
            f"Checkpoint {str(source)!r} could not be read ({str(error).split('. ')[0]}). "
            "Save or copy it again."
        ) from error
