package io.tcpsim.tcp;

import io.tcpsim.wire.IpAddress;

/**
 * A connection's identity (RFC 9293 §3.3.1, "socket pair"), seen from our side: local is where
 * our segments come from. Addresses of either family ({@link IpAddress}; both of one family),
 * ports 0..65535; an unspecified local address is the wildcard only in listener keys, never in a
 * connection's tuple.
 */
public record FourTuple(IpAddress localAddr, int localPort, IpAddress remoteAddr, int remotePort) {
    /** Bytes of IP and TCP headers without options: IPv4 (RFC 9293 §3.7.1). */
    public static final int IPV4_HEADERS = 40;
    /** IPv6's 40-byte header plus TCP's 20 (RFC 8200 §8.3: MSS = MTU - 60). */
    public static final int IPV6_HEADERS = 60;

    public FourTuple {
        requirePort("localPort", localPort);
        requirePort("remotePort", remotePort);
        if (localAddr.isIpv4() != remoteAddr.isIpv4() && !localAddr.isUnspecified()) {
            throw new IllegalArgumentException("addresses of two families: " + localAddr + " and " + remoteAddr);
        }
    }

    /** IPv4 addresses as ints. */
    public FourTuple(int localAddr, int localPort, int remoteAddr, int remotePort) {
        this(IpAddress.ofIpv4(localAddr), localPort, IpAddress.ofIpv4(remoteAddr), remotePort);
    }

    /** Whether this is the IPv4 tuple of these addresses (the ints of {@code Ipv4Address}) and ports. */
    public boolean isIpv4(int local, int localPortNumber, int remote, int remotePortNumber) {
        return localPort == localPortNumber && remotePort == remotePortNumber
                && localAddr.isIpv4() && localAddr.ipv4() == local && remoteAddr.isIpv4() && remoteAddr.ipv4() == remote;
    }

    /** True when the connection runs over IPv6 (its addresses are not IPv4-mapped). */
    public boolean isIpv6() {
        return !remoteAddr.isIpv4();
    }

    /** IP plus TCP header bytes without options: what the MSS leaves out of the MTU. */
    public int headerBytes() {
        return isIpv6() ? IPV6_HEADERS : IPV4_HEADERS;
    }

    /** The same connection seen from the peer's side. */
    public FourTuple reversed() {
        return new FourTuple(remoteAddr, remotePort, localAddr, localPort);
    }

    @Override
    public String toString() {
        return endpoint(localAddr, localPort) + " > " + endpoint(remoteAddr, remotePort);
    }

    /** addr:port, with brackets around an IPv6 address (RFC 5952 §6). */
    static String endpoint(IpAddress addr, int port) {
        return (addr.isIpv4() ? addr.toString() : "[" + addr + "]") + ":" + port;
    }

    private static void requirePort(String name, int port) {
        if (port < 0 || port > 0xFFFF) {
            throw new IllegalArgumentException(name + " " + port + " is not in 0..65535");
        }
    }
}
