"""The HTTP connection layer: uvicorn's httptools protocol with the limits a public server needs.

uvicorn times out idle keep-alive connections but not a request whose headers or body arrive
slowly, caps neither header nor body size, and accepts connections without limit. Here:

- a request's headers must arrive within `header_timeout` seconds of its first byte (or of the
  connection), and its body within `body_timeout` of the headers, or the connection is closed;
- request line and headers together are at most `max_header_bytes` (431 otherwise);
- a body is at most `max_body_bytes`, by Content-Length before it is read or by count while
  it streams (413 otherwise);
- beyond `max_connections` open connections, a new one is closed at once, so that a flood of
  half-open connections cannot use up the process's file descriptors.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol


@dataclass(frozen=True)
class Limits:
    header_timeout: float = 10.0
    body_timeout: float = 30.0
    max_header_bytes: int = 64 * 1024
    max_body_bytes: int = 4 * 1024 * 1024
    max_connections: int = 1000


def protocol_for(limits: Limits) -> type[HttpToolsProtocol]:
    """An httptools protocol class for uvicorn's `http=` setting, enforcing `limits`."""

    class LimitedHttpProtocol(_LimitedHttpProtocol):
        LIMITS = limits

    return LimitedHttpProtocol


_REASONS = {
    408: b"Request Timeout",
    413: b"Content Too Large",
    431: b"Request Header Fields Too Large",
}


class _LimitedHttpProtocol(HttpToolsProtocol):
    LIMITS = Limits()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._timer: asyncio.TimerHandle | None = None
        self._header_bytes = 0
        self._body_bytes = 0
        self._in_headers = False
        self._refused = False

    # ---- connection
    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        if len(self.connections) > self.LIMITS.max_connections:
            transport.abort()  # over the cap: no file descriptor kept for it
            return
        self._in_headers = True
        self._arm(self.LIMITS.header_timeout, 408)

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self._refused:
            return
        if not self._in_headers and (self.cycle is None or self.cycle.response_complete) and self._timer is None:
            self._in_headers = True  # the first bytes of the next request on a kept-alive connection
            self._header_bytes = 0
            self._arm(self.LIMITS.header_timeout, 408)
        super().data_received(data)

    # ---- parser callbacks
    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._header_bytes = 0
        self._body_bytes = 0
        if not self._in_headers:
            self._in_headers = True
            self._arm(self.LIMITS.header_timeout, 408)

    def on_url(self, url: bytes) -> None:
        self._count_header(len(url))
        super().on_url(url)

    def on_header(self, name: bytes, value: bytes) -> None:
        self._count_header(len(name) + len(value) + 4)
        if not self._refused:
            super().on_header(name, value)

    def on_headers_complete(self) -> None:
        if self._refused:
            return
        self._in_headers = False
        self._disarm()
        length = next((v for k, v in self.headers if k == b"content-length"), None)
        if length is not None and length.strip().isdigit() and int(length) > self.LIMITS.max_body_bytes:
            self._refuse(413, f"the request body may be at most {self.LIMITS.max_body_bytes:,} bytes")
            return
        chunked = any(k == b"transfer-encoding" for k, _ in self.headers)
        if chunked or (length is not None and length.strip() not in (b"", b"0")):
            self._arm(self.LIMITS.body_timeout, 408)
        super().on_headers_complete()

    def on_body(self, body: bytes) -> None:
        if self._refused:
            return
        self._body_bytes += len(body)
        if self._body_bytes > self.LIMITS.max_body_bytes:
            self._refuse(413, f"the request body may be at most {self.LIMITS.max_body_bytes:,} bytes")
            return
        super().on_body(body)

    def on_message_complete(self) -> None:
        self._disarm()
        if not self._refused:
            super().on_message_complete()

    # ---- helpers
    def _count_header(self, n: int) -> None:
        self._header_bytes += n
        if self._header_bytes > self.LIMITS.max_header_bytes and not self._refused:
            self._refuse(431, f"request line and headers may be at most {self.LIMITS.max_header_bytes:,} bytes")

    def _arm(self, seconds: float, status: int) -> None:
        self._disarm()
        self._timer = self.loop.call_later(seconds, self._expire, status)

    def _disarm(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def _expire(self, status: int) -> None:
        self._timer = None
        if self.transport is None or self.transport.is_closing():
            return
        if self.cycle is not None and not self.cycle.response_complete and not self._in_headers:
            self._refuse(status, "the request body did not arrive in time")
            return
        self._refuse(status, "the request did not arrive in time")

    def _refuse(self, status: int, message: str) -> None:
        """Answer `status` with `message` (unless a response has begun) and close the connection."""
        self._refused = True
        self._disarm()
        if self.transport is None or self.transport.is_closing():
            return
        started = self.cycle is not None and getattr(self.cycle, "response_started", False)
        if self.cycle is not None and not self.cycle.response_complete:
            self.cycle.disconnected = True  # the application's answer, if any, is not sent
            self.cycle.message_event.set()
        if not started:
            body = (message + "\n").encode()
            head = b"HTTP/1.1 %d %s\r\n" % (status, _REASONS[status])
            head += b"content-type: text/plain; charset=utf-8\r\ncontent-length: %d\r\n" % len(body)
            head += b"connection: close\r\n\r\n"
            self.transport.write(head + body)
        self.transport.close()
