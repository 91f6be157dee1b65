package io.tcpsim.udp;

import io.tcpsim.wire.IpAddress;
import io.tcpsim.wire.UdpRepr;

/** Where UDP's datagrams go: implemented over IPv4 and IPv6 by the composition root. */
@FunctionalInterface
public interface DatagramOutput {
    /**
     * Sends {@code datagram} from {@code srcAddr} to {@code dstAddr}, both of one family, over that
     * family's IP (fragmented if it must be).
     */
    void send(IpAddress srcAddr, IpAddress dstAddr, UdpRepr datagram);
}
