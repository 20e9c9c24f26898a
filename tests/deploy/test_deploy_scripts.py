"""deploy_gpu.sh (shellcheck + its behaviour against a fake `docker`) and deploy_gpu.bat."""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from .helpers import REPO

SCRIPT = REPO / "deploy_gpu.sh"
BAT = REPO / "deploy_gpu.bat"

FAKE_DOCKER = r"""#!/usr/bin/env bash
# Fake docker CLI: records its arguments, answers like a healthy daemon unless told otherwise.
echo "docker $*" >> "${FAKE_LOG}"
case "$1" in
  info)
    [[ "${FAKE_DAEMON_DOWN:-0}" == 1 ]] && { echo "Cannot connect to the Docker daemon" >&2; exit 1; }
    [[ "$*" == *Runtimes* ]] && echo '{"nvidia":{"path":"nvidia-container-runtime"},"runc":{"path":"runc"}}'
    exit 0 ;;
  build) exit "${FAKE_BUILD_RC:-0}" ;;
  run)
    if [[ "$*" == *"--entrypoint nvidia-smi"* ]]; then
      if [[ "${FAKE_NO_GPU:-0}" == 1 ]]; then
        echo 'could not select device driver "" with capabilities: [[gpu]]' >&2
        exit 125
      fi
      echo "GPU 0: Fake H100 (UUID: GPU-0)"; exit 0
    fi
    echo "0123456789ab"; exit 0 ;;
  container) exit "${FAKE_EXISTING:-1}" ;;
  inspect)
    [[ "$*" == *State.Running* ]] && echo "${FAKE_RUNNING:-true}"
    exit 0 ;;
  image) exit 0 ;;
  rm) exit 0 ;;
  logs) echo "FAKE CONTAINER LOG: model failed to load"; exit 0 ;;
  *) echo "fake docker: unexpected $*" >&2; exit 9 ;;
esac
"""

FAKE_CURL = r"""#!/usr/bin/env bash
echo "curl $*" >> "${FAKE_LOG}"
printf '%s' "${FAKE_HTTP_STATUS:-200}"
"""


def write_tool(folder: Path, name: str, body: str) -> None:
    path = folder / name
    path.write_text(body, encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IEXEC | stat.S_IXGRP | stat.S_IXOTH)


def link_tools(folder: Path, names: list[str]) -> None:
    for name in names:
        found = shutil.which(name)
        assert found, f"{name} not on this machine"
        (folder / name).symlink_to(found)


# The commands the script needs besides docker/curl, linked into an isolated PATH.
BASE_TOOLS = ["bash", "env", "dirname", "grep", "sleep", "cat"]


@pytest.fixture
def sandbox(tmp_path: Path):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    link_tools(bin_dir, BASE_TOOLS)
    write_tool(bin_dir, "docker", FAKE_DOCKER)
    write_tool(bin_dir, "curl", FAKE_CURL)
    log = tmp_path / "calls.log"
    log.touch()

    def run(*, remove: tuple[str, ...] = (), **env: str) -> tuple[subprocess.CompletedProcess, str]:
        for name in remove:
            (bin_dir / name).unlink()
        environment = {
            "PATH": str(bin_dir),
            "FAKE_LOG": str(log),
            "HOST_PORT": "9099",
            "HEALTH_TIMEOUT": "3",
            "POLL_INTERVAL": "1",
            "ENV_FILE": str(tmp_path / "no-such.env"),
            **env,
        }
        result = subprocess.run(
            [str(bin_dir / "bash"), str(SCRIPT)], env=environment, capture_output=True, text=True, timeout=60
        )
        return result, log.read_text(encoding="utf-8")

    return run


def test_shellcheck_clean() -> None:
    shellcheck = shutil.which("shellcheck")
    if shellcheck is None:
        pytest.skip("shellcheck is not installed (Debian package `shellcheck`; .ci/run installs it)")
    result = subprocess.run(
        [shellcheck, "--severity=style", "--enable=all", str(SCRIPT)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_script_header() -> None:
    text = SCRIPT.read_text(encoding="utf-8")
    assert text.startswith("#!/usr/bin/env bash\n")
    assert "set -euo pipefail" in text
    assert os.access(SCRIPT, os.X_OK), "deploy_gpu.sh must be executable (git update-index --chmod=+x)"


def test_success_path(sandbox) -> None:
    result, calls = sandbox()
    assert result.returncode == 0, result.stderr
    assert "docker build --target gpu" in calls and "-t paddleocr-invoice-api-gpu:latest ." in calls
    assert "docker run --rm --gpus all --entrypoint nvidia-smi paddleocr-invoice-api-gpu:latest -L" in calls
    run_line = next(line for line in calls.splitlines() if line.startswith("docker run --detach"))
    assert "--gpus all" in run_line and "--publish 9099:8080" in run_line and "--name paddleocr-api" in run_line
    assert "http://127.0.0.1:9099/health" in calls
    for url in ("http://localhost:9099/docs", "http://localhost:9099/health", "http://localhost:9099/ocr/"):
        assert url in result.stdout


def test_env_names_are_honoured(sandbox, tmp_path: Path) -> None:
    env_file = tmp_path / "prod.env"
    env_file.write_text("OCR_LOG_LEVEL=DEBUG\n", encoding="utf-8")
    result, calls = sandbox(IMAGE_NAME="reg/ocr", IMAGE_TAG="v2", CONTAINER_NAME="ocr1", ENV_FILE=str(env_file))
    assert result.returncode == 0, result.stderr
    assert "-t reg/ocr:v2 ." in calls and "--name ocr1" in calls and f"--env-file {env_file}" in calls


@pytest.mark.parametrize(
    ("env", "remove", "message"),
    [
        ({}, ("docker",), "docker is not installed"),
        ({"FAKE_DAEMON_DOWN": "1"}, (), "cannot reach the Docker daemon"),
        ({"FAKE_BUILD_RC": "1"}, (), "docker build failed"),
        ({"FAKE_NO_GPU": "1"}, (), "containers cannot use the GPU"),
        ({"HOST_PORT": "80a"}, (), "HOST_PORT must be a number"),
        ({"HEALTH_TIMEOUT": "soon"}, (), "HEALTH_TIMEOUT and POLL_INTERVAL must be whole seconds"),
    ],
)
def test_failures_exit_non_zero_with_a_reason(sandbox, env, remove, message) -> None:
    result, _ = sandbox(remove=remove, **env)
    assert result.returncode != 0
    assert f"ERROR: {message}" in result.stderr


def test_health_timeout_prints_container_logs(sandbox) -> None:
    result, calls = sandbox(FAKE_HTTP_STATUS="503", HEALTH_TIMEOUT="2")
    assert result.returncode != 0
    assert "did not return 200 within 2s (last status 503)" in result.stderr
    assert "FAKE CONTAINER LOG" in result.stderr
    assert "docker logs --tail 200 paddleocr-api" in calls


def test_crashed_container_is_reported(sandbox) -> None:
    result, _ = sandbox(FAKE_RUNNING="false")
    assert result.returncode != 0
    assert "the container stopped during startup" in result.stderr and "FAKE CONTAINER LOG" in result.stderr


def test_existing_container_is_replaced(sandbox) -> None:
    result, calls = sandbox(FAKE_EXISTING="0")
    assert result.returncode == 0, result.stderr
    assert "docker rm -f paddleocr-api" in calls


def test_windows_script() -> None:
    raw = BAT.read_bytes()
    assert b"\r\n" in raw and raw.count(b"\n") == raw.count(b"\r\n"), "cmd.exe wants CRLF line endings"
    text = raw.decode("ascii")
    for needle in (
        "docker info",
        "--gpus all",
        "--entrypoint nvidia-smi",
        "/health",
        "/docs",
        "/ocr/",
        "docker logs --tail 200",
        "exit /b 1",
        "HOST_PORT",
        "IMAGE_NAME",
        "HEALTH_TIMEOUT",
    ):
        assert needle in text, needle
    labels = {line[1:].strip().lower() for line in text.splitlines() if re.match(r"^:[A-Za-z]", line)}
    gotos = {target.lower() for target in re.findall(r"goto :([A-Za-z]\w*)", text)}
    assert gotos, "no goto targets found"
    assert gotos <= labels, f"goto targets without a label: {gotos - labels}"
    assert {"fail", "faillogs", "ready", "wait"} <= labels
