#!/usr/bin/env bash
# Build the GPU image and (re)start the invoice OCR API container, then wait until it is healthy.
#
#   ./deploy_gpu.sh
#   HOST_PORT=9090 IMAGE_NAME=myreg/invoice-ocr HEALTH_TIMEOUT=600 ./deploy_gpu.sh
#
# Settings (environment variables):
#   IMAGE_NAME       image to build and run             (default paddleocr-invoice-api-gpu)
#   IMAGE_TAG        its tag                            (default latest)
#   CONTAINER_NAME   container name                     (default paddleocr-api)
#   HOST_PORT        host port published to 8080        (default 8080)
#   HEALTH_TIMEOUT   seconds to wait for GET /health 200 (default 300)
#   POLL_INTERVAL    seconds between health polls       (default 5)
#   ENV_FILE         passed to `docker run --env-file` when the file exists (default .env)
#   MODEL_PRESET     models baked into the image        (default pp-ocrv6-medium)
#   SKIP_BUILD=1     run the existing image, do not build
#   SKIP_GPU_CHECK=1 skip the NVIDIA runtime checks (not recommended)
# Exit status is non-zero, with a message saying why, on every failure.
set -euo pipefail

IMAGE_NAME="${IMAGE_NAME:-paddleocr-invoice-api-gpu}"
IMAGE_TAG="${IMAGE_TAG:-latest}"
CONTAINER_NAME="${CONTAINER_NAME:-paddleocr-api}"
HOST_PORT="${HOST_PORT:-8080}"
HEALTH_TIMEOUT="${HEALTH_TIMEOUT:-300}"
POLL_INTERVAL="${POLL_INTERVAL:-5}"
ENV_FILE="${ENV_FILE:-.env}"
MODEL_PRESET="${MODEL_PRESET:-pp-ocrv6-medium}"
SKIP_BUILD="${SKIP_BUILD:-0}"
SKIP_GPU_CHECK="${SKIP_GPU_CHECK:-0}"
IMAGE="${IMAGE_NAME}:${IMAGE_TAG}"

log() { printf '==> %s\n' "$*"; }
warn() { printf 'WARNING: %s\n' "$*" >&2; }
die() {
  printf 'ERROR: %s\n' "$*" >&2
  exit 1
}

# Run from the repository root (where the Dockerfile is), wherever the script is called from.
cd "$(dirname "${BASH_SOURCE[0]}")"

case "${HOST_PORT}" in
  '' | *[!0-9]*) die "HOST_PORT must be a number, got '${HOST_PORT}'" ;;
  *) ;;
esac
case "${HEALTH_TIMEOUT}${POLL_INTERVAL}" in
  *[!0-9]*) die "HEALTH_TIMEOUT and POLL_INTERVAL must be whole seconds, got '${HEALTH_TIMEOUT}' and '${POLL_INTERVAL}'" ;;
  *) ;;
esac
[[ -n "${HEALTH_TIMEOUT}" && -n "${POLL_INTERVAL}" ]] || die "HEALTH_TIMEOUT and POLL_INTERVAL must not be empty"
[[ -f Dockerfile ]] || die "Dockerfile not found in ${PWD}"

# 1. Docker client and daemon.
command -v docker >/dev/null 2>&1 || die "docker is not installed or not on PATH (https://docs.docker.com/engine/install/)"
if ! docker info >/dev/null 2>&1; then
  die "cannot reach the Docker daemon: is it running, and may this user use it (docker group / sudo)?"
fi

# 2. NVIDIA runtime: a first look now, the real test after the build.
if [[ "${SKIP_GPU_CHECK}" != "1" ]]; then
  if command -v nvidia-smi >/dev/null 2>&1; then
    nvidia-smi -L || die "nvidia-smi is installed but fails: check the NVIDIA driver on this host"
  else
    warn "nvidia-smi not found on this host (fine for a remote Docker context; the container check below decides)"
  fi
  if ! docker info --format '{{json .Runtimes}}' 2>/dev/null | grep -qi nvidia; then
    warn "no 'nvidia' runtime registered in 'docker info'; --gpus may still work through CDI/the toolkit hook"
  fi
fi

# 3. Build.
if [[ "${SKIP_BUILD}" != "1" ]]; then
  log "building ${IMAGE} (target gpu, models ${MODEL_PRESET}); the first build downloads several GB"
  docker build --target gpu --build-arg "MODEL_PRESET=${MODEL_PRESET}" -t "${IMAGE}" . ||
    die "docker build failed (see the output above)"
else
  docker image inspect "${IMAGE}" >/dev/null 2>&1 || die "SKIP_BUILD=1 but image ${IMAGE} does not exist"
fi

# 4. Can containers see the GPU? (nvidia-smi is mounted in by the NVIDIA Container Toolkit.)
if [[ "${SKIP_GPU_CHECK}" != "1" ]]; then
  log "checking GPU access from a container"
  if ! docker run --rm --gpus all --entrypoint nvidia-smi "${IMAGE}" -L; then
    die "containers cannot use the GPU: install/configure the NVIDIA Container Toolkit (nvidia-ctk runtime configure --runtime=docker; restart docker), or run the CPU image (docker compose -f deploy/compose/docker-compose.cpu.yml up -d --build)"
  fi
fi

# 5. (Re)start the container.
if docker container inspect "${CONTAINER_NAME}" >/dev/null 2>&1; then
  log "removing the existing container ${CONTAINER_NAME}"
  docker rm -f "${CONTAINER_NAME}" >/dev/null || die "cannot remove the existing container ${CONTAINER_NAME}"
fi

run_args=(
  --detach
  --name "${CONTAINER_NAME}"
  --gpus all
  --publish "${HOST_PORT}:8080"
  --restart unless-stopped
  --shm-size 1g
  --stop-timeout 90
  --security-opt no-new-privileges:true
  --cap-drop ALL
  --log-driver json-file --log-opt max-size=10m --log-opt max-file=3
)
if [[ -f "${ENV_FILE}" ]]; then
  log "using settings from ${ENV_FILE}"
  run_args+=(--env-file "${ENV_FILE}")
fi
log "starting ${CONTAINER_NAME} on port ${HOST_PORT}"
docker run "${run_args[@]}" "${IMAGE}" >/dev/null ||
  die "docker run failed (is port ${HOST_PORT} already in use? try HOST_PORT=8081)"

# 6. Wait for GET /health == 200.
health_url="http://127.0.0.1:${HOST_PORT}/health"
http_status() {
  if command -v curl >/dev/null 2>&1; then
    curl --silent --output /dev/null --max-time 5 --write-out '%{http_code}' "$1" || true
  elif command -v python3 >/dev/null 2>&1; then
    python3 - "$1" <<'PY' || true
import sys, urllib.error, urllib.request
try:
    print(urllib.request.urlopen(sys.argv[1], timeout=5).status, end="")
except urllib.error.HTTPError as error:
    print(error.code, end="")
except Exception:
    print("000", end="")
PY
  else
    # No HTTP client on the host: ask Docker for the image's HEALTHCHECK result.
    local health
    health="$(docker inspect --format '{{.State.Health.Status}}' "${CONTAINER_NAME}" 2>/dev/null || true)"
    if [[ "${health}" == "healthy" ]]; then printf '200'; else printf '000'; fi
  fi
}
fail_with_logs() {
  printf 'ERROR: %s\n' "$1" >&2
  printf -- '---- last 200 lines of container logs (%s) ----\n' "${CONTAINER_NAME}" >&2
  docker logs --tail 200 "${CONTAINER_NAME}" >&2 || true
  exit 1
}

log "waiting up to ${HEALTH_TIMEOUT}s for ${health_url} (model load and warm-up)"
deadline=$((SECONDS + HEALTH_TIMEOUT))
status="000"
while ((SECONDS < deadline)); do
  running="$(docker inspect --format '{{.State.Running}}' "${CONTAINER_NAME}" 2>/dev/null || echo false)"
  [[ "${running}" == "true" ]] || fail_with_logs "the container stopped during startup"
  status="$(http_status "${health_url}")"
  [[ "${status}" == "200" ]] && break
  sleep "${POLL_INTERVAL}"
done
[[ "${status}" == "200" ]] || fail_with_logs "GET ${health_url} did not return 200 within ${HEALTH_TIMEOUT}s (last status ${status})"

base_url="http://localhost:${HOST_PORT}"
log "the invoice OCR API is up"
printf '  API docs:     %s/docs\n' "${base_url}"
printf '  Health:       %s/health\n' "${base_url}"
printf '  OCR:          POST %s/ocr/     (multipart field "file")\n' "${base_url}"
printf '  Invoice:      POST %s/invoice/\n' "${base_url}"
printf '  Logs:         docker logs -f %s\n' "${CONTAINER_NAME}"
printf '  Example:      curl -F "file=@invoice.pdf" %s/ocr/\n' "${base_url}"
