"""deploy/k8s: schema validation (offline, kubernetes-validate's bundled schemas) and the
properties the manifests must have; the back-file Job's shell script is run for real."""

from __future__ import annotations

import json
import os
import stat
import subprocess
from pathlib import Path

import kubernetes_validate
import pytest
import yaml

from invoice_ocr.config import Settings

from .helpers import REPO

K8S = REPO / "deploy" / "k8s"
FILES = sorted(K8S.glob("*.yaml"))
# Oldest Kubernetes we claim (Indexed Jobs GA 1.24, autoscaling/v2 GA 1.23, policy/v1 1.21)
# and the newest schema set this kubernetes-validate release bundles.
K8S_VERSIONS = ("1.30.0", kubernetes_validate.latest_version())


def documents(path: Path) -> list[dict]:
    return [doc for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")) if doc]


def by_kind() -> dict[str, dict]:
    found = {}
    for path in FILES:
        for doc in documents(path):
            found.setdefault(doc["kind"], doc)
    return found


def test_expected_manifests_exist() -> None:
    names = {path.name for path in FILES}
    assert {
        "deployment.yaml",
        "service.yaml",
        "hpa.yaml",
        "pdb.yaml",
        "configmap.yaml",
        "job-backfile.yaml",
        "redis.yaml",
        "worker-deployment.yaml",
    } <= names


@pytest.mark.parametrize("version", K8S_VERSIONS)
@pytest.mark.parametrize("path", FILES, ids=lambda path: path.name)
def test_manifest_validates(path: Path, version: str) -> None:
    docs = documents(path)
    assert docs, f"{path.name} is empty"
    for doc in docs:
        kubernetes_validate.validate(doc, version, strict=True)


def test_validator_rejects_broken_manifests() -> None:
    deployment = documents(K8S / "deployment.yaml")[0]
    typo = yaml.safe_load(yaml.safe_dump(deployment))
    typo["spec"]["template"]["spec"]["containers"][0]["readinessProbes"] = {}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(typo, K8S_VERSIONS[0], strict=True)
    wrong_type = yaml.safe_load(yaml.safe_dump(deployment))
    wrong_type["spec"]["replicas"] = "two"
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(wrong_type, K8S_VERSIONS[0], strict=True)


def container(doc: dict) -> dict:
    return doc["spec"]["template"]["spec"]["containers"][0]


def test_deployment_gpu_probes_and_hardening() -> None:
    deployment = documents(K8S / "deployment.yaml")[0]
    pod = deployment["spec"]["template"]["spec"]
    api = container(deployment)
    assert api["resources"]["limits"]["nvidia.com/gpu"] in ("1", 1)
    assert api["resources"]["requests"]["cpu"] and api["resources"]["requests"]["memory"]
    assert api["resources"]["limits"]["memory"]
    assert api["readinessProbe"]["httpGet"]["path"] == "/health/ready"
    assert api["livenessProbe"]["httpGet"]["path"] == "/health/live"
    startup = api["startupProbe"]
    assert startup["httpGet"]["path"] == "/health"
    assert startup["periodSeconds"] * startup["failureThreshold"] >= 180, "model load needs minutes"
    assert api["ports"][0]["containerPort"] == 8080

    security = api["securityContext"]
    assert security["allowPrivilegeEscalation"] is False
    assert security["readOnlyRootFilesystem"] is True
    assert security["capabilities"]["drop"] == ["ALL"]
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert pod["securityContext"]["runAsUser"] != 0
    mounts = {mount["mountPath"]: mount["name"] for mount in api["volumeMounts"]}
    volumes = {volume["name"]: volume for volume in pod["volumes"]}
    assert "emptyDir" in volumes[mounts["/tmp"]], "a writable /tmp with a read-only root"
    shm = volumes[mounts["/dev/shm"]]["emptyDir"]
    assert shm["medium"] == "Memory", "the decode sandbox's pages travel through /dev/shm"

    pre_stop = api["lifecycle"]["preStop"]["exec"]["command"]
    assert pre_stop[0] == "sleep"
    shutdown = Settings().shutdown_grace_s
    assert pod["terminationGracePeriodSeconds"] >= int(pre_stop[1]) + shutdown + 10
    assert api["envFrom"][0]["configMapRef"]["name"] == by_kind()["ConfigMap"]["metadata"]["name"]


def test_service_hpa_pdb_point_at_the_deployment() -> None:
    kinds = by_kind()
    deployment = kinds["Deployment"]
    labels = deployment["spec"]["template"]["metadata"]["labels"]
    service = documents(K8S / "service.yaml")[0]  # redis.yaml has a Service too
    assert service["spec"]["selector"].items() <= labels.items()
    assert service["spec"]["ports"][0]["targetPort"] in ("http", 8080)

    hpa = kinds["HorizontalPodAutoscaler"]
    assert hpa["apiVersion"] == "autoscaling/v2"
    assert hpa["spec"]["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "Deployment", "name": "invoice-ocr"}
    (metric,) = hpa["spec"]["metrics"]
    assert metric["resource"]["name"] == "cpu" and metric["resource"]["target"]["type"] == "Utilization"

    pdb = kinds["PodDisruptionBudget"]
    assert pdb["apiVersion"] == "policy/v1"
    assert pdb["spec"]["selector"]["matchLabels"].items() <= labels.items()


def test_configmap_names_real_settings() -> None:
    config = by_kind()["ConfigMap"]["data"]
    fields = {f"OCR_{name.upper()}" for name in Settings.model_fields}
    unknown = sorted(key for key in config if key.startswith("OCR_") and key not in fields)
    assert not unknown, f"not settings of invoice_ocr.config.Settings: {unknown}"
    assert all(isinstance(value, str) for value in config.values()), "ConfigMap values must be strings"
    assert int(config["OCR_MAX_UPLOAD_BYTES"]) == Settings().max_upload_bytes == 20 * 1024 * 1024


# ---------------------------------------------------------------- jobs: worker and Redis


def test_the_jobs_worker_runs_the_api_image_outside_every_service() -> None:
    api_deployment = documents(K8S / "deployment.yaml")[0]
    worker_deployment = documents(K8S / "worker-deployment.yaml")[0]
    api, worker = container(api_deployment), container(worker_deployment)
    assert worker["image"] == api["image"] and worker["envFrom"] == api["envFrom"]
    assert worker["resources"]["limits"]["nvidia.com/gpu"] in ("1", 1)
    assert worker["securityContext"] == api["securityContext"]
    labels = worker_deployment["spec"]["template"]["metadata"]["labels"]
    assert worker_deployment["spec"]["selector"]["matchLabels"].items() <= labels.items()
    selectors = [doc["spec"]["selector"] for path in FILES for doc in documents(path) if doc["kind"] == "Service"]
    selectors.append(by_kind()["PodDisruptionBudget"]["spec"]["selector"]["matchLabels"])
    assert not any(selector.items() <= labels.items() for selector in selectors), "no Service sends it requests"
    env = {item["name"]: item["value"] for item in worker.get("env", []) if "value" in item}
    settings = Settings(
        **{name.removeprefix("OCR_").lower(): value for name, value in env.items() if name.startswith("OCR_")}
    )
    assert settings.jobs_worker and settings.jobs_concurrency >= Settings().jobs_concurrency
    mounts = {mount["mountPath"] for mount in worker["volumeMounts"]}
    assert {"/tmp", "/data", "/dev/shm"} <= mounts


def test_jobs_reach_the_redis_service() -> None:
    config = by_kind()["ConfigMap"]["data"]
    redis_docs = {doc["kind"]: doc for doc in documents(K8S / "redis.yaml")}
    service, deployment = redis_docs["Service"], redis_docs["Deployment"]
    assert config["OCR_REDIS_URL"].startswith(
        f"redis://{service['metadata']['name']}:{service['spec']['ports'][0]['port']}/"
    )
    assert service["spec"]["selector"].items() <= deployment["spec"]["template"]["metadata"]["labels"].items()
    redis = container(deployment)
    assert "--appendonly" in redis["args"] and redis["args"][redis["args"].index("--appendonly") + 1] == "yes"
    claim = deployment["spec"]["template"]["spec"]["volumes"][0]["persistentVolumeClaim"]["claimName"]
    assert claim == redis_docs["PersistentVolumeClaim"]["metadata"]["name"]


# ---------------------------------------------------------------- back-file Job


@pytest.fixture(scope="module")
def job() -> dict:
    return next(doc for doc in documents(K8S / "job-backfile.yaml") if doc["kind"] == "Job")


def env_value(spec: dict, name: str) -> str:
    return next(item["value"] for item in spec["env"] if item["name"] == name)


def test_backfile_job_shape(job: dict) -> None:
    spec = job["spec"]
    assert spec["completionMode"] == "Indexed"
    assert spec["parallelism"] >= 1 and spec["completions"] >= spec["parallelism"]
    scan = container(job)
    assert int(env_value(scan, "SHARD_COUNT")) == spec["completions"]
    script = scan["args"][0]
    assert "invoice-ocr scan" in script and "JOB_COMPLETION_INDEX" in script and "/data/filelist.txt" in str(scan)
    mounts = {mount["mountPath"]: mount for mount in scan["volumeMounts"]}
    assert mounts["/data"]["readOnly"] is True and "/results" in mounts
    claims = {
        volume["persistentVolumeClaim"]["claimName"]
        for volume in job["spec"]["template"]["spec"]["volumes"]
        if "persistentVolumeClaim" in volume
    }
    pvcs = {
        doc["metadata"]["name"]
        for doc in documents(K8S / "job-backfile.yaml")
        if doc["kind"] == "PersistentVolumeClaim"
    }
    assert claims == pvcs


FAKE_SCAN = """#!/bin/sh
# Fake `invoice-ocr scan FILE... --out OUT`: one JSON line per file; fails when asked to.
[ "$1" = scan ] || exit 2
shift
out=""
files=""
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out="$2"; shift 2 ;;
    *) files="$files$1
"; shift ;;
  esac
done
[ -n "${FAIL_ON:-}" ] && printf '%s' "$files" | grep -q "$FAIL_ON" && exit 3
echo "$(date +%s%N)" >> "$CALLS"
printf '%s' "$files" | while IFS= read -r f; do [ -n "$f" ] && printf '{"file": "%s"}\\n' "$f"; done > "$out"
"""


def run_shard(job: dict, tmp_path: Path, index: int, total: int, **extra: str) -> subprocess.CompletedProcess:
    scan = container(job)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    fake = bin_dir / "invoice-ocr"
    fake.write_text(FAKE_SCAN, encoding="utf-8")
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    env = {
        "PATH": f"{bin_dir}:/usr/bin:/bin",
        "JOB_COMPLETION_INDEX": str(index),
        "SHARD_COUNT": str(total),
        "FILE_LIST": str(tmp_path / "filelist.txt"),
        "CHUNK_SIZE": "3",
        "RESULTS_DIR": str(tmp_path / "results"),
        "CALLS": str(tmp_path / f"calls-{index}"),
        **extra,
    }
    (tmp_path / "results").mkdir(exist_ok=True)
    return subprocess.run(
        [*scan["command"], scan["args"][0]], env=env, capture_output=True, text=True, timeout=60, cwd=tmp_path
    )


def test_backfile_shards_cover_every_file_once(job: dict, tmp_path: Path) -> None:
    files = [f"/data/inv {n:03d}.pdf" for n in range(20)]
    lines = [*files[:5], "", *files[5:]]  # a blank line is skipped but keeps numbering stable
    (tmp_path / "filelist.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    total = 3
    seen = []
    for index in range(total):
        result = run_shard(job, tmp_path, index, total)
        assert result.returncode == 0, result.stdout + result.stderr
        shard = (tmp_path / "results" / f"shard-{index}.jsonl").read_text(encoding="utf-8").splitlines()
        expected = [line for number, line in enumerate(lines) if number % total == index and line]
        assert [json.loads(row)["file"] for row in shard] == expected
        seen += expected
    assert sorted(seen) == sorted(files)


def test_backfile_retry_resumes_finished_chunks(job: dict, tmp_path: Path) -> None:
    files = [f"/data/{n}.png" for n in range(10)]
    (tmp_path / "filelist.txt").write_text("\n".join(files) + "\n", encoding="utf-8")
    failed = run_shard(job, tmp_path, 0, 1, FAIL_ON="/data/7.png")
    assert failed.returncode != 0
    assert not (tmp_path / "results" / "shard-0.jsonl").exists(), "no shard file until every chunk is done"
    calls_before = len((tmp_path / "calls-0").read_text().splitlines())
    assert calls_before == 2  # chunks [0-2] and [3-5] finished, [6-8] failed

    retried = run_shard(job, tmp_path, 0, 1)
    assert retried.returncode == 0, retried.stderr
    calls_after = len((tmp_path / "calls-0").read_text().splitlines())
    assert calls_after - calls_before == 2, "only the unfinished chunks run again"
    rows = (tmp_path / "results" / "shard-0.jsonl").read_text().splitlines()
    assert [json.loads(row)["file"] for row in rows] == files
    assert not os.path.exists(tmp_path / "results" / "shard-0.jsonl.tmp")


def test_probe_and_route_paths_exist_in_the_app() -> None:
    """Probes, the image HEALTHCHECK and the nginx batch location name real API routes."""
    from invoice_ocr.api.app import create_app

    paths = set(create_app(Settings()).openapi()["paths"])
    for manifest in ("deployment.yaml", "worker-deployment.yaml"):
        api = container(documents(K8S / manifest)[0])
        probes = {api[probe]["httpGet"]["path"] for probe in ("startupProbe", "readinessProbe", "livenessProbe")}
        assert probes <= paths, (manifest, probes - paths)
    assert "/ocr/batch" in paths, "deploy/nginx/nginx.conf has a location for /ocr/batch"
