"""A scripted HTTP server on 127.0.0.1 for fetch tests: each path answers a list of responses
in turn (the last one repeats), and every request is recorded."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import quote, unquote


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    hang_seconds: float = 0.0  # wait this long (or until the server stops) before answering
    declared_length: int | None = None  # a Content-Length other than the body's: truncation
    not_modified_if: dict[str, str] = field(default_factory=dict)  # request header -> value
    send_length: bool = True  # False: no Content-Length; the body ends when the server closes
    stall_after: int | None = None  # send this many bytes of the body, then hang


@dataclass
class Request:
    path: str
    headers: dict[str, str]


class ScriptedServer:
    def __init__(self):
        self.routes: dict[str, list[Reply]] = {}
        self.requests: list[Request] = []
        self.stopping = threading.Event()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._server.block_on_close = False
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def url(self, path: str) -> str:
        return self.base_url + quote(path)

    def route(self, path: str, *replies: Reply) -> None:
        self.routes[path] = list(replies)

    def paths_requested(self) -> list[str]:
        return [request.path for request in self.requests]

    def __enter__(self) -> ScriptedServer:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stopping.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def _next_reply(self, path: str) -> Reply:
        replies = self.routes.get(path)
        if not replies:
            return Reply(status=404, body=b"not found")
        return replies.pop(0) if len(replies) > 1 else replies[0]

    def _handler(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (the http.server API)
                path = unquote(self.path)
                server.requests.append(Request(path, dict(self.headers.items())))
                reply = server._next_reply(path)
                if reply.hang_seconds:
                    server.stopping.wait(reply.hang_seconds)
                status = reply.status
                if reply.not_modified_if and all(
                    self.headers.get(name) == value for name, value in reply.not_modified_if.items()
                ):
                    status = 304
                try:
                    self.send_response(status)
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    body = b"" if status == 304 else reply.body
                    length = reply.declared_length if reply.declared_length else len(body)
                    if status != 304 and reply.send_length:
                        self.send_header("Content-Length", str(length))
                    self.end_headers()
                    if reply.stall_after is not None:
                        self.wfile.write(body[: reply.stall_after])
                        self.wfile.flush()
                        server.stopping.wait(60)
                        return
                    self.wfile.write(body)
                    self.wfile.flush()
                except OSError:  # the client gave up first
                    pass
                self.close_connection = True

            def log_message(self, *args):  # keep test output quiet
                pass

        return Handler
