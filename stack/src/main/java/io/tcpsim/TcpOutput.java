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
        family(tuple).send(tuple, segment);
    }

    /** What both families take, so that a connection need not know its own. */
    @Override
    public int segmentationLimit() {
        return ipv6 == null ? ipv4.segmentationLimit() : Math.min(ipv4.segmentationLimit(), ipv6.segmentationLimit());
    }

    @Override
    public void sendSegmented(FourTuple tuple, TcpRepr segment, int segmentSize) {
        family(tuple).sendSegmented(tuple, segment, segmentSize);
    }

    private SegmentOutput family(FourTuple tuple) {
        if (!tuple.isIpv6()) {
            return ipv4;
        } else if (ipv6 != null) {
            return ipv6;
        }
        throw new IllegalStateException("an IPv6 connection on a stack without IPv6: " + tuple);
    }
}
