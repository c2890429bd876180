"""The graph page as a static, browser-cached document served beside the dashboard.

The dashboard's graph frame loads its page (``explorer.render.html.page_shell``: the page's
style, vis-network read from the installed pyvis package, and ``page.js``) by URL from this
route instead of receiving half a megabyte of it over Streamlit's WebSocket. The URL names
the page by its content hash, so the browser may keep it for a year: a new page (another
pyvis, another ``page.js``) has a new URL. The view is not part of it: the frame receives
every view, the first one too, as a message.

The route is added by ``serve.py`` (``stakeholder-explorer app``) and runs behind its Host
check. Where the dashboard runs without it (``streamlit run explorer/app/main.py``, tests),
``route_enabled()`` is False and the frame is sent the page inline, as before.

The page carries its Content-Security-Policy in its meta element (no fetch of any kind), as
the exported file does; the answer adds ``frame-ancestors 'self'`` (no other site may frame
it), ``nosniff`` and no referrer.
"""

from __future__ import annotations

import functools

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route
from streamlit import config

__all__ = [
    "CACHE_CONTROL",
    "PAGE_HEADERS",
    "enable_route",
    "page",
    "page_url",
    "route",
    "route_enabled",
]

#: The route's path under the server's base URL; ``{name}`` is the page's content hash.
ROUTE = "/graph-page/{name}.html"
#: A content-hashed URL never changes its content: keep it a year, never revalidate.
CACHE_CONTROL = "public, max-age=31536000, immutable"
#: Headers of the page's answer (besides its type and length).
PAGE_HEADERS = {
    # The page's own policy (no fetch of any kind) is its meta element, as in the exported
    # file; the header adds what only a header can say: no other site may frame the page.
    "Content-Security-Policy": "frame-ancestors 'self'",
    "Cache-Control": CACHE_CONTROL,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    # Sent as is: compressing half a megabyte on every request costs the server more
    # than the bytes cost on this machine's loopback.
    "Content-Encoding": "identity",
}

_enabled = False


def _base() -> str:
    base = str(config.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{base}" if base else ""


@functools.cache
def page() -> tuple[str, str]:
    """The graph page and its content hash, made once per process (on first use: the
    server answers its health check before the page's modules are imported)."""
    from explorer.render.html import page_shell, shell_id

    shell = page_shell()
    return shell, shell_id(shell)


@functools.cache
def _body() -> bytes:
    return page()[0].encode("utf-8")


def page_url() -> str:
    """The path the graph page is served at (its content hash in the name)."""
    return _base() + ROUTE.replace("{name}", page()[1])


async def _answer(request: Request) -> Response:
    if request.path_params.get("name") != page()[1]:
        return PlainTextResponse("Not found", status_code=404)
    return Response(_body(), media_type="text/html; charset=utf-8", headers=PAGE_HEADERS)


def route() -> Route:
    """The Starlette route that serves the page (GET and HEAD)."""
    return Route(_base() + ROUTE, _answer, methods=["GET", "HEAD"])


def enable_route() -> None:
    """Say that this process serves ``route()``: graph frames then load the page by URL."""
    global _enabled
    _enabled = True


def route_enabled() -> bool:
    """Whether this process serves the page at ``page_url()``."""
    return _enabled
