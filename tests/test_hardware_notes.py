"""A sentence about GPUs or several machines says whether this build ran there.

``conf/_ext/hardware_notes.py`` renders ``:hardware:`nvidia``` as "Not run by this
build: needs an NVIDIA GPU." (or "..., which this build ran on."). These tests hold
the built site to it, show both wordings in a small real build, and keep the
decision of what this build ran on honest.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import torch
from bs4 import BeautifulSoup
from hardware_notes import CSS_CLASS, HARDWARE, hardware_of_this_build, note
from page_speed import site_pages
from scratch_site import scratch_site, sphinx

#: Phrases that state what happens on particular hardware.
HARDWARE_CLAIM = re.compile(
    r"\b(on|from|to) (an? |the |your |one |each |every )?(NVIDIA |AMD |Apple |Intel )?GPUs?\b"
    r"|\bNCCL\b|\bcuDNN\b|\bcuBLAS\b|\bseveral machines\b"
)
#: Paragraphs that match HARDWARE_CLAIM but state nothing a build could run: the
#: page, and words of the paragraph.
NOT_CLAIMS = {
    # what the page teaches, in its introduction
    ("tutorials/02_numpy/plot_02_numpy_and_torch.html", "In this tutorial you will learn"),
    ("tutorials/03_devices/plot_03_data_parallel.html", "In this tutorial you will take"),
    ("tutorials/05_save_load/plot_01_saving_and_loading.html", "how map_location loads a file"),
    # naming: which device name means which hardware; how to choose the CPU
    ("tutorials/03_devices/plot_01_choosing_a_device.html", "to compare with the CPU on a GPU"),
    # the mistake is made and shown on the meta device, which every build has
    ("tutorials/03_devices/plot_01_choosing_a_device.html", "The usual cause is a batch"),
    ("tutorials/03_devices/plot_01_choosing_a_device.html", "when you mean “is this on a GPU?”"),
    # advice to compare with a tolerance; the page measures why, on this CPU
    ("tutorials/07_training/plot_05_reproducibility.html", "they do not end with the same"),
    # the code block after it carries the note: "only the launch differs"
    ("tutorials/03_devices/plot_03_data_parallel.html", "run the same command on each"),
    # its doctest box says whether it ran ("Not run by this build. ...")
    ("guides/errors.html", "This can only happen on a machine with a GPU"),
}


def prose_paragraphs(page: BeautifulSoup) -> list[str]:
    article = page.select_one("article.bd-article")
    assert article is not None
    return [
        p
        for p in article.find_all("p")
        if not p.find_parent(["pre", "table"]) and not p.find_parent(class_="tl-take-home")
    ]


def pages(built_site: Path) -> list[Path]:
    return [
        p
        for p in site_pages(built_site)
        if p.relative_to(built_site).parts[0] in {"tutorials", "guides"} and p.name != "index.html"
    ]


@pytest.mark.site
def test_every_sentence_about_hardware_carries_a_note(built_site: Path) -> None:
    missing, exempt_used = [], set()
    for path in pages(built_site):
        name = path.relative_to(built_site).as_posix()
        page = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        for paragraph in prose_paragraphs(page):
            text = " ".join(paragraph.get_text(" ").split())
            if not HARDWARE_CLAIM.search(text) or paragraph.select(f".{CSS_CLASS}"):
                continue
            exempt = {(p, words) for p, words in NOT_CLAIMS if p == name and words in text}
            if exempt:
                exempt_used |= exempt
            else:
                missing.append(f"{name}: {text[:150]}")
    assert not missing, "sentences about hardware without a :hardware: note:\n" + "\n".join(missing)
    assert exempt_used == NOT_CLAIMS, f"exemptions that match nothing: {NOT_CLAIMS - exempt_used}"


@pytest.mark.site
def test_the_notes_say_what_this_build_ran_on(built_site: Path) -> None:
    present = hardware_of_this_build()
    notes = []
    for path in site_pages(built_site):
        page = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        notes += page.select(f".{CSS_CLASS}")
    assert len(notes) >= 20
    wordings = {note(key, present).astext() for key in HARDWARE}
    assert {n.get_text() for n in notes} <= wordings
    if not present:  # a CPU build: every note says so
        assert all(n.get_text().startswith("Not run by this build: needs ") for n in notes)


def test_a_cpu_build_ran_on_no_special_hardware(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TUTORIAL_DEVICE", "cpu")
    assert hardware_of_this_build() == set()


def test_a_build_on_an_nvidia_gpu_ran_on_one(monkeypatch: pytest.MonkeyPatch) -> None:
    import tutorial_helpers.devices

    monkeypatch.setattr(tutorial_helpers.devices, "choose_device", lambda: torch.device("cuda"))
    monkeypatch.setattr(torch.version, "hip", None)
    monkeypatch.setattr(torch.accelerator, "device_count", lambda: 1)
    assert hardware_of_this_build() == {"gpu", "cuda", "nvidia"}
    monkeypatch.setattr(torch.version, "hip", "6.4")
    monkeypatch.setattr(torch.accelerator, "device_count", lambda: 4)
    assert hardware_of_this_build() == {"gpu", "cuda", "rocm", "multi-gpu"}


def test_the_two_wordings() -> None:
    assert note("mps", set()).astext() == "Not run by this build: needs an Apple GPU (MPS)."
    assert (
        note("mps", {"gpu", "mps"}).astext() == "Needs an Apple GPU (MPS), which this build ran on."
    )
    assert note("multi-machine", set(HARDWARE)).astext().startswith("Needs several machines")


PAGE = "# Hardware\n\nOn NVIDIA GPUs this is fast. {hardware}`nvidia`\n"


@pytest.mark.slow
@pytest.mark.parametrize(
    ("override", "wording"),
    [
        ((), "Not run by this build: needs an NVIDIA GPU."),
        (("-D", "torchlight_build_hardware=gpu,cuda,nvidia"), "Needs an NVIDIA GPU, which"),
    ],
)
def test_a_real_build_writes_the_note(
    tmp_path: Path, override: tuple[str, ...], wording: str
) -> None:
    docs = scratch_site(tmp_path, index=PAGE + "\n```{toctree}\n:hidden:\n\ntutorials/index\n```\n")
    result = sphinx(docs, "html", "-D", "plot_gallery=0", *override)
    assert result.returncode == 0, result.stderr
    page = BeautifulSoup((docs.parent / "build/html/index.html").read_text(), "html.parser")
    (found,) = page.select(f"span.{CSS_CLASS}")
    assert found.get_text().startswith(wording)


@pytest.mark.slow
def test_an_unknown_hardware_name_fails_the_build(tmp_path: Path) -> None:
    docs = scratch_site(tmp_path, index=PAGE.replace("`nvidia`", "`nvida`"))
    result = sphinx(docs, "html", "-D", "plot_gallery=0")
    assert result.returncode != 0
    assert "unknown hardware 'nvida'" in result.stderr
    assert "index.md" in result.stderr
