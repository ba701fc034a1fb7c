#!/usr/bin/env python3
"""A hostile HTTP/1.1 server for measuring a client's memory: it reads one request, then
answers with a body that never ends, framed as asked.

    python3 benches/endless.py PORT FRAMING [STATUS]

FRAMING is `length` (declares 100 GiB), `chunked`, `both` (`Content-Length: 2` and
`Transfer-Encoding: chunked`) or `close` (no length; the body runs until the server closes,
which it never does). STATUS defaults to 200. Used by RELIABILITY.md's peak-RSS figures:

    python3 benches/endless.py 9100 both &
    /usr/bin/time -v target/release/adultwork --base-url http://127.0.0.1:9100 \
        --token t webcam details --booking-id 1
"""
import socket
import sys
import threading

PIECE = b" " * 65536


def serve(conn, framing, status):
    with conn:
        data = b""
        while b"\r\n\r\n" not in data:
            more = conn.recv(65536)
            if not more:
                return
            data += more
        head = f"HTTP/1.1 {status} X\r\nContent-Type: application/json\r\n"
        if framing == "length":
            head += f"Content-Length: {100 << 30}\r\n"
        elif framing == "chunked":
            head += "Transfer-Encoding: chunked\r\n"
        elif framing == "both":
            head += "Content-Length: 2\r\nTransfer-Encoding: chunked\r\n"
        head += "\r\n"
        chunk = b"%x\r\n" % len(PIECE) + PIECE + b"\r\n"
        piece = chunk if framing in ("chunked", "both") else PIECE
        sent = 0
        try:
            conn.sendall(head.encode())
            while True:
                conn.sendall(piece)
                sent += len(PIECE)
        except OSError:
            print(f"{framing}: the client hung up after {sent} body bytes", flush=True)


def main():
    port, framing = int(sys.argv[1]), sys.argv[2]
    status = int(sys.argv[3]) if len(sys.argv) > 3 else 200
    srv = socket.socket()
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind(("127.0.0.1", port))
    srv.listen()
    while True:
        conn, _ = srv.accept()
        threading.Thread(target=serve, args=(conn, framing, status), daemon=True).start()


if __name__ == "__main__":
    main()
