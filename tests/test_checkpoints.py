"""Atomic checkpoint saving and safe loading: the happy path and every failure."""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path
from typing import Any

import pytest
import torch

from tutorial_helpers import checkpoints
from tutorial_helpers.checkpoints import (
    CheckpointError,
    CheckpointNotFoundError,
    CorruptCheckpointError,
    TruncatedCheckpointError,
    UntrustedCheckpointError,
    load_checkpoint,
    save_checkpoint,
)


def state() -> dict[str, Any]:
    return {"model": {"w": torch.arange(4.0), "b": torch.zeros(1)}, "step": 7, "name": "run"}


def tensor_bytes() -> bytes:
    buffer = io.BytesIO()
    torch.save(state(), buffer)
    return buffer.getvalue()


def files_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def assert_same_state(loaded: dict[str, Any], expected: dict[str, Any]) -> None:
    assert loaded.keys() == expected.keys()
    for key in expected["model"]:
        assert torch.equal(loaded["model"][key], expected["model"][key])
    assert (loaded["step"], loaded["name"]) == (expected["step"], expected["name"])


class Unsaveable:
    """Fails while torch.save is pickling it: a crash in the middle of a save."""

    def __reduce__(self) -> tuple[Any, ...]:
        raise RuntimeError("simulated crash while saving")


# -- saving ---------------------------------------------------------------------------


def test_round_trip_leaves_only_the_checkpoint(tmp_path: Path) -> None:
    path = tmp_path / "ckpt.pt"
    save_checkpoint(state(), path)
    assert files_in(tmp_path) == ["ckpt.pt"]
    assert_same_state(load_checkpoint(path), state())
    # A plain torch.load reads it too: it is an ordinary torch.save file.
    assert_same_state(torch.load(path, weights_only=True), state())


def test_accepts_a_string_path_and_overwrites(tmp_path: Path) -> None:
    target = str(tmp_path / "ckpt.pt")
    save_checkpoint({"step": 1}, target)
    save_checkpoint({"step": 2}, target)
    assert load_checkpoint(target) == {"step": 2}
    assert files_in(tmp_path) == ["ckpt.pt"]


def test_permissions_follow_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        path = tmp_path / "ckpt.pt"
        save_checkpoint({"step": 1}, path)
    finally:
        os.umask(old)
    assert path.stat().st_mode & 0o777 == 0o644


def test_a_crash_mid_save_keeps_the_old_checkpoint(tmp_path: Path) -> None:
    path = tmp_path / "ckpt.pt"
    save_checkpoint(state(), path)
    before = path.read_bytes()
    with pytest.raises(RuntimeError, match="simulated crash while saving"):
        save_checkpoint({"model": state()["model"], "bad": Unsaveable()}, path)
    assert path.read_bytes() == before
    assert files_in(tmp_path) == ["ckpt.pt"], "the temporary file was left behind"
    assert_same_state(load_checkpoint(path), state())


def test_plain_torch_save_destroys_the_old_file_on_a_crash(tmp_path: Path) -> None:
    """Why the helper exists: the same crash with torch.save ruins the checkpoint."""
    path = tmp_path / "ckpt.pt"
    torch.save(state(), path)
    with pytest.raises(RuntimeError, match="simulated crash"):
        torch.save({"model": state()["model"], "bad": Unsaveable()}, path)
    with pytest.raises(CorruptCheckpointError, match=r"torch\.save failed while writing it"):
        load_checkpoint(path)


def test_a_failure_after_partial_bytes_keeps_the_old_checkpoint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "ckpt.pt"
    save_checkpoint(state(), path)
    before = path.read_bytes()
    written: list[str] = []
    partial = tensor_bytes()[:100]

    def half_a_save(obj: object, stream: Any) -> None:
        stream.write(partial)
        written.extend(files_in(tmp_path))
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(torch, "save", half_a_save)
    with pytest.raises(OSError, match="No space left"):
        save_checkpoint(state(), path)
    # While it wrote, the new bytes went to a temporary file beside the checkpoint.
    assert len(written) == 2, written
    assert written[0].startswith(".ckpt.pt.")
    assert written[0].endswith(".tmp")
    assert written[1] == "ckpt.pt"
    assert path.read_bytes() == before
    assert files_in(tmp_path) == ["ckpt.pt"]


@pytest.mark.parametrize("interruption", [KeyboardInterrupt, OSError])
def test_a_failed_rename_removes_the_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, interruption: type[BaseException]
) -> None:
    path = tmp_path / "ckpt.pt"
    save_checkpoint(state(), path)
    before = path.read_bytes()

    def fail(*args: object) -> None:
        raise interruption()

    monkeypatch.setattr(checkpoints.os, "replace", fail)
    with pytest.raises(interruption):
        save_checkpoint({"step": 99}, path)
    assert path.read_bytes() == before
    assert files_in(tmp_path) == ["ckpt.pt"]


def test_data_is_synced_before_the_rename(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    events: list[str] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(descriptor: int) -> None:
        events.append("fsync")
        real_fsync(descriptor)

    def replace(source: Any, target: Any) -> None:
        events.append("replace")
        real_replace(source, target)

    monkeypatch.setattr(checkpoints.os, "fsync", fsync)
    monkeypatch.setattr(checkpoints.os, "replace", replace)
    save_checkpoint(state(), tmp_path / "ckpt.pt")
    assert events[:2] == ["fsync", "replace"]


def test_saving_into_a_missing_directory(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match=r"does not exist\. Create it first"):
        save_checkpoint(state(), tmp_path / "runs" / "ckpt.pt")


def test_saving_to_a_directory(tmp_path: Path) -> None:
    with pytest.raises(IsADirectoryError, match=r"it is a directory\. Pass a file path"):
        save_checkpoint(state(), tmp_path)


# -- loading: what goes wrong -----------------------------------------------------------


def test_missing_file_lists_what_is_there(tmp_path: Path) -> None:
    save_checkpoint({"step": 1}, tmp_path / "epoch_1.pt")
    with pytest.raises(CheckpointNotFoundError) as excinfo:
        load_checkpoint(tmp_path / "epoch_2.pt")
    message = str(excinfo.value)
    assert "No checkpoint at" in message
    assert "epoch_2.pt" in message
    assert f"checkpoints in {str(tmp_path)!r}: epoch_1.pt" in message
    assert "save one first with save_checkpoint()" in message
    assert isinstance(excinfo.value, FileNotFoundError)
    assert isinstance(excinfo.value, CheckpointError)


def test_missing_directory(tmp_path: Path) -> None:
    with pytest.raises(CheckpointNotFoundError, match="does not exist"):
        load_checkpoint(tmp_path / "nowhere" / "ckpt.pt")


def test_loading_a_directory(tmp_path: Path) -> None:
    with pytest.raises(CheckpointNotFoundError, match="it is a directory"):
        load_checkpoint(tmp_path)


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "ckpt.pt"
    path.write_bytes(b"")
    with pytest.raises(TruncatedCheckpointError, match=r"is empty \(0 bytes\)"):
        load_checkpoint(path)


@pytest.mark.parametrize("keep", [0.01, 0.5, 0.99])
def test_truncated_file(tmp_path: Path, keep: float) -> None:
    data = tensor_bytes()
    path = tmp_path / "ckpt.pt"
    path.write_bytes(data[: max(2, int(len(data) * keep))])
    with pytest.raises(TruncatedCheckpointError) as excinfo:
        load_checkpoint(path)
    message = str(excinfo.value)
    assert "is truncated" in message
    assert "ends early" in message
    assert "Save or copy it again" in message
    assert isinstance(excinfo.value, CorruptCheckpointError)


@pytest.mark.parametrize(
    "garbage", [b"this is not a checkpoint\n" * 10, b"<html>404 Not Found</html>", b"\x00" * 64]
)
def test_garbage_bytes(tmp_path: Path, garbage: bytes) -> None:
    path = tmp_path / "ckpt.pt"
    path.write_bytes(garbage)
    with pytest.raises(CorruptCheckpointError) as excinfo:
        load_checkpoint(path)
    assert not isinstance(excinfo.value, TruncatedCheckpointError)
    message = str(excinfo.value)
    assert "is not a PyTorch checkpoint: torch.save writes a zip archive" in message
    assert repr(garbage[:4]) in message


def test_a_zip_that_is_not_a_checkpoint(tmp_path: Path) -> None:
    path = tmp_path / "ckpt.pt"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("notes.txt", "hello")
    with pytest.raises(CorruptCheckpointError, match=r"without the data\.pkl member"):
        load_checkpoint(path)


def test_a_changed_byte_is_caught_by_the_checksum(tmp_path: Path) -> None:
    data = bytearray(tensor_bytes())
    # The raw float32 bytes of torch.arange(4.0) are stored uncompressed in the archive.
    start = data.find(torch.arange(4.0).numpy().tobytes())
    assert start > 0
    data[start + 6] ^= 0xFF
    path = tmp_path / "ckpt.pt"
    path.write_bytes(bytes(data))
    # Plain torch.load would return the wrong numbers without a word:
    assert not torch.equal(torch.load(path, weights_only=True)["model"]["w"], torch.arange(4.0))
    with pytest.raises(CorruptCheckpointError, match=r"member '.*data/\d+' do not match"):
        load_checkpoint(path)


def test_a_whole_module_is_untrusted_until_allowlisted(tmp_path: Path) -> None:
    path = tmp_path / "model.pt"
    save_checkpoint(torch.nn.Linear(2, 1), path)
    with pytest.raises(UntrustedCheckpointError) as excinfo:
        load_checkpoint(path)
    message = str(excinfo.value)
    assert "refuses: torch.nn.modules.linear.Linear." in message
    assert "save state_dict() values instead of objects" in message
    assert "pass safe_globals=[Linear]" in message
    assert "Never load an untrusted file with weights_only=False" in message
    assert isinstance(excinfo.value, ValueError)
    model = load_checkpoint(path, safe_globals=[torch.nn.Linear])
    assert isinstance(model, torch.nn.Linear)
    # The allowlist was for that one call only.
    with pytest.raises(UntrustedCheckpointError):
        load_checkpoint(path)


calls: list[str] = []


def record_call(note: str) -> str:
    calls.append(note)
    return note


class Payload:
    """Unpickling this calls record_call: what a malicious file would do with os.system."""

    def __reduce__(self) -> tuple[Any, ...]:
        return (record_call, ("payload ran",))


def test_a_pickled_payload_is_refused_and_never_runs(tmp_path: Path) -> None:
    calls.clear()
    path = tmp_path / "ckpt.pt"
    save_checkpoint({"w": torch.ones(1), "extra": Payload()}, path)
    with pytest.raises(UntrustedCheckpointError, match=r"refuses: .*record_call\."):
        load_checkpoint(path)
    assert calls == []
    # What weights_only=False would have done:
    torch.load(path, weights_only=False)
    assert calls == ["payload ran"]


def test_legacy_format_still_loads(tmp_path: Path) -> None:
    path = tmp_path / "old.pt"
    torch.save(state(), path, _use_new_zipfile_serialization=False)
    assert_same_state(load_checkpoint(path), state())
    path.write_bytes(path.read_bytes()[:40])
    with pytest.raises(CorruptCheckpointError):
        load_checkpoint(path)


def test_pickle_garbage_in_legacy_format_is_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "old.pt"
    path.write_bytes(b"\x80\x02" + b"\xff" * 30)
    with pytest.raises(CorruptCheckpointError, match="could not be"):
        load_checkpoint(path)


# -- loading: where the tensors go ------------------------------------------------------


@pytest.mark.parametrize("where", ["cpu", torch.device("cpu")])
def test_map_location(tmp_path: Path, where: str | torch.device) -> None:
    path = tmp_path / "ckpt.pt"
    save_checkpoint(state(), path)
    loaded = load_checkpoint(path, map_location=where)
    assert loaded["model"]["w"].device == torch.device("cpu")


def saved_as_if_on_a_gpu(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Write a file whose storages are tagged cuda:0, as torch.save does on a GPU."""
    with monkeypatch.context() as patch:
        patch.setattr(torch.serialization, "location_tag", lambda storage: "cuda:0")
        save_checkpoint(state(), path)


def test_a_gpu_file_loads_on_the_cpu_with_map_location(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "gpu.pt"
    saved_as_if_on_a_gpu(path, monkeypatch)
    assert_same_state(load_checkpoint(path, map_location="cpu"), state())


@pytest.mark.skipif(torch.cuda.is_available(), reason="needs a machine without CUDA")
def test_a_gpu_file_without_map_location_keeps_torchs_device_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "gpu.pt"
    saved_as_if_on_a_gpu(path, monkeypatch)
    with pytest.raises(RuntimeError, match=r"map_location=torch.device\('cpu'\)") as excinfo:
        load_checkpoint(path)
    assert not isinstance(excinfo.value, CheckpointError), "a device problem is not a bad file"
