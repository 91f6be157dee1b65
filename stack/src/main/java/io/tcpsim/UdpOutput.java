package io.tcpsim;

import io.tcpsim.udp.DatagramOutput;
import io.tcpsim.wire.IpAddress;
import io.tcpsim.wire.UdpRepr;

/** Where UDP's datagrams go: by the family of their addresses, to IPv4 or IPv6. */
final class UdpOutput implements DatagramOutput {
    private final DatagramOutput ipv4;
    private DatagramOutput ipv6;

    UdpOutput(DatagramOutput ipv4) {
        this.ipv4 = ipv4;
    }

    void attachIpv6(DatagramOutput output) {
        this.ipv6 = output;
    }

    @Override
    public void send(IpAddress srcAddr, IpAddress dstAddr, UdpRepr datagram) {
        if (dstAddr.isIpv4()) {
            ipv4.send(srcAddr, dstAddr, datagram);
        } else if (ipv6 != null) {
            ipv6.send(srcAddr, dstAddr, datagram);
        } else {
            throw new IllegalStateException("an IPv6 datagram on a stack without IPv6: to " + dstAddr);
        }
    }
}
