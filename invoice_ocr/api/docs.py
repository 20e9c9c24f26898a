"""`/docs` (Swagger UI) and `/redoc` served with their scripts from this server, not a CDN.

FastAPI's own pages load Swagger UI and ReDoc from a CDN, so they are blank on a machine
without internet access (the offline laptop, an air-gapped server). The assets come from
the pinned `fastapi-offline` wheel, used only as a carrier of those files (its app factory
is not used: the app keeps its own construction).
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from fastapi import APIRouter, FastAPI, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from fastapi.responses import FileResponse, HTMLResponse

DOCS_PATH = "/docs"
REDOC_PATH = "/redoc"
OAUTH2_REDIRECT_PATH = "/docs/oauth2-redirect"
ASSETS_PATH = "/docs/assets"
ASSETS = Path(str(files("fastapi_offline") / "static"))
_MEDIA_TYPES = {".js": "text/javascript", ".css": "text/css", ".png": "image/png"}
_ASSET_NAMES = ("swagger-ui-bundle.js", "swagger-ui.css", "redoc.standalone.js", "favicon.png")


def _asset_route(router: APIRouter, name: str) -> None:
    path = ASSETS / name

    async def asset() -> FileResponse:
        return FileResponse(path, media_type=_MEDIA_TYPES[path.suffix], headers={"Cache-Control": "max-age=86400"})

    # One exact path per file (not a mount): the API-key middleware lets exact public paths through.
    router.add_api_route(f"{ASSETS_PATH}/{name}", asset, methods=["GET"], include_in_schema=False)


def docs_router(app: FastAPI) -> APIRouter:
    """The docs pages and their assets for `app` (created with `docs_url=None, redoc_url=None`)."""
    router = APIRouter()

    @router.get(DOCS_PATH, include_in_schema=False)
    async def swagger(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        return get_swagger_ui_html(
            openapi_url=f"{root}{app.openapi_url}",
            title=f"{app.title} - Swagger UI",
            oauth2_redirect_url=f"{root}{OAUTH2_REDIRECT_PATH}",
            swagger_js_url=f"{root}{ASSETS_PATH}/swagger-ui-bundle.js",
            swagger_css_url=f"{root}{ASSETS_PATH}/swagger-ui.css",
            swagger_favicon_url=f"{root}{ASSETS_PATH}/favicon.png",
        )

    @router.get(OAUTH2_REDIRECT_PATH, include_in_schema=False)
    async def oauth2_redirect() -> HTMLResponse:
        return get_swagger_ui_oauth2_redirect_html()

    @router.get(REDOC_PATH, include_in_schema=False)
    async def redoc(request: Request) -> HTMLResponse:
        root = request.scope.get("root_path", "")
        return get_redoc_html(
            openapi_url=f"{root}{app.openapi_url}",
            title=f"{app.title} - ReDoc",
            redoc_js_url=f"{root}{ASSETS_PATH}/redoc.standalone.js",
            redoc_favicon_url=f"{root}{ASSETS_PATH}/favicon.png",
            with_google_fonts=False,
        )

    for name in _ASSET_NAMES:
        _asset_route(router, name)
    return router
