package io.tcpsim.drill;

import io.tcpsim.socket.SockAddr;
import io.tcpsim.socket.SockAddrIn;
import io.tcpsim.socket.SockAddrIn6;
import io.tcpsim.socket.SocketConstants;
import io.tcpsim.wire.IpAddress;
import io.tcpsim.wire.Ipv4Address;

/**
 * packetdrill's addresses and ports for a script's {@code --ip_version}: the stack is local, the
 * script remote. {@code ipv4}: 192.168.0.1 and 192.0.2.1 over AF_INET; {@code ipv4-mapped-ipv6}:
 * the same IPv4 packets, AF_INET6 sockets naming {@code ::ffff:192.168.0.1} and
 * {@code ::ffff:192.0.2.1}; {@code ipv6}: fd3d:a0b:17d6::1 and fd3d:fa7b:d17d::1 over AF_INET6.
 * As packetdrill (its config's socket_domain), a script's {@code socket(..., AF_INET, ...)} makes
 * a socket of the mode's family.
 *
 * @param local  the stack's address (packetdrill's live_local_ip)
 * @param remote the script's address (live_remote_ip)
 * @param family the sockets' family
 */
record Endpoints(IpAddress local, IpAddress remote, int family) {
    /** bind(fd, ..., ...) and connect(fd, ..., ...) use this port. */
    static final int PORT = 8080;
    /** The script's side of a passive connection takes fresh ports from here on. */
    static final int FIRST_REMOTE_PORT = 40_000;
    /** The IPv4 address a stack in IPv6 mode keeps (it is unused there). */
    static final int LOCAL_IPV4 = Ipv4Address.parse("192.168.0.1");

    static final Endpoints IPV4 = new Endpoints(IpAddress.ofIpv4(LOCAL_IPV4), IpAddress.parse("192.0.2.1"),
            SocketConstants.AF_INET);
    static final Endpoints IPV4_MAPPED_IPV6 = new Endpoints(IPV4.local, IPV4.remote, SocketConstants.AF_INET6);
    static final Endpoints IPV6 = new Endpoints(IpAddress.parse("fd3d:a0b:17d6::1"), IpAddress.parse("fd3d:fa7b:d17d::1"),
            SocketConstants.AF_INET6);

    /** The endpoints of an {@code --ip_version} value, or null for another. */
    static Endpoints of(String ipVersion) {
        return switch (ipVersion) {
            case "ipv4" -> IPV4;
            case "ipv4-mapped-ipv6" -> IPV4_MAPPED_IPV6;
            case "ipv6" -> IPV6;
            default -> null;
        };
    }

    /** Whether packets on the wire are IPv6. */
    boolean ipv6Wire() {
        return !local.isIpv4();
    }

    /** The socket family for a script's domain: AF_INET becomes the mode's family. */
    int domain(int scriptDomain) {
        return scriptDomain == SocketConstants.AF_INET ? family : scriptDomain;
    }

    SockAddr localName() {
        return name(local, PORT);
    }

    SockAddr remoteName() {
        return name(remote, PORT);
    }

    /** A holder for a name the stack writes (accept, getsockname). */
    SockAddr emptyName() {
        return family == SocketConstants.AF_INET ? new SockAddrIn() : new SockAddrIn6();
    }

    private SockAddr name(IpAddress addr, int port) {
        return family == SocketConstants.AF_INET ? SockAddrIn.of(addr.ipv4(), port) : SockAddrIn6.of(addr.bytes(), port);
    }
}
