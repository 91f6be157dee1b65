#!/usr/bin/env python3
"""Kernel TCP peers for record.sh: one scenario side per invocation, plain BSD sockets.

Every call is bounded in time (socket timeouts, fixed sleeps); each prints one line saying what
happened, so record.sh can show it. Usage:
  peer.py server PORT MODE [ARG]   (listens on 0.0.0.0:PORT)
  peer.py client HOST PORT MODE [ARG]
  peer.py no-tx-checksum IFACE     (ethtool -K IFACE tx off, through the SIOCETHTOOL ioctl)
"""
import ctypes
import fcntl
import socket
import struct
import sys
import threading
import time

TIMEOUT = 30
REQUEST = b"GET /sample HTTP/1.0\r\nHost: tcpsim\r\n\r\n"


def body(n):
    """n bytes of a recognisable text pattern."""
    line = b"tcpsim pcap sample line of text, 64 bytes long, for replays..\r\n"
    return (line * (n // len(line) + 1))[:n]


def listener(port, backlog=16, rcvbuf=None):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if rcvbuf:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    s.bind(("0.0.0.0", port))
    s.listen(backlog)
    s.settimeout(TIMEOUT)
    return s


def read_to_eof(c):
    total = 0
    while True:
        data = c.recv(65536)
        if not data:
            return total
        total += len(data)


def server(port, mode, arg):
    if mode == "no-accept":
        s = listener(port, backlog=int(arg))
        print(f"server: listening with backlog {arg}, never accepting", flush=True)
        time.sleep(12)
        s.close()
        return
    rcvbuf = 4096 if mode == "slow-reader" else None
    s = listener(port, rcvbuf=rcvbuf)
    rounds = 2 if mode == "reply-close-twice" else 1
    for _ in range(rounds):
        c, peer = s.accept()
        c.settimeout(TIMEOUT)
        serve_one(c, mode, arg)
        print(f"server: {mode} done with {peer}", flush=True)
    s.close()


def serve_one(c, mode, arg):
    size = int(arg) if arg else 2000
    if mode == "client-close":            # answer, then wait for the client's FIN, close after it
        c.recv(65536)
        c.sendall(body(size))
        read_to_eof(c)
        time.sleep(0.05)
        c.close()
    elif mode in ("reply-close", "reply-close-twice"):  # answer and close first
        c.recv(65536)
        c.sendall(body(size))
        c.close()
    elif mode == "reply-after-eof":       # read until the client's FIN (half-close), then answer and close
        read_to_eof(c)
        c.sendall(body(size))
        c.close()
    elif mode == "sink":                  # read everything, then a short answer and close
        got = read_to_eof(c)
        c.sendall(b"got %d bytes\n" % got)
        c.close()
    elif mode == "slow-reader":           # a small receive buffer left unread for 6 s: zero window
        time.sleep(6)
        got = read_to_eof(c)
        c.sendall(b"got %d bytes\n" % got)
        c.close()
    else:
        raise SystemExit(f"unknown server mode {mode}")


def client(host, port, mode, arg):
    if mode == "connect":                 # a connect expected to fail: refused or timed out
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.settimeout(int(arg) if arg else TIMEOUT)
        try:
            s.connect((host, port))
            print("client: connected (unexpected)", flush=True)
        except OSError as e:
            print(f"client: connect failed: {e}", flush=True)
        s.close()
    elif mode in ("reuse", "reuse-quiet"):  # two connections from one local port (TIME_WAIT reuse on the server)
        for round_ in range(2):
            s = connected(host, port, local_port=int(arg))
            if mode == "reuse":
                s.sendall(REQUEST)
            got = read_to_eof(s)
            s.close()
            print(f"client: round {round_ + 1} read {got} bytes", flush=True)
            time.sleep(1)
    elif mode == "overflow":              # several connects at once to a listener that never accepts
        threads = [threading.Thread(target=overflow_one, args=(host, port, i)) for i in range(int(arg))]
        for t in threads:
            t.start()
            time.sleep(0.2)
        for t in threads:
            t.join()
    else:
        one_client(host, port, mode, arg)


def connected(host, port, local_port=None):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(TIMEOUT)
    if local_port:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("0.0.0.0", local_port))
    s.connect((host, port))
    return s


def one_client(host, port, mode, arg):
    s = connected(host, port)
    if mode == "request-close":           # ask, read the answer, close first
        s.sendall(REQUEST)
        want, got = int(arg), 0
        while got < want:
            data = s.recv(65536)
            if not data:
                break
            got += len(data)
        time.sleep(0.05)
        s.close()
    elif mode == "request-eof":           # ask, read until the server closes, then close
        s.sendall(REQUEST)
        got = read_to_eof(s)
        s.close()
    elif mode == "read-eof":              # ask nothing, read until the server closes, then close
        got = read_to_eof(s)
        s.close()
    elif mode == "half-close":            # ask, shutdown(SHUT_WR), read the answer until EOF
        s.sendall(REQUEST)
        s.shutdown(socket.SHUT_WR)
        got = read_to_eof(s)
        s.close()
    elif mode == "bulk":                  # send N bytes, half-close, read the answer
        s.sendall(body(int(arg)))
        s.shutdown(socket.SHUT_WR)
        got = read_to_eof(s)
        s.close()
    elif mode == "echo":                  # send a line and read it back, close first
        s.sendall(b"hello tcpsim\n")
        got = len(s.recv(65536))
        time.sleep(0.05)
        s.close()
    else:
        raise SystemExit(f"unknown client mode {mode}")
    print(f"client: {mode} read {got} bytes", flush=True)


def overflow_one(host, port, i):
    try:
        s = connected(host, port)
        s.sendall(b"client %d\n" % i)
        time.sleep(8)
        s.close()
        print(f"client {i}: connected, wrote, closed", flush=True)
    except OSError as e:
        print(f"client {i}: {e}", flush=True)


def no_tx_checksum(iface):
    """Turns off transmit checksum offload, so that captured segments carry their real checksums."""
    siocethtool, ethtool_stxcsum = 0x8946, 0x17
    value = ctypes.create_string_buffer(struct.pack("II", ethtool_stxcsum, 0))
    ifreq = struct.pack("16sP", iface.encode(), ctypes.addressof(value))
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        fcntl.ioctl(s.fileno(), siocethtool, ifreq)
    print(f"{iface}: transmit checksum offload off", flush=True)


if __name__ == "__main__":
    if sys.argv[1] == "no-tx-checksum":
        no_tx_checksum(sys.argv[2])
    elif sys.argv[1] == "server":
        server(int(sys.argv[2]), sys.argv[3], sys.argv[4] if len(sys.argv) > 4 else None)
    else:
        client(sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5] if len(sys.argv) > 5 else None)
