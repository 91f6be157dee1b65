package io.tcpsim.udp;

import io.tcpsim.wire.UdpRepr;

/** Where UDP's datagrams go: implemented over IPv4 by the composition root. */
@FunctionalInterface
public interface DatagramOutput {
    /** Sends {@code datagram} from {@code srcAddr} to {@code dstAddr} (fragmented if it must be). */
    void send(int srcAddr, int dstAddr, UdpRepr datagram);
}
