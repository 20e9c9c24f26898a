"""docker-compose.yml (GPU) and deploy/compose/docker-compose.cpu.yml (CPU), read as YAML.

No Docker Compose binary is available on CI; these checks cover what the files must say.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from .helpers import REPO

GPU_FILE = REPO / "docker-compose.yml"
CPU_FILE = REPO / "deploy" / "compose" / "docker-compose.cpu.yml"


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def interpolate(value: str) -> str:
    """Compose-style ${VAR:-default} / ${VAR-default} with no variables set."""
    return re.sub(r"\$\{[A-Za-z_][A-Za-z0-9_]*(?::?-([^}]*))?\}", lambda m: m.group(1) or "", value)


def gpu_devices(service: dict) -> list[dict]:
    return (((service.get("deploy") or {}).get("resources") or {}).get("reservations") or {}).get("devices") or []


def has_gpu_reservation(service: dict) -> bool:
    return any(
        device.get("driver") == "nvidia" and "gpu" in (device.get("capabilities") or [])
        for device in gpu_devices(service)
    )


def check_common(service: dict, *, health_start: int) -> None:
    assert service["restart"] == "unless-stopped"
    ports = [interpolate(port) for port in service["ports"]]
    assert "8080:8080" in ports
    logging = service["logging"]
    assert logging["driver"] == "json-file"
    assert logging["options"] == {"max-size": "10m", "max-file": "3"}
    health = service["healthcheck"]
    test = " ".join(health["test"]) if isinstance(health["test"], list) else health["test"]
    assert "/health" in test and "urllib" in test
    assert int(str(health["start_period"]).rstrip("s")) >= health_start
    env_files = service["env_file"]
    assert env_files and all(entry.get("required") is False for entry in env_files), "compose must work without .env"
    assert service["deploy"]["resources"]["limits"]["memory"]
    # Docker's 64 MB /dev/shm would send the decode sandbox's pages through the pipe.
    assert str(service["shm_size"]).endswith("g")


def test_gpu_compose() -> None:
    compose = load(GPU_FILE)
    service = compose["services"]["invoice-ocr"]
    assert service["container_name"] == "paddleocr-api"
    assert service["build"]["context"] == "."
    assert service["build"]["target"] == "gpu"
    assert has_gpu_reservation(service)
    (device,) = gpu_devices(service)
    assert device["count"] == 1 and device["capabilities"] == ["gpu"]
    check_common(service, health_start=120)
    assert [entry["path"] for entry in service["env_file"]] == [".env"]


def test_cpu_compose_has_no_gpu() -> None:
    compose = load(CPU_FILE)
    (service,) = compose["services"].values()
    assert service["build"]["target"] == "cpu"
    context = (CPU_FILE.parent / service["build"]["context"]).resolve()
    assert context == REPO and (context / "Dockerfile").is_file()
    assert not has_gpu_reservation(service) and not gpu_devices(service)
    assert "nvidia" not in CPU_FILE.read_text(encoding="utf-8").replace("NVIDIA", "")
    check_common(service, health_start=60)
    env_path = (CPU_FILE.parent / service["env_file"][0]["path"]).resolve()
    assert env_path == REPO / ".env"


@pytest.mark.parametrize(
    "service",
    [
        {"deploy": {"resources": {"reservations": {"devices": [{"driver": "nvidia", "capabilities": ["gpu"]}]}}}},
        {"deploy": {"resources": {"reservations": {"devices": [{"driver": "amd", "capabilities": ["gpu"]}]}}}},
        {},
    ],
)
def test_gpu_reservation_check(service: dict) -> None:
    expected = (
        service.get("deploy", {}).get("resources", {}).get("reservations", {}).get("devices", [{}])[0].get("driver")
        == "nvidia"
    )
    assert has_gpu_reservation(service) is expected


def test_env_example_is_safe_to_copy() -> None:
    """Every active line is KEY=VALUE with no trailing comment (docker run --env-file keeps those)."""
    lines = (REPO / ".env.example").read_text(encoding="utf-8").splitlines()
    active = [line for line in lines if line.strip() and not line.lstrip().startswith("#")]
    for line in active:
        assert re.match(r"^[A-Z_][A-Z0-9_]*=[^#]*$", line), line
    documented = {match.group(1) for line in lines if (match := re.match(r"^#\s*([A-Z_][A-Z0-9_]*)=", line))}
    for key in ("OCR_ENGINE", "OCR_DEVICE", "OCR_MAX_UPLOAD_BYTES", "OCR_QUEUE_SIZE", "HOST_PORT"):
        assert key in documented, key
    commented_settings = [line for line in lines if re.match(r"^#\s*[A-Z_][A-Z0-9_]*=", line)]
    assert all("  #" not in line and " # " not in line.split("=", 1)[1] for line in commented_settings)
