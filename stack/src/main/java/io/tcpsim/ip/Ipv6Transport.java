package io.tcpsim.ip;

import io.tcpsim.wire.Ipv6Packet;
import java.io.IOException;
import java.lang.foreign.MemorySegment;

/** A transport protocol above IPv6: gets every valid packet of its next-header value addressed to us. */
@FunctionalInterface
public interface Ipv6Transport {
    /**
     * @param packet  the whole IPv6 packet
     * @param payload the upper-layer header and data, after any extension headers
     */
    void input(Ipv6Packet packet, MemorySegment payload, long nowNanos) throws IOException;
}
