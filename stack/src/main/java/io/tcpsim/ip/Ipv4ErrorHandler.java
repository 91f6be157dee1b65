package io.tcpsim.ip;

import io.tcpsim.wire.Icmpv4Quote;

/**
 * A transport's ear for ICMP destination unreachable messages quoting one of its datagrams
 * (RFC 1122 §3.2.2.1: the transport is told, with the code).
 */
@FunctionalInterface
public interface Ipv4ErrorHandler {
    void destinationUnreachable(int icmpSrc, int icmpDst, int code, Icmpv4Quote quote, long nowNanos);
}
