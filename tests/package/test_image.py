"""The container image's contents, as the Dockerfile puts them together, in a fresh virtual environment.

The Dockerfile is the source of every expectation here: the wheel installed with `--no-deps` plus exactly its
`ARG SERVER_DEPENDENCIES`, the command its `CMD` runs, and the check its `HEALTHCHECK` makes. In that environment
every command's `--help` works, `serve` becomes healthy and serves the platforms, and a command that needs the
test harness says in Russian what to install. Where a container runtime and the base image are at hand, the
image itself is built and checked the same way.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
import time
import tomllib
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from simulator.cli import parser as command_line

pytestmark = pytest.mark.slow  # the image's commands in other processes

ROOT = Path(__file__).resolve().parents[2]
DOCKERFILE = ROOT / "Dockerfile"
# How long a step that has not finished is waited for before the test gives up (a hang guard, not a measure).
PATIENCE = 120
# Where a registry cannot be reached, a local image of the same Python (and pip) can stand in for the base.
BASE_IMAGE_ENV = "SFERUM_SIM_PYTHON_IMAGE"
# seeds/001, the teacher's first step: «Авторизуйтесь в электронном журнале» — МЭШ's sign-in page says it.
MES_SIGN_IN = "Авторизуйтесь в электронном журнале"


@dataclass(frozen=True)
class Stage:
    """One `FROM` of the Dockerfile: its name (`AS …`), its instructions by keyword, and the ARGs it sees."""

    name: str
    instructions: dict[str, list[str]]
    arguments: dict[str, str]  # the global ARGs' defaults, then the stage's own

    @staticmethod
    def all_of(path: Path) -> list[Stage]:
        """The stages in order; the last is what a build without `--target` makes."""
        globals_: dict[str, str] = {}
        stages: list[Stage] = []
        for line in re.sub(r"\\\n", " ", path.read_text(encoding="utf-8")).splitlines():
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            keyword, _, rest = line.strip().partition(" ")
            keyword, rest = keyword.upper(), rest.strip()
            if keyword == "FROM":
                _, _, name = rest.partition(" AS ")
                stages.append(Stage(name.strip(), {}, dict(globals_)))
                continue
            if keyword == "ARG" and "=" in rest:
                name, _, default = shlex.split(rest)[0].partition("=")
                (stages[-1].arguments if stages else globals_)[name] = default
            if stages:
                stages[-1].instructions.setdefault(keyword, []).append(rest)
        return stages

    @staticmethod
    def named(path: Path, name: str) -> Stage:
        (stage,) = [stage for stage in Stage.all_of(path) if stage.name == name]
        return stage


@dataclass(frozen=True)
class Dockerfile:
    """The parts of the Dockerfile's default target (its last stage) the image's behaviour follows from."""

    server_dependencies: list[str]
    python_image: str
    command: list[str]  # CMD, the arguments given to the ENTRYPOINT `sferum-sim`
    healthcheck: list[str]  # HEALTHCHECK's CMD, exec form
    port: int  # EXPOSE

    @classmethod
    def read(cls, path: Path) -> Dockerfile:
        last = Stage.all_of(path)[-1]
        (healthcheck,) = last.instructions["HEALTHCHECK"]
        (command,) = last.instructions["CMD"]
        (port,) = last.instructions["EXPOSE"]
        return cls(
            server_dependencies=last.arguments["SERVER_DEPENDENCIES"].split(),
            python_image=last.arguments["PYTHON_IMAGE"],
            command=json.loads(command),
            healthcheck=json.loads(healthcheck.partition(" CMD ")[2]),
            port=int(port),
        )

    def served_on(self, port: int) -> list[str]:
        """CMD with the server on 127.0.0.1:`port` (a host may be running the image, or anything, on its port)."""
        command = list(self.command)
        for option, value in (("--host", "127.0.0.1"), ("--port", str(port))):
            command[command.index(option) + 1] = value
        return command

    def health_command(self, python: Path, port: int) -> list[str]:
        """HEALTHCHECK's command, run by `python` against `port` instead of the image's."""
        program, flag, code = self.healthcheck
        assert (program, flag) == ("python", "-c"), self.healthcheck
        assert f":{self.port}/" in code, f"the health check does not ask port {self.port}: {code}"
        return [str(python), flag, code.replace(f":{self.port}/", f":{port}/")]


IMAGE = Dockerfile.read(DOCKERFILE)


def requirement_name(requirement: str) -> str:
    match = re.match(r"[A-Za-z0-9._-]+", requirement)
    assert match, requirement
    return re.sub(r"[-_.]+", "-", match.group(0)).lower()


def run(*command: str | Path, cwd: Path, check: bool = True) -> subprocess.CompletedProcess[str]:
    # Nothing of this checkout may leak in: no PYTHONPATH, and the outer virtual environment is not active.
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    result = subprocess.run(
        [str(part) for part in command], cwd=cwd, env=env, capture_output=True, text=True, timeout=480
    )
    if check:
        assert result.returncode == 0, f"{command}\n{result.stdout}\n{result.stderr}"
    return result


@dataclass(frozen=True)
class ServerOnly:
    """A virtual environment holding what the image holds."""

    venv: Path
    scratch: Path  # the working directory: not the checkout, so nothing is imported from it

    @property
    def python(self) -> Path:
        return self.venv / "bin" / "python"

    def sferum_sim(self, *arguments: str | Path) -> subprocess.CompletedProcess[str]:
        return run(self.venv / "bin" / "sferum-sim", *arguments, cwd=self.scratch, check=False)


PIP_QUIET = ("--quiet", "--disable-pip-version-check", "--no-compile")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel as the Dockerfile's `wheel` stage builds it, once for the module's environments."""
    here = tmp_path_factory.mktemp("wheel")
    run(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", here, ROOT, cwd=here)
    (built,) = here.glob("sferum_sim-*.whl")
    return built


def fresh_venv(here: Path) -> ServerOnly:
    run(sys.executable, "-m", "venv", here / "venv", cwd=here)
    scratch = here / "scratch"
    scratch.mkdir()
    return ServerOnly(here / "venv", scratch)


@pytest.fixture(scope="module")
def server_only(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> ServerOnly:
    """Built once for the module; pip's own cache keeps the dependencies' wheels between runs."""
    image = fresh_venv(tmp_path_factory.mktemp("image"))
    run(image.python, "-m", "pip", "install", *PIP_QUIET, "--no-deps", wheel, cwd=image.scratch)
    run(image.python, "-m", "pip", "install", *PIP_QUIET, *IMAGE.server_dependencies, cwd=image.scratch)
    return image


def command_paths(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    """Every command and subcommand the parser knows, the top level first."""
    yield path
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, subparser in action.choices.items():
                yield from command_paths(subparser, (*path, name))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def wait_until_healthy(health_command: list[str], alive: subprocess.Popen[str] | None = None) -> None:
    """Run the health check until it passes; the server dying, or the check never passing, fails the test."""
    deadline = time.monotonic() + PATIENCE
    while True:  # each attempt takes the check's own time: a new interpreter, refused at once or its 2 s timeout
        check = subprocess.run(health_command, capture_output=True, text=True, timeout=30)
        if check.returncode == 0:
            return
        if time.monotonic() > deadline:
            pytest.fail(f"the health check never passed: {check.stderr}")
        if alive is not None and alive.poll() is not None:
            pytest.fail(f"the server exited with {alive.returncode}: {alive.stderr.read() if alive.stderr else ''}")


def page(url: str, host: str) -> str:
    request = urllib.request.Request(url, headers={"Host": host})
    with urllib.request.urlopen(request, timeout=30) as answer:
        assert answer.status == 200
        text: str = answer.read().decode("utf-8")
        return text


def test_every_command_answers_help(server_only: ServerOnly) -> None:
    paths = list(command_paths(command_line()))
    assert (IMAGE.command[0],) in paths, f"the image's CMD {IMAGE.command} is not a command"
    failures = []
    for path in paths:
        answer = server_only.sferum_sim(*path, "--help")
        usage = " ".join(("usage: sferum-sim", *path))
        if answer.returncode != 0 or not answer.stdout.startswith(usage) or answer.stderr:
            failures.append(f"sferum-sim {' '.join(path)} --help → {answer.returncode}\n{answer.stdout}{answer.stderr}")
    assert not failures, "\n\n".join(failures)


def test_the_image_command_serves_and_passes_the_healthcheck(server_only: ServerOnly) -> None:
    port = free_port()
    server = subprocess.Popen(
        [server_only.venv / "bin" / "sferum-sim", *IMAGE.served_on(port)],
        cwd=server_only.scratch,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert server.stdout is not None
        banner = server.stdout.readline()  # written before the port is bound; "" if the server died first
        assert banner.startswith("sferum-sim on "), banner + (server.stderr.read() if server.stderr else "")
        wait_until_healthy(IMAGE.health_command(server_only.python, port), server)
        assert MES_SIGN_IN in page(f"http://127.0.0.1:{port}/", host=f"mes.localhost:{port}")
    finally:
        server.terminate()
        server.communicate(timeout=PATIENCE)


# The commands that run the test harness, each with arguments it would otherwise accept.
HARNESS_COMMANDS = (
    ("record", "--headless", "--no-run", "-o", "new.feature"),
    ("replay", "scenario.feature"),
    ("guide", "scenario.feature"),
    ("steps",),
    ("report", "merge", "shard-1", "-o", "merged"),
)


def test_a_harness_command_says_what_to_install(server_only: ServerOnly) -> None:
    """The hint's pip line installs exactly the package's requirements the image leaves out."""
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    in_image = {requirement_name(requirement) for requirement in IMAGE.server_dependencies}
    left_out = {"".join(r.split()) for r in declared if requirement_name(r) not in in_image}
    assert left_out, "the image holds every dependency: there is no harness command to check"
    lines = []
    for command in HARNESS_COMMANDS:
        answer = server_only.sferum_sim(*command)
        assert answer.returncode == 2, f"{command}: {answer.returncode}\n{answer.stdout}{answer.stderr}"
        assert "Traceback" not in answer.stderr, answer.stderr
        assert re.search(r"[а-яё]{4}", answer.stderr), f"not Russian: {answer.stderr}"
        _, found, line = answer.stderr.strip().partition("pip install ")
        assert found, answer.stderr
        assert set(shlex.split(line)) == left_out, answer.stderr
        lines.append(line)
    # The line is one pip can act on: every requirement resolves against the index the image installs from.
    run(
        server_only.python,
        "-m",
        "pip",
        "install",
        "--dry-run",
        "--quiet",
        *shlex.split(lines[0]),
        cwd=server_only.scratch,
    )


def test_compose_checks_health_as_the_image_does() -> None:
    compose = (ROOT / "compose.yaml").read_text(encoding="utf-8")
    tests = [json.loads(found) for found in re.findall(r"^\s+test: (\[.*\])$", compose, flags=re.MULTILINE)]
    assert ["CMD", *IMAGE.healthcheck] in tests, tests


def container_runtime() -> str:
    for runtime in ("podman", "docker"):
        if shutil.which(runtime) and run(runtime, "info", cwd=ROOT, check=False).returncode == 0:
            return runtime
    pytest.skip("no usable container runtime: neither `podman info` nor `docker info` answers here")


def test_the_image_builds_and_serves(tmp_path: Path) -> None:
    runtime = container_runtime()
    tag = built_image(runtime)
    port = free_port()
    container = ""
    try:
        help_text = run(runtime, "run", "--rm", tag, "--help", cwd=ROOT).stdout
        assert help_text.startswith("usage: sferum-sim"), help_text
        harness = run(runtime, "run", "--rm", tag, "steps", cwd=ROOT, check=False)
        assert harness.returncode == 2 and "pip install " in harness.stderr, harness.stderr
        container = run(runtime, "run", "-d", "-p", f"127.0.0.1:{port}:{IMAGE.port}", tag, cwd=ROOT).stdout.strip()
        wait_until_healthy([runtime, "exec", container, *IMAGE.healthcheck])
        assert MES_SIGN_IN in page(f"http://127.0.0.1:{port}/", host=f"mes.localhost:{IMAGE.port}")
    finally:
        if container:
            run(runtime, "rm", "-f", container, cwd=ROOT, check=False)
        run(runtime, "rmi", "-f", tag, cwd=ROOT, check=False)


# The `conformance` target: the command a vendor runs against its own journal, with the Chromium it needs.
CONFORMANCE = Stage.named(DOCKERFILE, "conformance")
EXAMPLES = ROOT / "examples" / "conformance"
CLIENT_ID = "journal_node"  # examples/conformance/journal.mjs's default, registered by the command itself


@pytest.fixture(scope="module")
def conformance_only(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> ServerOnly:
    """What the `conformance` stage holds: the wheel with its dependencies and the stage's extras."""
    image = fresh_venv(tmp_path_factory.mktemp("conformance-image"))
    extras = CONFORMANCE.arguments["CONFORMANCE_EXTRAS"]
    run(image.python, "-m", "pip", "install", *PIP_QUIET, f"{wheel}[{extras}]", cwd=image.scratch)
    return image


def conformance_arguments(journal_origin: str, sim_port: int, report_dir: str) -> list[str]:
    return [
        "conformance",
        "--journal-url",
        f"{journal_origin}/",
        "--client-id",
        CLIENT_ID,
        "--redirect-uri",
        f"{journal_origin}/callback",
        "--sim-port",
        str(sim_port),
        "--only",
        "O01",
        "--report-dir",
        report_dir,
    ]


@contextlib.contextmanager
def node_journal(vkid_port: int) -> Iterator[str]:
    """examples/conformance/journal.mjs on a free port, its VK ID at `vkid_port`: its origin."""
    node = shutil.which("node")
    assert node, "the conformance image's test runs the example journal in Node.js (make sdk needs it too)"
    port = free_port()
    origin = f"http://journal.localhost:{port}"
    env = {
        "PORT": str(port),
        "VKID_URL": f"http://id.localhost:{vkid_port}",
        "CLIENT_ID": CLIENT_ID,
        "REDIRECT_URI": f"{origin}/callback",
        "PATH": "/usr/bin:/bin",
    }
    journal = subprocess.Popen([node, EXAMPLES / "journal.mjs"], env=env, stdout=subprocess.PIPE, text=True)
    try:
        assert journal.stdout is not None
        assert "journal on" in journal.stdout.readline(), "journal.mjs did not start"  # it prints once listening
        yield origin
    finally:
        journal.terminate()
        journal.wait(PATIENCE)


def test_the_conformance_stage_apt_packages_are_the_chromium_it_launches(conformance_only: ServerOnly) -> None:
    """Every apt package the stage names is installed here, and the command's Chromium is one of their files."""
    packages = CONFORMANCE.arguments["CONFORMANCE_APT_PACKAGES"].split()
    assert packages, "the conformance stage installs no apt package"
    if not shutil.which("dpkg-query"):
        pytest.fail(f"not a Debian machine: make setup installs {' '.join(packages)} with apt-get")
    for package in packages:
        status = run("dpkg-query", "-W", "-f", "${Status}", package, cwd=ROOT, check=False).stdout
        assert status == "install ok installed", f"{package}: {status or 'not installed'}; apt-get install {package}"
    # The browser a headless run launches, chosen by the installed package's own code, with no override.
    choose = "from simulator.testing.browser import system_chromium; print(system_chromium(headless=True))"
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "SFERUM_SIM_CHROMIUM")}
    chosen = subprocess.run(
        [conformance_only.python, "-c", choose], cwd=conformance_only.scratch, env=env, capture_output=True, text=True
    )
    executable = chosen.stdout.strip()
    assert chosen.returncode == 0 and executable.startswith("/"), chosen.stdout + chosen.stderr
    owner = run("dpkg-query", "-S", os.path.realpath(executable), cwd=ROOT).stdout.partition(":")[0]
    assert owner in packages, f"{executable} belongs to {owner}, which the conformance stage does not install"


def test_the_conformance_stage_command_answers_help(conformance_only: ServerOnly) -> None:
    (command,) = CONFORMANCE.instructions["CMD"]
    arguments = json.loads(command)
    assert arguments[0] == "conformance", f"the conformance stage's CMD runs {arguments}"
    answer = conformance_only.sferum_sim(*arguments)
    assert answer.returncode == 0 and not answer.stderr, answer.stdout + answer.stderr
    assert answer.stdout.startswith("usage: sferum-sim conformance"), answer.stdout
    assert "--journal-url" in answer.stdout


def test_the_conformance_stage_passes_the_node_journal(conformance_only: ServerOnly) -> None:
    """O01, the plain sign-in, from the stage's environment: a green run, its report naming only O01 checked."""
    sim_port = free_port()
    report_dir = conformance_only.scratch / "report"
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "SFERUM_SIM_CHROMIUM")}
    with node_journal(sim_port) as origin:
        answer = subprocess.run(
            [conformance_only.venv / "bin" / "sferum-sim", *conformance_arguments(origin, sim_port, str(report_dir))],
            cwd=conformance_only.scratch,
            env=env,
            capture_output=True,
            text=True,
            timeout=480,
        )
    assert answer.returncode == 0, answer.stdout + answer.stderr
    document = json.loads((report_dir / "results.json").read_text(encoding="utf-8"))
    statuses = {item["id"]: item["status"] for item in document["outcomes"]}
    assert statuses.pop("O01") == "passed", answer.stdout
    assert statuses and set(statuses.values()) == {"skipped"}, statuses


def built_image(runtime: str, *target: str) -> str:
    """The Dockerfile built (at `target`, if given) on the base image; skipped when no base is at hand."""
    base = os.environ.get(BASE_IMAGE_ENV) or IMAGE.python_image
    if run(runtime, "image", "inspect", base, cwd=ROOT, check=False).returncode != 0:
        pulled = run(runtime, "pull", base, cwd=ROOT, check=False)
        if pulled.returncode != 0:
            pytest.skip(
                f"the base image {base} is not here and cannot be pulled ({pulled.stderr.strip().splitlines()[-1:]}); "
                f"{BASE_IMAGE_ENV} names a local stand-in"
            )
    tag = f"localhost/sferum-sim-test:{uuid.uuid4().hex[:12]}"
    run(runtime, "build", *target, "--build-arg", f"PYTHON_IMAGE={base}", "-t", tag, ROOT, cwd=ROOT)
    return tag


def test_the_conformance_image_builds_and_passes_the_node_journal(tmp_path: Path) -> None:
    """Built with `--target conformance`, run as docs/vendors.md says: the host's network, the journal on the host."""
    runtime = container_runtime()
    tag = built_image(runtime, "--target", "conformance")
    try:
        help_text = run(runtime, "run", "--rm", tag, cwd=ROOT).stdout
        assert help_text.startswith("usage: sferum-sim conformance"), help_text
        sim_port = free_port()
        with node_journal(sim_port) as origin:
            answer = run(
                runtime,
                "run",
                "--rm",
                "--network",
                "host",
                tag,
                *conformance_arguments(origin, sim_port, "report"),
                cwd=ROOT,
                check=False,
            )
        assert answer.returncode == 0, answer.stdout + answer.stderr
        assert re.search(r"^O01 пройден ", answer.stdout, flags=re.MULTILINE), answer.stdout
    finally:
        run(runtime, "rmi", "-f", tag, cwd=ROOT, check=False)
