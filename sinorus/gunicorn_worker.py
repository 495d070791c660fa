"""gunicorn's threaded worker, with less work between a request and the next.

gunicorn's gthread worker hands each connection to a thread, then back to its one event-loop
thread when the response is out: through a pipe that wakes that loop, which then closes the
connection "gracefully" (RFC 9112 section 9.6): it sends its FIN and waits on the socket until
the client closes its side too. That guards a client still sending a request body the server
never read: closing with unread bytes makes the kernel answer with a reset that can cut off the
response. But while the loop waits, the worker accepts nothing and hands out no finished
response; with clients that open a connection a request (scripts, benchmarks, proxies without
keep-alive) those waits made most of a busy worker's slowest requests.

Here:
- a connection whose client said its request was the last ("Connection: close", or HTTP/1.0
  without keep-alive), whose request body was read to its end and whose socket holds no unread
  byte, is closed at once by the thread that answered: that client sends nothing more, so nothing
  can arrive to be answered with a reset. The event loop is not woken for it, unless the worker
  holds all the connections it may and so accepts none until it counts this one out. Anything
  else goes back to the loop as gunicorn does: a close the server chose (no keep-alive
  configured, a stopping worker, too many kept-alive connections), for the client may already be
  sending its next request, and a close then would reset the connection under the unread end of
  the answer; a request that failed before its body was known read; kept-alive connections; and
  TLS, whose layer may hold bytes the socket no longer shows (and which takes no recv flags);
- a response's head and the first piece of its body leave in one TCP segment, not two: the
  socket is corked from `start_response` until that piece is written (returned, or given to the
  `write` that `start_response` returns). Later pieces, a "100 Continue" (sent before the
  application runs) and 103 Early Hints (sent before `start_response`) leave as they are
  written: corked, a partial segment waits up to 200 ms;
- a new connection whose request already arrived is served without first building a selector to
  wait for it;
- the heartbeat the arbiter watches is touched at most once a second, not at every turn of the
  loop (the arbiter's timeout is tens of seconds).
"""

from __future__ import annotations

import contextlib
import socket
import ssl
import threading
import time

from gunicorn import util
from gunicorn.http.body import LengthReader
from gunicorn.workers import gthread

_PEEK_NOW = int(socket.MSG_PEEK | socket.MSG_DONTWAIT)  # combining the enum flags costs more than the recv
_CORK = getattr(socket, "TCP_CORK", None)  # Linux
HEARTBEAT_EVERY = 1.0  # seconds


def _nothing_unread(sock: socket.socket) -> bool:
    if isinstance(sock, ssl.SSLSocket):
        return False
    try:
        return sock.recv(1, _PEEK_NOW) == b""  # the client closed
    except BlockingIOError:
        return True
    except OSError:
        return False


def _request_waiting(sock: socket.socket) -> bool:
    """Bytes already on a new plain socket: its request arrived, no need to wait for it."""
    if isinstance(sock, ssl.SSLSocket):
        return False
    try:
        return sock.recv(1, _PEEK_NOW) != b""
    except OSError:  # BlockingIOError: nothing yet
        return False


def _buffered(conn) -> bool:
    """Bytes of a next request the parser already took off the socket."""
    buf = getattr(getattr(getattr(conn, "parser", None), "unreader", None), "buf", None)
    return buf is None or bool(buf.getvalue())


def _said_last(req) -> bool:
    """The client said it sends nothing after this request (RFC 9112 section 9.6); after a CONNECT
    it sends tunnel bytes, whatever gunicorn then does with the connection."""
    return req.method != "CONNECT" and req.should_close()


def _cork(sock: socket.socket, on: bool) -> None:
    """Hold partial segments while corked; uncorking sends what is held (Linux TCP_CORK)."""
    if _CORK is None or isinstance(sock, ssl.SSLSocket) or sock.family not in (socket.AF_INET, socket.AF_INET6):
        return
    with contextlib.suppress(OSError):
        sock.setsockopt(socket.IPPROTO_TCP, _CORK, 1 if on else 0)


def _head_with_first_piece(app):
    """`app`, with its HTTP/1 answer's head held back until the first piece of body joins it."""

    def app_corked(environ, start_response):
        if not environ["SERVER_PROTOCOL"].startswith("HTTP/1."):
            return app(environ, start_response)
        sock = environ["gunicorn.socket"]

        def start_corked(status, headers, exc_info=None):
            _cork(sock, True)
            write = start_response(status, headers, exc_info)

            def write_uncorked(data):  # older applications write their body through it
                write(data)
                _cork(sock, False)

            return write_uncorked

        body = app(environ, start_corked)
        if isinstance(body, environ["wsgi.file_wrapper"]):  # gunicorn sends it whole, then uncorks
            return body
        return _FirstPieceUncorks(body, sock)

    return app_corked


class _FirstPieceUncorks:
    """A response body that uncorks its socket once gunicorn wrote its first piece (asks for the next)."""

    def __init__(self, body, sock: socket.socket):
        self._body, self._sock = body, sock

    def __iter__(self):
        pieces = iter(self._body)
        for first in pieces:
            yield first
            _cork(self._sock, False)  # the head left with it: the next pieces leave as they are written
            yield from pieces

    def close(self) -> None:
        if hasattr(self._body, "close"):
            self._body.close()


def _wake() -> None:
    """Nothing: queued, it wakes the event loop to a turn."""


class ThreadWorker(gthread.ThreadWorker):
    def init_process(self):
        self._closes_lock = threading.Lock()
        self._closed_in_threads = 0
        self._heartbeat_at = 0.0
        super().init_process()

    def load_wsgi(self):
        super().load_wsgi()
        self.wsgi = _head_with_first_piece(self.wsgi)

    def enqueue_req(self, conn):
        future = self.tpool.submit(self.handle, conn)
        future.add_done_callback(lambda done: self._after(conn, done))

    def _after(self, conn, done) -> None:
        """In the thread that answered: count a connection it closed, or hand it to the loop."""
        if getattr(conn, "closed_here", False) and self.alive:
            with self._closes_lock:
                self._closed_in_threads += 1
            if self.nr_conns >= self.worker_connections:  # a full loop accepts nothing until it counts this out
                self.method_queue.defer(_wake)
        else:
            self.method_queue.defer(self.finish_request, conn, done)

    def notify(self):
        """Once a loop turn: settle the connections threads closed, and beat the heart."""
        if self._closed_in_threads:
            with self._closes_lock:
                closed, self._closed_in_threads = self._closed_in_threads, 0
            self.nr_conns -= closed
        now = time.monotonic()
        if now - self._heartbeat_at >= HEARTBEAT_EVERY:
            self._heartbeat_at = now
            super().notify()

    def handle(self, conn):
        conn.last_request_read = False  # until the client's last request is known read (not on an error)
        conn.closed_here = False
        if not conn.initialized and not conn.data_ready and _request_waiting(conn.sock):
            conn.data_ready = True
        keep = super().handle(conn)
        if keep is False and conn.last_request_read and not _buffered(conn) and _nothing_unread(conn.sock):
            util.close(conn.sock)
            conn.closed_here = True
        return keep

    def handle_request(self, req, conn):
        try:
            keep = super().handle_request(req, conn)
        finally:
            _cork(conn.sock, False)  # whatever the application did, nothing stays held
        reader = getattr(getattr(req, "body", None), "reader", None)
        read_to_its_end = isinstance(reader, LengthReader) and reader.length == 0
        conn.last_request_read = read_to_its_end and _said_last(req)
        return keep

    def finish_request(self, conn, fs):
        if getattr(conn, "closed_here", False):  # closed by its thread while the worker stopped
            self.nr_conns -= 1
            return
        super().finish_request(conn, fs)
