"""The Starlette app: the routes, the read-only guard, the security headers and the error
pages.

Only GET and HEAD reach a page; any other method is answered 405 before routing, so no
request can write. Every response carries a Content-Security-Policy that allows no script,
no frame and no request to another origin, and, when the app serves the loopback interface
only, a Host header other than ``localhost`` or ``127.0.0.1`` is refused (a DNS-rebinding
page in the user's browser cannot read the view).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Sequence
from datetime import date, datetime
from pathlib import Path

from starlette.applications import Starlette
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from pmo_core import InvalidInputError, NotFoundError, PluginError, PmoError

from . import _pages
from ._html import Nav, page

logger = logging.getLogger("pmo_web")

READ_METHODS = ("GET", "HEAD")
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
_TITLES = {400: "Bad request", 404: "Not found", 405: "Method not allowed", 500: "Server error"}


def _error_page(
    status: int,
    message: str,
    *,
    base: str = "",
    parameter: str | None = None,
    plugin: str | None = None,
    headers: dict[str, str] | None = None,
) -> HTMLResponse:
    nav = Nav(home=f"{base}/", reports=f"{base}/reports", status_date="", known="")
    title = _TITLES.get(status, "Error")
    html = page(
        "error.html", title=title, nav=nav, message=message, parameter=parameter, plugin=plugin
    )
    return HTMLResponse(html, status_code=status, headers=headers)


def _base(scope: Scope) -> str:
    return str(scope.get("root_path", "")).rstrip("/")


Endpoint = Callable[[Request], Response]


def _pmo_errors(endpoint: Endpoint) -> Endpoint:
    """A page whose errors are error pages: a bad parameter 400 naming it, an unknown key or
    report 404, a failing plugin 500 naming the plugin; never a traceback."""

    @functools.wraps(endpoint)
    def run(request: Request) -> Response:
        base = _base(request.scope)
        try:
            return endpoint(request)
        except InvalidInputError as exc:
            return _error_page(400, exc.message, base=base, parameter=exc.where)
        except NotFoundError as exc:
            return _error_page(404, str(exc), base=base)
        except PluginError as exc:
            message = str(exc).removeprefix(f"plugin {exc.plugin!r}: ") if exc.plugin else str(exc)
            return _error_page(500, message, base=base, plugin=exc.plugin)
        except PmoError as exc:
            return _error_page(500, str(exc), base=base)
        except Exception:
            # The operator's terminal gets the traceback; the page only says where to look.
            logger.exception("unexpected error serving %s", request.url.path)
            return _error_page(
                500, "Unexpected error: the server's log has the details.", base=base
            )

    return run


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    message = "No such page." if exc.status_code == 404 else str(exc.detail)
    return _error_page(
        exc.status_code, message, base=_base(request.scope), headers=dict(exc.headers or {})
    )


class _SecurityHeaders:
    """Adds :data:`SECURITY_HEADERS` to every response, error pages included."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers[name] = value
            await send(message)

        await self.app(scope, receive, send_with_headers)


class _ReadOnly:
    """Answers every method but GET and HEAD with 405 before any route runs."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] not in READ_METHODS:
            response = _error_page(
                405,
                f"{scope['method']} is not allowed: this view is read-only (GET and HEAD only).",
                base=_base(scope),
                headers={"Allow": ", ".join(READ_METHODS)},
            )
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)


def build_app(
    root: Path,
    *,
    status_date: date | None,
    as_of: date | datetime | None,
    allowed_hosts: Sequence[str] | None,
) -> Starlette:
    """See :func:`pmo_web.create_app`."""
    routes = [
        Route("/", _pmo_errors(_pages.tree), methods=["GET"], name="tree"),
        Route("/entity/{key}", _pmo_errors(_pages.entity), methods=["GET"], name="entity"),
        Route("/reports", _pmo_errors(_pages.report_list), methods=["GET"], name="reports"),
        Route("/reports/{name}", _pmo_errors(_pages.report), methods=["GET"], name="report"),
        Route(
            "/reports/{name}/{scope}",
            _pmo_errors(_pages.report),
            methods=["GET"],
            name="scoped-report",
        ),
    ]
    # The first is the outermost: the headers go on every answer, the refusals included.
    middleware = [Middleware(_SecurityHeaders)]
    if allowed_hosts is not None:
        middleware.append(Middleware(TrustedHostMiddleware, allowed_hosts=list(allowed_hosts)))
    middleware.append(Middleware(_ReadOnly))
    app = Starlette(
        routes=routes, middleware=middleware, exception_handlers={HTTPException: _http_error}
    )
    app.state.pmo_defaults = _pages.Defaults(
        root=Path(root).resolve(), status_date=status_date, as_of=as_of
    )
    return app
