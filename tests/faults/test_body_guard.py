"""Issue 16 item 12: no key, no body read; an oversized body is refused before (or while) it arrives."""

from __future__ import annotations

import socket
import time

USCC = "91350100M000100Y43"


def _send_head(port: int, head: str) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    sock.sendall(head.encode("latin-1"))
    return sock


def _upload_head(svc, key: str | None, framing: str) -> socket.socket:
    auth = f"Authorization: Bearer {key}\r\n" if key else ""
    return _send_head(svc.port, f"POST /api/v1/documents HTTP/1.1\r\nHost: x\r\n{auth}"
                      f"Content-Type: multipart/form-data; boundary=b\r\n{framing}\r\n\r\n")


def _status(sock: socket.socket) -> int:
    data = b""
    while b"\r\n" not in data:
        chunk = sock.recv(4096)
        if not chunk:
            break
        data += chunk
    return int(data.split(b" ", 2)[1])


def test_an_unauthenticated_upload_is_refused_before_its_body_is_sent(service):
    svc = service(max_upload_bytes=str(1024 * 1024))
    svc.start()
    started = time.monotonic()
    sock = _upload_head(svc, None, "Content-Length: 88080384")
    with sock:  # not one byte of the 84 MB body is sent: the answer must come anyway
        assert _status(sock) == 401
    assert time.monotonic() - started < 10


def test_a_declared_oversized_upload_is_refused_before_its_body_is_sent(service):
    svc = service(max_upload_bytes=str(1024 * 1024))
    svc.start()
    key = svc.key("clerk")
    sock = _upload_head(svc, key, "Content-Length: 88080384")
    with sock:
        assert _status(sock) == 413


def test_a_chunked_body_is_stopped_at_the_limit(service):
    svc = service(max_upload_bytes=str(1024 * 1024))
    svc.start()
    key = svc.key("clerk")
    sock = _upload_head(svc, key, "Transfer-Encoding: chunked")
    part = (b"--b\r\nContent-Disposition: form-data; name=\"owner_code\"\r\n\r\n" + USCC.encode() +
            b"\r\n--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\n\r\n")
    sent = 0
    with sock:
        sock.sendall(b"%x\r\n%s\r\n" % (len(part), part))
        chunk = b"\x89PNG" + b"\0" * (64 * 1024 - 4)
        try:
            while sent < 20 * 1024 * 1024:  # the client would go on for 20 MB; the service stops it
                sock.sendall(b"%x\r\n%s\r\n" % (len(chunk), chunk))
                sent += len(chunk)
                sock.setblocking(False)
                try:
                    if sock.recv(1, socket.MSG_PEEK):
                        break
                except BlockingIOError:
                    pass
                finally:
                    sock.setblocking(True)
        except (BrokenPipeError, ConnectionResetError):
            pass
        sock.settimeout(10)
        assert _status(sock) == 413
    assert sent < 12 * 1024 * 1024  # 1 MB read, the rest sits in loopback socket buffers (a few MB)
