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
    """Refuse a WebSocket whose ``Origin`` is not the dashboard's own page.

    A browser always sends ``Origin`` on a WebSocket; a page served from another host, a
    rebinding name or another port of this machine is refused with 403 before the
    handshake completes. A client that sends
    no ``Origin`` is not a browser page and cannot carry a visitor's access.
    """

    def __init__(self, app: ASGIApp, hosts: Sequence[str]) -> None:
        self.app = app
        self.hosts = frozenset(hosts)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket":
            headers = dict(scope.get("headers") or [])
            origin = headers.get(b"origin")
            host = headers.get(b"host", b"").decode("latin-1")
            if origin is not None and not self._allowed(origin.decode("latin-1"), host):
                await PlainTextResponse("Cross-origin WebSocket refused", status_code=403)(
                    scope, receive, send
                )
                return
        await self.app(scope, receive, send)

    def _allowed(self, origin: str, host: str) -> bool:
        """Whether ``origin`` is the page's own: an allowed host, the very host and port
        the request was sent to (``host``, its Host header), over http or https."""
        try:
            parts = urlsplit(origin)
            served = urlsplit("//" + host)
            name, port = (parts.hostname or "").rstrip("."), parts.port
            served_name, served_port = (served.hostname or "").rstrip("."), served.port
        except ValueError:
            return False
        if parts.scheme not in {"http", "https"} or parts.username or parts.password:
            return False
        if name not in self.hosts or name != served_name:
            return False
        # A Host header without a port was sent to the scheme's own port (a proxy's 443).
        default = 443 if parts.scheme == "https" else 80
        return (port or default) == (served_port or default)


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
