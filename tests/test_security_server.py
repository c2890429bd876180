"""The dashboard server: DNS rebinding, cross-origin WebSockets, no egress, signals.

These start the real server as ``stakeholder-explorer app`` does and speak raw HTTP to it,
so that the Host and Origin headers are exactly what an attacker's page would send.
"""

from __future__ import annotations

import base64
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser import ServerDidNotStart, free_port, start_dashboard, stop, wait_healthy

from explorer import bundled_map
from explorer.cli import SERVER_SCRIPT, app_argv

pytestmark = pytest.mark.skipif(os.name != "posix", reason="signals and exec are POSIX")


def request(port: int, lines: list[str]) -> str:
    """Send one raw HTTP request to 127.0.0.1:port; return the status line of the answer."""
    with socket.create_connection(("127.0.0.1", port), timeout=30) as conn:
        conn.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
        answer = b""
        while b"\r\n" not in answer:
            part = conn.recv(4096)
            if not part:
                break
            answer += part
    return answer.split(b"\r\n", 1)[0].decode()


def page(port: int, host: str) -> str:
    return request(port, ["GET / HTTP/1.1", f"Host: {host}", "Connection: close"])


def websocket(port: int, host: str, origin: str | None) -> str:
    key = base64.b64encode(os.urandom(16)).decode()
    lines = [
        "GET /_stcore/stream HTTP/1.1",
        f"Host: {host}",
        "Upgrade: websocket",
        "Connection: Upgrade",
        f"Sec-WebSocket-Key: {key}",
        "Sec-WebSocket-Version: 13",
        "Sec-WebSocket-Protocol: streamlit",
    ]
    if origin is not None:
        lines.append(f"Origin: {origin}")
    return request(port, lines)


@pytest.fixture(scope="module")
def server() -> Iterator[int]:
    port = free_port()
    with start_dashboard(bundled_map(), port=port):
        yield port


def test_the_app_command_serves_through_the_guarded_script() -> None:
    argv = app_argv("map.yaml", 8600, ("maps.example.org",))
    assert argv[1:5] == ["-m", "streamlit", "run", str(SERVER_SCRIPT)]
    hosts = [argv[i + 1] for i, a in enumerate(argv) if a == "--server.allowedHosts"]
    assert hosts == ["127.0.0.1", "localhost", "maps.example.org"]


def test_a_page_request_with_a_foreign_host_is_refused(server: int) -> None:
    # The same request with our own Host is served, so the refusal is about the Host.
    assert page(server, f"127.0.0.1:{server}").endswith("200 OK")
    assert page(server, f"localhost:{server}").endswith("200 OK")
    assert page(server, "attacker.example").endswith("400 Bad Request")
    assert page(server, f"attacker.example:{server}").endswith("400 Bad Request")


def test_a_websocket_with_a_foreign_host_is_refused(server: int) -> None:
    own = f"http://127.0.0.1:{server}"
    assert websocket(server, f"127.0.0.1:{server}", own).endswith("101 Switching Protocols")
    # DNS rebinding: attacker.example resolves to 127.0.0.1; the browser sends its name.
    refused = websocket(server, f"attacker.example:{server}", f"http://attacker.example:{server}")
    assert refused.endswith("400 Bad Request")


@pytest.mark.parametrize(
    "origin",
    [
        "http://attacker.example",
        "null",
        "http://127.0.0.1.attacker.example",
        # A page served on another port of this machine is another origin.
        "http://127.0.0.1:{other}",
        "http://127.0.0.1",
        "http://127.0.0.1:{port}.attacker.example",
        "https://127.0.0.1:{port}@attacker.example",
    ],
)
def test_a_cross_origin_websocket_is_refused(server: int, origin: str) -> None:
    origin = origin.format(port=server, other=server + 1)
    assert websocket(server, f"127.0.0.1:{server}", origin).endswith("403 Forbidden")


def test_a_host_named_with_app_host_is_served(tmp_path: Path) -> None:
    port = free_port()
    argv = app_argv(bundled_map(), port, ("maps.example.org",))
    with start_dashboard(argv=argv, port=port, log_path=tmp_path / "log"):
        assert page(port, "maps.example.org").endswith("200 OK")
        assert websocket(port, "maps.example.org", "https://maps.example.org").endswith(
            "101 Switching Protocols"
        )
        assert page(port, "other.example.org").endswith("400 Bad Request")


def test_streamlits_origin_check_never_asks_an_outside_host(tmp_path: Path) -> None:
    # Streamlit compares a foreign origin with this machine's public address, which it
    # looks up on checkip.amazonaws.com; the served app switches that lookup off.
    code = (
        "import streamlit.net_util as n\n"
        "calls = []\n"
        "n._make_blocking_http_get = lambda url, timeout=5: calls.append(url)\n"
        "import explorer.app.serve\n"
        "from streamlit.web.server.server_util import is_url_from_allowed_origins\n"
        "print(is_url_from_allowed_origins('http://attacker.example'), calls)\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("STREAMLIT_")}
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**env, "HOME": str(tmp_path)},
        timeout=120,
        check=True,
    )
    assert out.stdout.strip() == "False []"


# --- signals: the app command stops with its server ----------------------------------------


def port_closed(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(1)
        return probe.connect_ex(("127.0.0.1", port)) != 0


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP], ids=str)
def test_a_signal_to_the_app_command_stops_the_server(tmp_path: Path, signum: int) -> None:
    port = free_port()
    log = (tmp_path / "log").open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "explorer", "app", str(bundled_map()), "--port", str(port)],
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, "STAKEHOLDER_EXPLORER_FILE": ""},
    )
    try:
        try:
            wait_healthy(f"http://127.0.0.1:{port}", proc)
        except ServerDidNotStart as error:
            pytest.fail(f"{error}\n{(tmp_path / 'log').read_text(errors='replace')}")
        proc.send_signal(signum)
        proc.wait(timeout=30)
        # The command's own process was the server; nothing is left listening.
        deadline = time.monotonic() + 30
        while not port_closed(port):
            assert time.monotonic() < deadline, "the server still answers after the signal"
            time.sleep(0.05)  # polling interval of the condition
    finally:
        stop(proc)
        log.close()
