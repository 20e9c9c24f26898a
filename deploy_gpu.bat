@echo off
rem Build the GPU image and (re)start the invoice OCR API container on Windows
rem (Docker Desktop with the WSL 2 backend and an NVIDIA driver with WSL support).
rem
rem   deploy_gpu.bat
rem   set HOST_PORT=9090 & set HEALTH_TIMEOUT=600 & deploy_gpu.bat
rem
rem Settings (environment variables): IMAGE_NAME (paddleocr-invoice-api-gpu), IMAGE_TAG (latest),
rem CONTAINER_NAME (paddleocr-api), HOST_PORT (8080), HEALTH_TIMEOUT seconds (300),
rem POLL_INTERVAL seconds (5), ENV_FILE (.env, used when it exists), MODEL_PRESET (pp-ocrv6-medium),
rem SKIP_BUILD=1, SKIP_GPU_CHECK=1. Exits with status 1 and a message on every failure.
setlocal EnableExtensions EnableDelayedExpansion

if not defined IMAGE_NAME set "IMAGE_NAME=paddleocr-invoice-api-gpu"
if not defined IMAGE_TAG set "IMAGE_TAG=latest"
if not defined CONTAINER_NAME set "CONTAINER_NAME=paddleocr-api"
if not defined HOST_PORT set "HOST_PORT=8080"
if not defined HEALTH_TIMEOUT set "HEALTH_TIMEOUT=300"
if not defined POLL_INTERVAL set "POLL_INTERVAL=5"
if not defined ENV_FILE set "ENV_FILE=.env"
if not defined MODEL_PRESET set "MODEL_PRESET=pp-ocrv6-medium"
set "IMAGE=%IMAGE_NAME%:%IMAGE_TAG%"

rem Run from the repository root (this script's folder).
cd /d "%~dp0" || (set "MSG=cannot change to %~dp0" & goto :fail)
if not exist Dockerfile (set "MSG=Dockerfile not found in %CD%" & goto :fail)

rem 1. Docker client and daemon.
where docker >nul 2>&1 || (set "MSG=docker is not installed or not on PATH (install Docker Desktop)" & goto :fail)
docker info >nul 2>&1 || (set "MSG=cannot reach the Docker daemon: is Docker Desktop running?" & goto :fail)

rem 2. NVIDIA: a first look now, the real test after the build.
if "%SKIP_GPU_CHECK%"=="1" goto :build
where nvidia-smi >nul 2>&1
if errorlevel 1 (
  echo WARNING: nvidia-smi not found on this host; the container check below decides.
) else (
  nvidia-smi -L || (set "MSG=nvidia-smi fails: check the NVIDIA driver" & goto :fail)
)

:build
if "%SKIP_BUILD%"=="1" (
  docker image inspect "%IMAGE%" >nul 2>&1 || (set "MSG=SKIP_BUILD=1 but image %IMAGE% does not exist" & goto :fail)
  goto :gpucheck
)
echo ==^> building %IMAGE% (target gpu, models %MODEL_PRESET%); the first build downloads several GB
docker build --target gpu --build-arg "MODEL_PRESET=%MODEL_PRESET%" -t "%IMAGE%" .
if errorlevel 1 (set "MSG=docker build failed (see the output above)" & goto :fail)

:gpucheck
if "%SKIP_GPU_CHECK%"=="1" goto :run
echo ==^> checking GPU access from a container
docker run --rm --gpus all --entrypoint nvidia-smi "%IMAGE%" -L
if errorlevel 1 (set "MSG=containers cannot use the GPU: update the NVIDIA driver and Docker Desktop (WSL 2 backend), or use the CPU image: docker compose -f deploy/compose/docker-compose.cpu.yml up -d --build" & goto :fail)

:run
docker container inspect "%CONTAINER_NAME%" >nul 2>&1
if not errorlevel 1 (
  echo ==^> removing the existing container %CONTAINER_NAME%
  docker rm -f "%CONTAINER_NAME%" >nul || (set "MSG=cannot remove the existing container %CONTAINER_NAME%" & goto :fail)
)
set "ENV_ARGS="
if exist "%ENV_FILE%" (
  echo ==^> using settings from %ENV_FILE%
  set "ENV_ARGS=--env-file "%ENV_FILE%""
)
echo ==^> starting %CONTAINER_NAME% on port %HOST_PORT%
docker run --detach --name "%CONTAINER_NAME%" --gpus all --publish "%HOST_PORT%:8080" --restart unless-stopped --shm-size 1g --stop-timeout 90 --security-opt no-new-privileges:true --cap-drop ALL --log-driver json-file --log-opt max-size=10m --log-opt max-file=3 !ENV_ARGS! "%IMAGE%" >nul
if errorlevel 1 (set "MSG=docker run failed (is port %HOST_PORT% already in use? set HOST_PORT=8081)" & goto :fail)

rem 3. Wait for GET /health == 200: curl.exe (Windows 10 1803+ and 11), else PowerShell.
set "HEALTH_URL=http://127.0.0.1:%HOST_PORT%/health"
set "HAVE_CURL=0"
where curl.exe >nul 2>&1 && set "HAVE_CURL=1"
set /a "PING_COUNT=POLL_INTERVAL+1"
echo ==^> waiting up to %HEALTH_TIMEOUT%s for %HEALTH_URL% (model load and warm-up)
set /a "ELAPSED=0"
:wait
set "RUNNING=false"
for /f "tokens=*" %%R in ('docker inspect --format "{{.State.Running}}" "%CONTAINER_NAME%" 2^>nul') do set "RUNNING=%%R"
if /i not "!RUNNING!"=="true" (set "MSG=the container stopped during startup" & goto :faillogs)
set "STATUS=000"
if "%HAVE_CURL%"=="1" (
  for /f "tokens=*" %%S in ('curl.exe --silent --output NUL --max-time 5 --write-out "%%{http_code}" "%HEALTH_URL%" 2^>nul') do set "STATUS=%%S"
) else (
  for /f "tokens=*" %%S in ('powershell -NoProfile -Command "try { (Invoke-WebRequest -UseBasicParsing -TimeoutSec 5 -Uri '%HEALTH_URL%').StatusCode } catch { if ($_.Exception.Response) { [int]$_.Exception.Response.StatusCode } else { 0 } }" 2^>nul') do set "STATUS=%%S"
)
if "!STATUS!"=="200" goto :ready
if !ELAPSED! geq %HEALTH_TIMEOUT% (set "MSG=GET %HEALTH_URL% did not return 200 within %HEALTH_TIMEOUT%s (last status !STATUS!)" & goto :faillogs)
rem `timeout` refuses redirected input (CI, scheduled tasks); ping waits about 1 s per echo.
ping -n %PING_COUNT% 127.0.0.1 >nul
set /a "ELAPSED+=POLL_INTERVAL"
goto :wait

:ready
set "BASE_URL=http://localhost:%HOST_PORT%"
echo ==^> the invoice OCR API is up
echo   API docs:  %BASE_URL%/docs
echo   Health:    %BASE_URL%/health
echo   OCR:       POST %BASE_URL%/ocr/   (multipart field "file")
echo   Invoice:   POST %BASE_URL%/invoice/
echo   Logs:      docker logs -f %CONTAINER_NAME%
echo   Example:   curl.exe -F "file=@invoice.pdf" %BASE_URL%/ocr/
endlocal
exit /b 0

:faillogs
echo ERROR: !MSG! 1>&2
echo ---- last 200 lines of container logs (%CONTAINER_NAME%) ---- 1>&2
docker logs --tail 200 "%CONTAINER_NAME%" 1>&2
endlocal
exit /b 1

:fail
echo ERROR: !MSG! 1>&2
endlocal
exit /b 1
