package io.tcpsim.ip;

import io.tcpsim.wire.Ipv4Packet;
import java.io.IOException;

/** A transport protocol above IPv4: gets every valid datagram of its protocol addressed to us. */
@FunctionalInterface
public interface Ipv4Transport {
    void input(Ipv4Packet datagram, long nowNanos) throws IOException;
}
