"""Names the web view's tests share (a module of its own: ``conftest`` is not importable by
name when pytest collects several test directories at once)."""

from __future__ import annotations

import socket
from dataclasses import dataclass

SCRIPT_NAME = "<script>alert(1)</script>"
FORMULA_NAME = '=HYPERLINK("x")'


@dataclass
class LiveServer:
    """A running ``pmo serve`` server: its root URL and its origin."""

    url: str
    origin: str


def free_port_in_use() -> tuple[socket.socket, int]:
    """A loopback port some other socket is listening on."""
    sock = socket.create_server(("127.0.0.1", 0))
    return sock, sock.getsockname()[1]
