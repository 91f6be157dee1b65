package io.tcpsim.ip;

import io.tcpsim.wire.IpAddress;
import java.lang.foreign.MemorySegment;

/**
 * A transport's ear for ICMPv6 errors quoting one of its packets (RFC 4443 §2.4 (d): the error is
 * passed to the upper layer that sent the invoking packet).
 */
@FunctionalInterface
public interface Ipv6ErrorHandler {
    /**
     * @param type         destination unreachable, packet too big, time exceeded or parameter problem
     * @param restOfHeader bytes 4..8 of the message: the MTU of a packet too big
     * @param quotedSrc    the invoking packet's source, our address
     * @param quotedDst    its destination, the peer
     * @param quotedUpper  the invoking packet's upper-layer header, at least 8 bytes of it
     */
    void error(int type, int code, int restOfHeader, IpAddress quotedSrc, IpAddress quotedDst,
               MemorySegment quotedUpper, long nowNanos);
}
