"""gunicorn's threaded worker, closing finished connections without lingering on them.

gunicorn closes a connection that will not be kept alive "gracefully" (RFC 9112 section 9.6): it
sends its FIN, then waits on the socket, in the worker's one event-loop thread, until the client
closes its side too. That guards a client still sending a request body the server never read:
closing with unread bytes makes the kernel answer with a reset that can cut off the response.
But while the loop waits, the worker accepts nothing and hands out no finished response; with
clients that open a connection a request (scripts, benchmarks, proxies without keep-alive)
those waits made most of a busy worker's slowest requests.

Here a connection whose request body was read to its end and whose socket holds no unread byte
is closed at once, which sends the same FIN and cannot reset; anything else is closed as gunicorn
does: a request that failed before its body was known read, and TLS, whose layer may hold bytes
the socket no longer shows (and which takes no recv flags).
"""

from __future__ import annotations

import socket
import ssl

from gunicorn import util
from gunicorn.http.body import LengthReader
from gunicorn.workers import gthread

_PEEK_NOW = int(socket.MSG_PEEK | socket.MSG_DONTWAIT)  # combining the enum flags costs more than the recv


def _nothing_unread(sock: socket.socket) -> bool:
    if isinstance(sock, ssl.SSLSocket):
        return False
    try:
        return sock.recv(1, _PEEK_NOW) == b""  # the client closed
    except BlockingIOError:
        return True
    except OSError:
        return False


def _buffered(conn) -> bool:
    """Bytes of a next request the parser already took off the socket."""
    buf = getattr(getattr(getattr(conn, "parser", None), "unreader", None), "buf", None)
    return buf is None or bool(buf.getvalue())


class ThreadWorker(gthread.ThreadWorker):
    def handle(self, conn):
        conn.request_read = False  # until this request's body is known read (not on an error)
        return super().handle(conn)

    def handle_request(self, req, conn):
        keep = super().handle_request(req, conn)
        reader = getattr(getattr(req, "body", None), "reader", None)
        conn.request_read = isinstance(reader, LengthReader) and reader.length == 0
        return keep

    def finish_request(self, conn, fs):
        if (
            not fs.cancelled()
            and fs.exception() is None
            and fs.result() is False
            and getattr(conn, "request_read", False)
            and not _buffered(conn)
            and _nothing_unread(conn.sock)
        ):
            self.nr_conns -= 1
            util.close(conn.sock)
            return
        super().finish_request(conn, fs)
