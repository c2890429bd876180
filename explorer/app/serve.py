"""The dashboard's server: Streamlit's ASGI app behind a host check and an origin check.

``stakeholder-explorer app`` runs ``streamlit run explorer/app/serve.py -- FILE``; Streamlit
finds the ``app`` below and serves ``main.py`` (the page) through it. Two guards run before
any of Streamlit's own code sees a request:

- **Host** (DNS rebinding): a page on ``attacker.example`` whose name resolves to 127.0.0.1
  sends ``Host: attacker.example``. Starlette's ``TrustedHostMiddleware`` answers 400 to any
  request, page or WebSocket, whose Host is not in ``server.allowedHosts`` (127.0.0.1,
  localhost and what ``app --host`` names).
- **Origin**: a WebSocket opened by a page of another origin is refused here, before
  Streamlit's own origin check, which would look up this machine's public address on an
  outside host (``net_util.get_external_ip``) to compare against.

Beside Streamlit's own routes it serves the graph page (``explorer.app.graph_page``): one
static, content-hashed document the graph frame loads by URL, behind the same Host check.

Streamlit's public-address lookup is also switched off for the whole process: the
dashboard never needs it and must never reach the internet.
"""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlsplit

from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Receive, Scope, Send
from streamlit import config, net_util
from streamlit.starlette import App

from explorer.app import graph_page

#: Host names the dashboard answers to when no other is configured.
LOCAL_HOSTS = ("127.0.0.1", "localhost")


def allowed_hosts() -> list[str]:
    """127.0.0.1, localhost and the hosts set in ``server.allowedHosts``, lower case."""
    configured = config.get_option("server.allowedHosts") or []
    hosts = [*LOCAL_HOSTS, *(str(h) for h in configured)]
    return list(dict.fromkeys(h.strip().lower().rstrip(".") for h in hosts if h.strip()))


class SameOriginWebSockets:
    """Refuse a WebSocket whose ``Origin`` names a host that is not allowed.

    A browser always sends ``Origin`` on a WebSocket; a page served from another host (or a
    rebinding name) is refused with 403 before the handshake completes. A client that sends
    no ``Origin`` is not a browser page and cannot carry a visitor's access.
    """

    def __init__(self, app: ASGIApp, hosts: Sequence[str]) -> None:
        self.app = app
        self.hosts = frozenset(hosts)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":
            origin = dict(scope.get("headers") or []).get(b"origin")
            if origin is not None and not self._allowed(origin.decode("latin-1")):
                await PlainTextResponse("Cross-origin WebSocket refused", status_code=403)(
                    scope, receive, send
                )
                return
        await self.app(scope, receive, send)

    def _allowed(self, origin: str) -> bool:
        try:
            parts = urlsplit(origin)
            host = (parts.hostname or "").rstrip(".")
        except ValueError:
            return False
        return parts.scheme in {"http", "https"} and host in self.hosts


def _no_public_address() -> None:
    """Never ask an outside host for this machine's address (Streamlit does, to check origins)."""
    return None


net_util.get_external_ip = _no_public_address

_hosts = allowed_hosts()
graph_page.enable_route()
app = App(
    "main.py",
    routes=[graph_page.route()],
    middleware=[
        Middleware(TrustedHostMiddleware, allowed_hosts=_hosts, www_redirect=False),
        Middleware(SameOriginWebSockets, hosts=_hosts),
    ],
)
