"""A local HTTP server (127.0.0.1) publishing a schedule the test changes between polls.

It answers like a real web server: `ETag` and `Last-Modified`, 304 to a matching
`If-None-Match`, and whatever status, redirect or delay the test sets.
"""

from __future__ import annotations

import gzip
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType


@dataclass
class Published:
    body: bytes = b""
    etag: str = ""
    last_modified: str = ""
    status: int = 200
    location: str = ""
    """Answer every request with a 302 to this location."""
    delay: float = 0.0
    gzip: bool = False
    """Send the body gzip-compressed (Content-Encoding: gzip)."""
    requests: list[dict[str, str]] = field(default_factory=list)


class ScheduleServer:
    def __init__(self) -> None:
        self.published = Published()
        published = self.published

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                published.requests.append({k.lower(): v for k, v in self.headers.items()})
                if published.delay:
                    time.sleep(published.delay)
                if published.location:
                    self.send_response(302)
                    self.send_header("Location", published.location)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if published.status != 200:
                    self.send_response(published.status)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if published.etag and self.headers.get("If-None-Match") == published.etag:
                    self.send_response(304)
                    self.send_header("ETag", published.etag)
                    self.end_headers()
                    return
                body = gzip.compress(published.body) if published.gzip else published.body
                self.send_response(200)
                self.send_header("Content-Type", "application/xml")
                if published.gzip:
                    self.send_header("Content-Encoding", "gzip")
                self.send_header("Content-Length", str(len(body)))
                if published.etag:
                    self.send_header("ETag", published.etag)
                if published.last_modified:
                    self.send_header("Last-Modified", published.last_modified)
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                del format, args

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        # shutdown() waits for the serving loop's next poll: 0.05 s, not the default 0.5 s
        # that every test using this server paid at teardown.
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/schedule.xml"

    def publish(self, body: bytes, etag: str) -> None:
        self.published.body = body
        self.published.etag = etag
        self.published.status = 200

    def __enter__(self) -> ScheduleServer:
        self.thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.server.shutdown()
        self.server.server_close()
