package io.tcpsim;

import io.tcpsim.tcp.FourTuple;
import io.tcpsim.tcp.SegmentOutput;
import io.tcpsim.wire.TcpRepr;

/** Where TCP's segments go: by the family of the connection's addresses, to IPv4 or IPv6. */
final class TcpOutput implements SegmentOutput {
    private final SegmentOutput ipv4;
    private SegmentOutput ipv6;

    TcpOutput(SegmentOutput ipv4) {
        this.ipv4 = ipv4;
    }

    void attachIpv6(SegmentOutput output) {
        this.ipv6 = output;
    }

    @Override
    public void send(FourTuple tuple, TcpRepr segment) {
        if (!tuple.isIpv6()) {
            ipv4.send(tuple, segment);
        } else if (ipv6 != null) {
            ipv6.send(tuple, segment);
        } else {
            throw new IllegalStateException("an IPv6 connection on a stack without IPv6: " + tuple);
        }
    }
}
