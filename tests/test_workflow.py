"""The GitHub workflow runs ``.ci/run`` on the machine it expects, and deploys only what it tested.

``.github/workflows/docs.yml`` cannot run here (no network but package registries), so
these checks read it, and ``.ci/run``, and fail when either drifts from the other. Each
check is also run on a deliberately broken copy of the workflow, so none passes by
finding nothing to check.
"""

from __future__ import annotations

import copy
import os
import re
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from site_paths import ROOT

CI_RUN = ROOT / ".ci" / "run"
WORKFLOW = ROOT / ".github" / "workflows" / "docs.yml"

#: The environment variables the workflow may give the tested build: where torch
#: comes from (the one allowed difference from the project's CI) and where the
#: site is hosted.
TORCH_INDEX_VARIABLES = {"PIP_EXTRA_INDEX_URL", "PIP_INDEX_URL"}
SITE_VARIABLES = {"TORCHLIGHT_BASE_URL", "TORCHLIGHT_REPOSITORY_URL"}
#: Actions that may run before ``.ci/run`` without changing the machine it runs on.
NEUTRAL_ACTIONS = {"actions/checkout", "actions/configure-pages"}
#: Status functions that let a step or job run although what it depends on failed.
RUNS_AFTER_FAILURE = re.compile(r"\b(always|failure|cancelled)\(\)")

#: An official Python image: python:3.11-bookworm, python:3.11.9-slim-bookworm, ...
PYTHON_IMAGE = re.compile(
    r"^(?:docker\.io/)?(?:library/)?python:(?P<python>\d+\.\d+)(?:\.\d+)?(?:-slim)?-(?P<debian>[a-z]+)$"
)


def expected_environment(ci_script: str) -> dict[str, str]:
    """The Debian codename and Python version ``.ci/run`` says it must run on."""
    found = dict(re.findall(r"^EXPECTED_(DEBIAN|PYTHON)=(\S+)\s*$", ci_script, re.MULTILINE))
    missing = {"DEBIAN", "PYTHON"} - found.keys()
    if missing:
        raise ValueError(f".ci/run does not state EXPECTED_{'/'.join(sorted(missing))}=...")
    return {"debian": found["DEBIAN"], "python": found["PYTHON"]}


def action_name(step: dict[str, Any]) -> str:
    """``actions/checkout`` for ``uses: actions/checkout@v7``; "" for a ``run`` step."""
    return str(step.get("uses", "")).split("@")[0]


def runs_ci_script(step: dict[str, Any]) -> bool:
    """Whether the step runs ``.ci/run`` and nothing else (no setup of its own)."""
    return str(step.get("run", "")).strip() in {"bash .ci/run", ".ci/run", "./.ci/run"}


def strings(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)
    elif isinstance(value, str):
        yield value


def needed_jobs(job: dict[str, Any]) -> list[str]:
    needs = job.get("needs", [])
    return [needs] if isinstance(needs, str) else list(needs)


def ci_jobs(workflow: dict[str, Any]) -> list[str]:
    """The jobs that run ``.ci/run``."""
    jobs = workflow.get("jobs") or {}
    return [name for name, job in jobs.items() if any(map(runs_ci_script, job.get("steps", [])))]


def ci_job_problems(workflow: dict[str, Any], expected: dict[str, str]) -> list[str]:
    """Why the job that runs ``.ci/run`` might not run exactly what CI runs here."""
    jobs = workflow.get("jobs") or {}
    testing = ci_jobs(workflow)
    if len(testing) != 1:
        return [f"exactly one job must run `bash .ci/run`; these do: {testing or 'none'}"]
    name = testing[0]
    job = jobs[name]
    problems = []

    container = job.get("container")
    image = container.get("image") if isinstance(container, dict) else container
    match = PYTHON_IMAGE.match(str(image or ""))
    if match is None:
        problems.append(
            f"job {name!r} must run in an official python:<version>-<debian> container "
            f"image, not {image!r}: otherwise neither Debian's release nor Python is known"
        )
    else:
        if match["debian"] != expected["debian"]:
            problems.append(
                f"container image {image!r} is Debian {match['debian']}, "
                f".ci/run expects {expected['debian']} (EXPECTED_DEBIAN)"
            )
        if match["python"] != expected["python"]:
            problems.append(
                f"container image {image!r} has Python {match['python']}, "
                f".ci/run expects {expected['python']} (EXPECTED_PYTHON)"
            )

    steps = job.get("steps", [])
    index = next(i for i, step in enumerate(steps) if runs_ci_script(step))
    ci_step = steps[index]
    for i, step in enumerate(steps[:index]):
        if "run" in step or action_name(step) not in NEUTRAL_ACTIONS:
            problems.append(
                f"step {i} of job {name!r} ({step.get('run') or step.get('uses')!r}) changes "
                "the machine before .ci/run: .ci/run alone must set it up"
            )
    for where, holder in [(f"job {name!r}", job), ("the .ci/run step", ci_step)]:
        if "if" in holder or holder.get("continue-on-error"):
            problems.append(f"{where} has `if`/`continue-on-error`: the tests could be skipped")

    env = {**(workflow.get("env") or {}), **(job.get("env") or {}), **(ci_step.get("env") or {})}
    extra = env.keys() - TORCH_INDEX_VARIABLES - SITE_VARIABLES
    if extra:
        problems.append(f"the tested build gets environment variables CI does not: {sorted(extra)}")
    if not env.keys() & TORCH_INDEX_VARIABLES:
        problems.append("the .ci/run step does not name the CPU torch index (PIP_EXTRA_INDEX_URL)")
    missing_site = SITE_VARIABLES - env.keys()
    if missing_site:
        problems.append(f"the tested build does not get {sorted(missing_site)}")
    torch_index = [s for s in strings(workflow) if "download.pytorch.org" in s]
    if len(torch_index) != 1:
        problems.append(f"the torch index must be written once, it is written {len(torch_index)}x")

    uploads = [
        i for i, step in enumerate(steps) if action_name(step).endswith("/upload-pages-artifact")
    ]
    if not uploads:
        problems.append(f"job {name!r} does not upload build/html for Pages")
    for i in uploads:
        upload = steps[i]
        if i < index:
            problems.append("build/html is uploaded before .ci/run tested it")
        if (upload.get("with") or {}).get("path", "").rstrip("/") != "build/html":
            problems.append(f"the Pages upload is not build/html: {upload.get('with')!r}")
        if RUNS_AFTER_FAILURE.search(str(upload.get("if", ""))):
            problems.append("the Pages upload runs even when .ci/run failed")
    return problems


def deploy_problems(workflow: dict[str, Any], tests_job: str) -> list[str]:
    """Why the Pages deploy might publish something the tests did not pass."""
    jobs = workflow.get("jobs") or {}
    deploying = {
        name: job
        for name, job in jobs.items()
        if any(action_name(step).endswith("/deploy-pages") for step in job.get("steps", []))
    }
    if not deploying:
        return ["no job deploys to GitHub Pages (actions/deploy-pages)"]
    problems = []
    for name, job in deploying.items():
        condition = str(job.get("if", ""))
        if tests_job not in needed_jobs(job):
            problems.append(f"deploy job {name!r} does not need {tests_job!r}: it can run untested")
        if RUNS_AFTER_FAILURE.search(condition):
            problems.append(f"deploy job {name!r} runs even when {tests_job!r} failed: {condition}")
        if "refs/heads/main" not in condition:
            problems.append(f"deploy job {name!r} is not limited to main (pull requests deploy)")
    for name, job in jobs.items():
        if name != tests_job and any(
            action_name(step).endswith("/upload-pages-artifact") for step in job.get("steps", [])
        ):
            problems.append(
                f"job {name!r} uploads a Pages artifact that {tests_job!r} did not test"
            )
    return problems


def load_workflow() -> dict[str, Any]:
    workflow: dict[str, Any] = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    return workflow


EXPECTED = expected_environment(CI_RUN.read_text(encoding="utf-8"))


def test_ci_run_states_its_machine() -> None:
    assert re.fullmatch(r"[a-z]+", EXPECTED["debian"]), EXPECTED
    assert re.fullmatch(r"3\.\d+", EXPECTED["python"]), EXPECTED
    with pytest.raises(ValueError, match="EXPECTED_PYTHON"):
        expected_environment("EXPECTED_DEBIAN=bookworm\n")


def test_workflow_runs_ci_run_on_its_machine() -> None:
    problems = ci_job_problems(load_workflow(), EXPECTED)
    assert not problems, "\n".join(problems)


def test_pages_deploy_needs_the_tests() -> None:
    workflow = load_workflow()
    assert ci_jobs(workflow) == ["tests"], "the job that runs .ci/run is not called 'tests'"
    problems = deploy_problems(workflow, "tests")
    assert not problems, "\n".join(problems)


def _ci_step(workflow: dict[str, Any]) -> dict[str, Any]:
    step: dict[str, Any] = next(s for s in workflow["jobs"]["tests"]["steps"] if runs_ci_script(s))
    return step


def _set(path: str, value: Any) -> Callable[[dict[str, Any]], None]:
    """An edit that sets a dotted path (``jobs.tests.container.image``) in a workflow."""

    def edit(workflow: dict[str, Any]) -> None:
        *parents, last = path.split(".")
        node = workflow
        for key in parents:
            node = node[int(key)] if isinstance(node, list) else node[key]
        node[last] = value

    return edit


def _run_tests_without_ci_run(workflow: dict[str, Any]) -> None:
    _ci_step(workflow)["run"] = "nox -s tests"


def _set_up_in_the_ci_step(workflow: dict[str, Any]) -> None:
    _ci_step(workflow)["run"] = "apt-get install -y nodejs && bash .ci/run"


def _set_up_node_first(workflow: dict[str, Any]) -> None:
    workflow["jobs"]["tests"]["steps"].insert(1, {"uses": "actions/setup-node@v6"})


def _skip_ci_run_sometimes(workflow: dict[str, Any]) -> None:
    _ci_step(workflow)["if"] = "github.event_name == 'push'"


def _add_env(workflow: dict[str, Any]) -> None:
    _ci_step(workflow)["env"]["CHROMIUM_PATH"] = "/snap/bin/chromium"


def _drop_site_urls(workflow: dict[str, Any]) -> None:
    del _ci_step(workflow)["env"]["TORCHLIGHT_BASE_URL"]


def _second_torch_index(workflow: dict[str, Any]) -> None:
    _ci_step(workflow)["env"]["PIP_INDEX_URL"] = "https://download.pytorch.org/whl/cpu"


def _upload_first(workflow: dict[str, Any]) -> None:
    steps = workflow["jobs"]["tests"]["steps"]
    steps.insert(0, steps.pop())


BROKEN_TEST_JOBS = [
    (_run_tests_without_ci_run, "exactly one job must run `bash .ci/run`"),
    (_set_up_in_the_ci_step, "exactly one job must run `bash .ci/run`"),
    (_set("jobs.tests.container", None), "official python:<version>-<debian> container"),
    (_set("jobs.tests.container.image", "python:3.12-bookworm"), "has Python 3.12"),
    (_set("jobs.tests.container.image", "python:3.11-trixie"), "is Debian trixie"),
    (_set("jobs.tests.container.image", "ubuntu:24.04"), "official python:"),
    (_set_up_node_first, "changes the machine before .ci/run"),
    (_skip_ci_run_sometimes, "the tests could be skipped"),
    (_set("jobs.tests.continue-on-error", True), "the tests could be skipped"),
    (_add_env, "environment variables CI does not: ['CHROMIUM_PATH']"),
    (_drop_site_urls, "does not get ['TORCHLIGHT_BASE_URL']"),
    (_second_torch_index, "written 2x"),
    (_upload_first, "uploaded before .ci/run tested it"),
    (_set("jobs.tests.steps.-1.if", "always()"), "runs even when .ci/run failed"),
]


@pytest.mark.parametrize(("break_it", "problem"), BROKEN_TEST_JOBS)
def test_job_checks_catch_a_broken_workflow(
    break_it: Callable[[dict[str, Any]], None], problem: str
) -> None:
    workflow = copy.deepcopy(load_workflow())
    break_it(workflow)
    problems = ci_job_problems(workflow, EXPECTED)
    assert any(problem in p for p in problems), problems


def _deploy_untested(workflow: dict[str, Any]) -> None:
    del workflow["jobs"]["deploy"]["needs"]


def _upload_elsewhere(workflow: dict[str, Any]) -> None:
    workflow["jobs"]["deploy"]["steps"].insert(
        0, {"uses": "actions/upload-pages-artifact@v5", "with": {"path": "build/html"}}
    )


BROKEN_DEPLOYS = [
    (_deploy_untested, "does not need 'tests'"),
    (_set("jobs.deploy.needs", ["lint"]), "does not need 'tests'"),
    (_set("jobs.deploy.if", "always() && github.ref == 'refs/heads/main'"), "runs even when"),
    (_set("jobs.deploy.if", "!cancelled() && github.ref == 'refs/heads/main'"), "runs even when"),
    (_set("jobs.deploy.if", "true"), "not limited to main"),
    (_set("jobs.deploy.steps", []), "no job deploys"),
    (_upload_elsewhere, "did not test"),
]


@pytest.mark.parametrize(("break_it", "problem"), BROKEN_DEPLOYS)
def test_deploy_checks_catch_a_broken_workflow(
    break_it: Callable[[dict[str, Any]], None], problem: str
) -> None:
    workflow = copy.deepcopy(load_workflow())
    break_it(workflow)
    problems = deploy_problems(workflow, "tests")
    assert any(problem in p for p in problems), problems


def _check_machine(tmp_path: Path, debian: str, python: str) -> subprocess.CompletedProcess[str]:
    """``.ci/run --check-environment`` on a pretend machine: its os-release and python3."""
    os_release = tmp_path / "os-release"
    os_release.write_text(f"ID=debian\nVERSION_CODENAME={debian}\n", encoding="utf-8")
    fake_python = tmp_path / "bin" / "python3"
    fake_python.parent.mkdir()
    fake_python.write_text(f"#!/bin/sh\necho {python}\n", encoding="utf-8")
    fake_python.chmod(0o755)
    env = {
        **os.environ,
        "OS_RELEASE_FILE": str(os_release),
        "PATH": f"{fake_python.parent}{os.pathsep}{os.environ['PATH']}",
    }
    return subprocess.run(
        ["bash", str(CI_RUN), "--check-environment"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )


def test_ci_run_accepts_the_machine_it_expects(tmp_path: Path) -> None:
    result = _check_machine(tmp_path, EXPECTED["debian"], EXPECTED["python"])
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("wrong", ["debian", "python"])
def test_ci_run_stops_on_another_machine(tmp_path: Path, wrong: str) -> None:
    machine = dict(EXPECTED)
    machine[wrong] = {"debian": "sid", "python": "3.99"}[wrong]
    result = _check_machine(tmp_path, machine["debian"], machine["python"])
    assert result.returncode == 1, result
    message = {
        "debian": f"expected Debian {EXPECTED['debian']} (EXPECTED_DEBIAN), "
        "found VERSION_CODENAME='sid'",
        "python": f"expected Python {EXPECTED['python']} (EXPECTED_PYTHON), found python3 '3.99'",
    }[wrong]
    assert message in result.stderr


# -- The compatibility run: weekly and on demand, never in the tests --------------------

COMPAT = re.compile(r"^nox -s compat(\s|$)")


def runs_compat(step: dict[str, Any]) -> bool:
    """Whether the step's command starts with ``nox -s compat``."""
    return bool(COMPAT.match(str(step.get("run", "")).strip()))


def triggers(workflow: dict[str, Any]) -> dict[str, Any]:
    """The workflow's ``on:`` (which YAML 1.1 reads as the key ``True``)."""
    on = workflow.get("on", workflow.get(True)) or {}
    return on if isinstance(on, dict) else {name: None for name in on}


def compat_job_problems(workflow: dict[str, Any], ci_script: str, noxfile: str) -> list[str]:
    """Why ``nox -s compat`` might not run on schedule, or might run inside the tests."""
    jobs = workflow.get("jobs") or {}
    running = {
        name: job
        for name, job in jobs.items()
        if any(runs_compat(step) for step in job.get("steps", []))
    }
    problems = []
    if len(running) != 1:
        return [f"exactly one job must run `nox -s compat`; these do: {sorted(running) or 'none'}"]
    ((name, job),) = running.items()
    on = triggers(workflow)
    if "schedule" not in on or not on.get("schedule"):
        problems.append("the workflow has no schedule: the compatibility run is weekly")
    if "workflow_dispatch" not in on:
        problems.append("the workflow cannot be run on demand (workflow_dispatch)")
    condition = str(job.get("if", ""))
    if "schedule" not in condition or "workflow_dispatch" not in condition:
        problems.append(
            f"job {name!r} must run on schedule and on demand only, not on every push: "
            f"{condition!r}"
        )
    if name in ci_jobs(workflow):
        problems.append(f"job {name!r} also runs .ci/run")
    step = next(s for s in job["steps"] if runs_compat(s))
    if "--torch-index" not in step["run"] or "PIP_EXTRA_INDEX_URL" not in step["run"]:
        problems.append(
            "`nox -s compat` must take torch from the workflow's index "
            '(`-- --torch-index "$PIP_EXTRA_INDEX_URL"`): PyPI\'s Linux wheels are CUDA builds'
        )
    if "PIP_EXTRA_INDEX_URL" not in (workflow.get("env") or {}):
        problems.append("the torch index is not in the workflow's env, where both jobs read it")
    uploads = [s for s in job["steps"] if action_name(s).endswith("/upload-artifact")]
    if not any(
        (s.get("with") or {}).get("path") == "docs/about/compatibility.json" for s in uploads
    ):
        problems.append(
            f"job {name!r} does not keep the report (upload docs/about/compatibility.json)"
        )
    if any(
        action_name(s).endswith(("/upload-pages-artifact", "/deploy-pages")) for s in job["steps"]
    ):
        problems.append(f"job {name!r} publishes the site: only the tested build is published")
    if re.search(r"\bcompat\b", ci_script):
        problems.append(".ci/run runs the compatibility session: it must stay out of the tests")
    defaults = re.search(r"^nox\.options\.sessions = \[(.*)\]", noxfile, re.MULTILINE)
    if defaults is None or "compat" in defaults.group(1):
        problems.append("`nox` without -s runs compat: keep it out of nox.options.sessions")
    return problems


NOXFILE = ROOT / "noxfile.py"


def _compat_problems(workflow: dict[str, Any]) -> list[str]:
    return compat_job_problems(
        workflow, CI_RUN.read_text(encoding="utf-8"), NOXFILE.read_text(encoding="utf-8")
    )


def test_compat_runs_weekly_and_on_demand_outside_the_tests() -> None:
    problems = _compat_problems(load_workflow())
    assert not problems, "\n".join(problems)


def _compat_step(workflow: dict[str, Any]) -> dict[str, Any]:
    step: dict[str, Any] = next(s for s in workflow["jobs"]["compat"]["steps"] if runs_compat(s))
    return step


def _no_schedule(workflow: dict[str, Any]) -> None:
    del triggers(workflow)["schedule"]


def _compat_on_push(workflow: dict[str, Any]) -> None:
    workflow["jobs"]["compat"]["if"] = "github.event_name != 'pull_request'"


def _compat_from_pypi(workflow: dict[str, Any]) -> None:
    _compat_step(workflow)["run"] = "nox -s compat"


def _compat_in_tests(workflow: dict[str, Any]) -> None:
    workflow["jobs"]["tests"]["steps"].append({"run": "nox -s compat"})


def _report_not_kept(workflow: dict[str, Any]) -> None:
    steps = workflow["jobs"]["compat"]["steps"]
    steps[:] = [s for s in steps if not action_name(s).endswith("/upload-artifact")]


BROKEN_COMPAT = [
    (_no_schedule, "no schedule"),
    (_compat_on_push, "on schedule and on demand only"),
    (_compat_from_pypi, "--torch-index"),
    (_compat_in_tests, "exactly one job must run `nox -s compat`"),
    (_report_not_kept, "does not keep the report"),
]


@pytest.mark.parametrize(("break_it", "problem"), BROKEN_COMPAT)
def test_compat_checks_catch_a_broken_workflow(
    break_it: Callable[[dict[str, Any]], None], problem: str
) -> None:
    workflow = copy.deepcopy(load_workflow())
    break_it(workflow)
    problems = _compat_problems(workflow)
    assert any(problem in p for p in problems), problems


def test_compat_checks_catch_compat_in_the_tests_or_the_default_sessions() -> None:
    workflow = load_workflow()
    with_ci = compat_job_problems(workflow, "nox -s tests\nnox -s compat\n", "")
    assert any(".ci/run runs the compatibility session" in p for p in with_ci)
    default = compat_job_problems(workflow, "", 'nox.options.sessions = ["lint", "compat"]\n')
    assert any("keep it out of nox.options.sessions" in p for p in default)
