"""`invoice-ocr` command line: `serve` runs the API."""

from __future__ import annotations

import argparse

from invoice_ocr.config import get_settings


def serve(args: argparse.Namespace) -> int:
    import uvicorn

    settings = get_settings()
    uvicorn.run(
        "invoice_ocr.api.app:create_app",
        factory=True,
        host=args.host or settings.host,
        port=args.port or settings.port,
        log_level=settings.log_level.lower(),
    )
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="invoice-ocr", description="Invoice OCR service")
    commands = parser.add_subparsers(dest="command", required=True)
    serve_parser = commands.add_parser("serve", help="serve the HTTP API (settings from OCR_* variables)")
    serve_parser.add_argument("--host", help="bind address (default: OCR_HOST or 0.0.0.0)")
    serve_parser.add_argument("--port", type=int, help="port (default: OCR_PORT, PORT or 8080)")
    serve_parser.set_defaults(handler=serve)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.handler(args)


if __name__ == "__main__":
    raise SystemExit(main())
