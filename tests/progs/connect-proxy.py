#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""A small HTTP CONNECT proxy for the client tests: listens on ADDR:PORT,
wants Basic authentication as USER:PASSWORD (a 407 without it), then relays
bytes both ways. Prints one line per request: "CONNECT <target> <status>"."""

import base64
import select
import socket
import sys
import threading


def relay(a, b):
    socks = [a, b]
    while True:
        readable, _, _ = select.select(socks, [], [])
        for s in readable:
            data = s.recv(65536)
            if not data:
                return
            (b if s is a else a).sendall(data)


def read_header(conn):
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(1)
        if not chunk:
            return None
        data += chunk
    return data.decode("latin-1")


def handle(conn, credentials):
    with conn:
        header = read_header(conn)
        if header is None:
            return
        lines = header.split("\r\n")
        method, target, _ = lines[0].split(" ", 2)
        fields = {}
        for line in lines[1:]:
            if ":" in line:
                k, v = line.split(":", 1)
                fields[k.strip().lower()] = v.strip()
        want = "Basic " + base64.b64encode(credentials.encode()).decode()
        if method != "CONNECT":
            status = 405
        elif fields.get("proxy-authorization") != want:
            status = 407
        else:
            status = 200
        print("CONNECT %s %d" % (target, status), flush=True)
        if status != 200:
            conn.sendall(b"HTTP/1.1 %d No\r\nProxy-Authenticate: Basic "
                         b"realm=\"test\"\r\nContent-Length: 0\r\n\r\n" % status)
            return
        host, port = target.rsplit(":", 1)
        upstream = socket.create_connection((host.strip("[]"), int(port)))
        with upstream:
            conn.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
            relay(conn, upstream)


def main():
    addr, port, credentials = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind((addr, port))
    srv.listen(8)
    while True:
        conn, _ = srv.accept()
        threading.Thread(target=handle, args=(conn, credentials),
                         daemon=True).start()


if __name__ == "__main__":
    main()
