"""The graph page the dashboard's server serves: cached by URL, locked down, local only.

Starts the real server as ``stakeholder-explorer app`` does and asks it for the page over raw
HTTP, with the Host header a browser on this machine sends and one an attacker's page sends.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator

import pytest
from browser import free_port, start_dashboard

from explorer import bundled_map
from explorer.app import graph_page
from explorer.render.html import PAGE_CSP, page_shell

pytestmark = pytest.mark.skipif(os.name != "posix", reason="the server runs on POSIX")


def get(port: int, path: str, host: str, method: str = "GET") -> tuple[str, dict[str, str], bytes]:
    """One HTTP/1.0 request to 127.0.0.1:port: the status line, headers (lower case), body."""
    request = f"{method} {path} HTTP/1.0\r\nHost: {host}\r\nAccept-Encoding: gzip\r\n\r\n"
    with socket.create_connection(("127.0.0.1", port), timeout=60) as conn:
        conn.sendall(request.encode())
        answer = b""
        while part := conn.recv(65536):
            answer += part
    head, _, body = answer.partition(b"\r\n\r\n")
    status, *lines = head.decode("latin-1").split("\r\n")
    headers = {}
    for line in lines:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return status, headers, body


@pytest.fixture(scope="module")
def server() -> Iterator[int]:
    port = free_port()
    with start_dashboard(bundled_map(), port=port):
        yield port


def test_the_page_is_served_whole_with_its_policy_and_a_long_cache(server: int) -> None:
    status, headers, body = get(server, graph_page.page_url(), f"127.0.0.1:{server}")
    assert status.endswith("200 OK")
    # The page the frame loads, byte for byte, sent as is (not compressed on every request).
    assert body == page_shell().encode("utf-8")
    assert headers["content-type"] == "text/html; charset=utf-8"
    assert headers.get("content-encoding", "identity") == "identity"
    # No fetch of any kind from the page (its meta policy), and no other site may frame it.
    assert f'<meta http-equiv="Content-Security-Policy" content="{PAGE_CSP}">'.encode() in body
    assert "default-src 'none'" in PAGE_CSP
    assert headers["content-security-policy"] == "frame-ancestors 'self'"
    # Its URL names its content, so the browser keeps it and never asks again.
    assert headers["cache-control"] == "public, max-age=31536000, immutable"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"
    # vis-network is read from the installed pyvis, never a copy in this project.
    assert b"vis-network" in body and b'<script src="http' not in body


def test_the_page_is_refused_to_a_foreign_host(server: int) -> None:
    # A page on attacker.example whose name resolves to 127.0.0.1 (DNS rebinding).
    status, _, body = get(server, graph_page.page_url(), "attacker.example")
    assert status.endswith("400 Bad Request")
    assert b"vis-network" not in body
    status, _, _ = get(server, graph_page.page_url(), f"localhost:{server}", method="HEAD")
    assert status.endswith("200 OK")


def test_only_the_current_page_is_served(server: int) -> None:
    # Another name (an old page, a guess, a path outside) is not this route's page.
    for path in ("/graph-page/0000000000000000.html", "/graph-page/..%2F..%2Fpyproject.toml.html"):
        status, _, body = get(server, path, f"127.0.0.1:{server}")
        assert status.split()[1] in {"400", "404"}, status  # refused or not found
        assert b"vis-network" not in body
    # Any other path is Streamlit's own page, never the graph page.
    status, _, body = get(server, graph_page.page_url()[:-5] + ".js", f"127.0.0.1:{server}")
    assert b"vis-network" not in body
