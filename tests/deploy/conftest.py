"""Fixtures for the deployment-artefact tests (no Docker engine, GPU or network needed)."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from .helpers import REPO, parse_dockerfile


@pytest.fixture(scope="session")
def repo() -> Path:
    return REPO


@pytest.fixture(scope="session")
def dockerfile_text() -> str:
    return (REPO / "Dockerfile").read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def dockerfile(dockerfile_text: str):
    """(stages, global ARG defaults) of the repository's Dockerfile."""
    return parse_dockerfile(dockerfile_text)


@pytest.fixture(scope="session")
def stages(dockerfile):
    return {stage.name: stage for stage in dockerfile[0]}


def venv_tool(name: str) -> str | None:
    """A console script installed next to this Python (the project venv), else on PATH."""
    candidate = Path(sys.executable).parent / name
    if candidate.exists():
        return str(candidate)
    return shutil.which(name)
