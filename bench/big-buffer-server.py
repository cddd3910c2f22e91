"""A bulk HTTP server that writes one big buffer again and again, for bench/floor-steps.ts: the
server side of the reference topology (a blocking sendall of 1 MiB, nothing computed per chunk).

  big-buffer-server.py PORT TIME_LIMIT

`GET /bytes/N` (or `GET /N`) -> HTTP/1.0 200 with Content-Length N, N bytes of the chargen pattern
(whole cycles, so the stream stays one pattern), then FIN. Bounded: exits after TIME_LIMIT seconds
or 1000 connections.
"""
import re
import socket
import sys
import threading
import time

port, time_limit = int(sys.argv[1]), float(sys.argv[2])
printable = bytes(range(32, 127))
cycle = b''.join((printable + printable)[start:start + 72] + b'\r\n' for start in range(95))
chunk = memoryview(cycle * ((1 << 20) // len(cycle)))


def serve(conn):
    try:
        request = b''
        while b'\r\n\r\n' not in request and len(request) < 8192:
            data = conn.recv(4096)
            if not data:
                return
            request += data
        match = re.match(rb'GET /(?:bytes/)?(\d+) ', request)
        left = int(match.group(1)) if match else 0
        conn.sendall(b'HTTP/1.0 200 OK\r\nContent-Length: %d\r\n\r\n' % left)
        while left > 0:
            sent = conn.send(chunk[:min(left, len(chunk))])
            left -= sent
        conn.shutdown(socket.SHUT_WR)
        conn.settimeout(5)
        while conn.recv(65536):
            pass
    except OSError:
        pass
    finally:
        conn.close()


listener = socket.socket()
listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
listener.bind(('0.0.0.0', port))
listener.listen(64)
listener.settimeout(1)
start = time.monotonic()
accepted = 0
while accepted < 1000 and time.monotonic() - start < time_limit:
    try:
        conn, _ = listener.accept()
    except socket.timeout:
        continue
    conn.settimeout(None)
    accepted += 1
    threading.Thread(target=serve, args=(conn,), daemon=True).start()
