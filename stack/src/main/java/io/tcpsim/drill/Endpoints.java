package io.tcpsim.drill;

import io.tcpsim.wire.Ipv4Address;

/** packetdrill's default addresses and ports: the stack is local, the script remote. */
final class Endpoints {
    /** The stack's address (packetdrill's live_local_ip). */
    static final int LOCAL = Ipv4Address.parse("192.168.0.1");
    /** The script's address (live_remote_ip). */
    static final int REMOTE = Ipv4Address.parse("192.0.2.1");
    /** bind(fd, ..., ...) and connect(fd, ..., ...) use this port. */
    static final int PORT = 8080;
    /** The script's side of a passive connection takes fresh ports from here on. */
    static final int FIRST_REMOTE_PORT = 40_000;

    private Endpoints() {
    }
}
