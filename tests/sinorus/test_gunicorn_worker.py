"""The threaded gunicorn worker `gunicorn.conf.py` chooses, served for real on a loopback port."""

from __future__ import annotations

import re
import shutil
import socket
import ssl
import subprocess
import sys
import threading
import time
from pathlib import Path
from types import SimpleNamespace

import pytest

from sinorus.gunicorn_worker import ThreadWorker, _nothing_unread

ROOT = Path(__file__).resolve().parents[2]
APP = """
import socket
import time


def corked(environ):
    return environ["gunicorn.socket"].getsockopt(socket.IPPROTO_TCP, socket.TCP_CORK)


def ticks(environ):  # five pieces, each saying whether the socket held back what came before it
    for _ in range(5):
        yield b"%d;" % corked(environ)


def app(environ, start_response):
    if environ["PATH_INFO"] == "/slow":
        time.sleep(0.1)
        start_response("200 OK", [("Content-Length", "4")])
        return [b"done"]
    if environ["PATH_INFO"] == "/ticks":
        start_response("200 OK", [("Content-Type", "text/plain")])
        return ticks(environ)
    if environ["PATH_INFO"] == "/ticks-written":  # the same, through the write() of older applications
        write = start_response("200 OK", [("Content-Type", "text/plain")])
        for piece in ticks(environ):
            write(piece)
        return []
    if environ["PATH_INFO"] == "/echo-corked":  # whether what was sent before the application ran is held
        held = b"%d;" % corked(environ)
        body = held + environ["wsgi.input"].read()
        start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
        return [body]
    if environ["PATH_INFO"] == "/empty":
        start_response("204 No Content", [])
        return []
    if environ["PATH_INFO"] == "/stream":  # no length: chunked, in pieces as they come
        start_response("200 OK", [("Content-Type", "text/plain")])
        return (b"%05d;" % i for i in range(2000))
    if environ["PATH_INFO"] == "/fail":  # fails before reading what was sent
        raise RuntimeError("failed")
    if environ["PATH_INFO"] == "/ignore-body":  # answers without reading what was sent
        body = b"refused"
    else:
        body = environ["wsgi.input"].read() or b"x" * 200_000
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(folder: Path, *options: str, threads: str = "4"):
    """gunicorn with the project's settings serving the tiny app from `folder`; yields its port."""
    (folder / "tinyapp.py").write_text(APP)
    port = _free_port()
    gunicorn = str(Path(sys.executable).parent / "gunicorn")
    argv = [gunicorn, "--config", str(ROOT / "gunicorn.conf.py"), "--chdir", str(folder), *options]
    argv += ["--bind", f"127.0.0.1:{port}", "--workers", "1", "--threads", threads, "tinyapp:app"]
    process = subprocess.Popen(argv, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    yield port
    process.terminate()
    log = process.communicate(timeout=10)[1]
    assert "sinorus.gunicorn_worker.ThreadWorker" in log


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    yield from _serve(tmp_path_factory.mktemp("wsgi"))


@pytest.fixture(scope="module")
def small_server(tmp_path_factory):
    """A worker that takes at most three connections at a time."""
    yield from _serve(tmp_path_factory.mktemp("wsgi-small"), "--worker-connections", "3", threads="2")


@pytest.fixture(scope="module")
def closing_server(tmp_path_factory):
    """A worker that keeps no connection alive: it ends each after one answer, whatever the client asked."""
    yield from _serve(tmp_path_factory.mktemp("wsgi-closing"), "--keep-alive", "0")


@pytest.fixture(scope="module")
def tls_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("wsgi-tls")
    if shutil.which("openssl") is None:
        pytest.skip("openssl makes the test certificate")
    key, cert = folder / "key.pem", folder / "cert.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost"]
        + ["-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )
    yield from _serve(folder, "--keyfile", str(key), "--certfile", str(cert))


def _exchange(port: int, request: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(request)
        chunks = []
        while data := sock.recv(65536):
            chunks.append(data)
        return b"".join(chunks)


def _read_until(sock: socket.socket, done) -> bytes:
    """What the server sends until `done(reply)`; the stream ending first fails the test."""
    reply = b""
    while not done(reply):
        data = sock.recv(65536)
        assert data, reply
        reply += data
    return reply


def test_a_closing_request_gets_its_whole_response_then_the_end_of_the_stream(server):
    for _ in range(20):
        reply = _exchange(server, b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        head, _, body = reply.partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 200") and len(body) == 200_000


def test_connections_closed_by_the_answering_thread_free_their_place(small_server):
    for _ in range(30):  # ten times what the worker may hold: each closed one must be counted out
        reply = _exchange(small_server, b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        assert reply.startswith(b"HTTP/1.1 200") and reply.endswith(b"x" * 1000)


def test_an_answer_without_a_body_and_a_streamed_one_arrive_whole(server):
    for connection in (b"close", b"keep-alive"):
        with socket.create_connection(("127.0.0.1", server), timeout=10) as sock:
            sock.sendall(b"GET /empty HTTP/1.1\r\nHost: x\r\nConnection: " + connection + b"\r\n\r\n")
            reply = _read_until(sock, lambda r: b"\r\n\r\n" in r)
            assert reply.startswith(b"HTTP/1.1 204")
        reply = _exchange(server, b"GET /stream HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
        head, _, body = reply.partition(b"\r\n\r\n")
        assert b"chunked" in head.lower() and body.endswith(b"0\r\n\r\n")
        pieces = b"".join(body.split(b"\r\n")[1::2])
        assert pieces == b"".join(b"%05d;" % i for i in range(2000))


def test_a_body_that_was_read_is_echoed_on_a_closing_connection(server):
    payload = b"a" * 50_000
    request = b"POST /echo HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 50000\r\n\r\n" + payload
    assert _exchange(server, request).endswith(payload)


def test_a_client_whose_body_was_not_read_still_gets_the_answer(server):
    payload = b"b" * 3_000_000
    head = f"POST /ignore-body HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: {len(payload)}\r\n\r\n"
    with socket.create_connection(("127.0.0.1", server), timeout=10) as sock:
        sock.sendall(head.encode() + payload[:200_000])
        time.sleep(0.5)  # the answer and the server's close arrive before the client reads
        reply = _read_until(sock, lambda r: b"refused" in r)
    assert reply.startswith(b"HTTP/1.1 200")


def test_a_kept_alive_connection_serves_several_requests(server):
    with socket.create_connection(("127.0.0.1", server), timeout=10) as sock:
        for _ in range(3):
            sock.sendall(b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello")
            reply = b""
            while not reply.endswith(b"hello"):
                reply += sock.recv(65536)
            assert reply.startswith(b"HTTP/1.1 200")


def test_a_request_that_failed_on_a_kept_alive_connection_still_lingers_for_its_unread_body(server):
    with socket.create_connection(("127.0.0.1", server), timeout=10) as sock:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")  # read to its end: this one may close at once
        reply = b""
        while len(reply) < 200_000 or b"\r\n\r\n" not in reply:
            reply += sock.recv(65536)
        sock.sendall(b"POST /fail HTTP/1.1\r\nHost: x\r\nContent-Length: 20000\r\n\r\n")
        reply = b""
        while data := sock.recv(65536):  # the 500, then the server's end of the stream
            reply += data
        assert reply.startswith(b"HTTP/1.1 500")
        for _ in range(3):  # the body, late: a server that closed outright answers with a reset
            sock.sendall(b"c" * 5000)
            time.sleep(0.1)


def test_a_request_sent_before_the_answer_to_the_last_one_was_read_does_not_cut_that_answer_off(closing_server):
    with socket.create_connection(("127.0.0.1", closing_server), timeout=10) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 16384)  # most of the answer waits on the server
        sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")  # asks for keep-alive, gets "Connection: close"
        time.sleep(0.3)
        sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")  # a client may send its next request at once
        time.sleep(0.3)  # a server that closed outright answers it with a reset, dropping the rest of the answer
        reply = b""
        while data := sock.recv(65536):
            reply += data
    head, _, body = reply.partition(b"\r\n\r\n")
    assert b"connection: close" in head.lower() and len(body) == 200_000


def test_a_thread_that_closes_a_connection_of_a_full_worker_wakes_its_loop():
    """A full worker accepts nothing until its loop counts a closed connection out: the thread
    that closed it wakes the loop then, instead of leaving it to its next turn (up to a second)."""
    woken = []
    worker = SimpleNamespace(
        alive=True,
        worker_connections=3,
        nr_conns=3,
        _closes_lock=threading.Lock(),
        _closed_in_threads=0,
        method_queue=SimpleNamespace(defer=lambda *call: woken.append(call)),
    )
    ThreadWorker._after(worker, SimpleNamespace(closed_here=True), None)
    assert worker._closed_in_threads == 1 and len(woken) == 1
    worker.nr_conns = 2  # room left: the loop accepts anyway, no need to wake it
    ThreadWorker._after(worker, SimpleNamespace(closed_here=True), None)
    assert worker._closed_in_threads == 2 and len(woken) == 1


@pytest.mark.skipif(not hasattr(socket, "TCP_CORK"), reason="the head and first piece are joined with Linux's TCP_CORK")
@pytest.mark.parametrize("path", ["/ticks", "/ticks-written"])
def test_each_piece_of_a_streamed_answer_leaves_as_it_is_written(server, path):
    """The head waits for the first piece; no later piece is held back until a next one or a timer."""
    reply = _exchange(server, b"GET %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n" % path.encode())
    states = re.findall(rb"(\d);", reply.partition(b"\r\n\r\n")[2])
    assert states == [b"1", b"0", b"0", b"0", b"0"]  # held only while the first piece was made


@pytest.mark.skipif(not hasattr(socket, "TCP_CORK"), reason="the head and first piece are joined with Linux's TCP_CORK")
def test_an_upload_waiting_for_100_continue_is_told_to_go_on_before_anything_is_held(server):
    with socket.create_connection(("127.0.0.1", server), timeout=10) as sock:
        sock.sendall(b"POST /echo-corked HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n")
        assert sock.recv(65536) == b"HTTP/1.1 100 Continue\r\n\r\n"
        sock.sendall(b"hello")
        reply = _read_until(sock, lambda r: r.endswith(b"hello"))
    assert reply.endswith(b"0;hello")  # the socket held nothing back while the application read


def _tls(port: int) -> ssl.SSLSocket:
    context = ssl.create_default_context()
    context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
    return context.wrap_socket(socket.create_connection(("127.0.0.1", port), timeout=10), server_hostname="x")


def _reply(sock: ssl.SSLSocket) -> bytes:
    """One whole response of the tiny app (its bodies have a Content-Length)."""
    reply = b""
    while b"\r\n\r\n" not in reply or len(reply.partition(b"\r\n\r\n")[2]) < 200_000:
        data = sock.recv(65536)
        if not data:
            break
        reply += data
    return reply


def test_closing_requests_over_tls_leave_the_worker_serving_kept_alive_connections(tls_server):
    with _tls(tls_server) as kept:
        kept.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        assert _reply(kept).startswith(b"HTTP/1.1 200")
        for _ in range(3):
            with _tls(tls_server) as closing:
                closing.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                assert _reply(closing).startswith(b"HTTP/1.1 200")
        time.sleep(0.3)
        kept.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        assert _reply(kept).startswith(b"HTTP/1.1 200")


def test_only_a_socket_with_nothing_left_to_read_counts_as_finished():
    ours, theirs = socket.socketpair()
    with ours, theirs:
        assert _nothing_unread(ours)
        theirs.sendall(b"more of the body")
        assert not _nothing_unread(ours)  # closing now could reset the connection: linger
        assert ours.recv(100) == b"more of the body"
        theirs.close()
        assert _nothing_unread(ours)  # the client is gone: nothing can arrive any more
