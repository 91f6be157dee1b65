package io.tcpsim.tcp;

import io.tcpsim.wire.TcpRepr;

/**
 * Where the TCP layer's segments go: the IP layer emits them with their checksum. The tuple is
 * our side's view: the local address and port are the segment's source.
 *
 * <p>A segment is valid only during the call: data segments and ACKs are the host's one reusable
 * {@link TcpRepr}, filled again for the next, and a data segment's payload is a place in the
 * connection's send queue (the IP layer copies it once, into the packet). An output that keeps a
 * segment past the call keeps {@link TcpRepr#detached()}, a whole copy.
 *
 * <p>An output over a link that segments TCP packets (TSO: a TUN with offloads) also takes
 * segments larger than the MSS ({@link #sendSegmented}), as Linux's TCP hands a TSO device one
 * skb of many segments (tcp_write_xmit()) and the device cuts it (tcp_gso_segment()).
 */
@FunctionalInterface
public interface SegmentOutput {
    void send(FourTuple tuple, TcpRepr segment);

    /**
     * The largest TCP segment, header and data, {@link #sendSegmented} takes (Linux
     * sk_gso_max_size); 0 when the link does not segment TCP packets.
     */
    default int segmentationLimit() {
        return 0;
    }

    /**
     * Sends {@code segment}, whose data the link cuts into segments of {@code segmentSize} bytes
     * (the last may be shorter), each with a copy of its header, the sequence number advanced,
     * PSH and FIN only on the last (Linux tcp_gso_segment()); its checksum is left to the link
     * (Linux CHECKSUM_PARTIAL), also when the data fits one segment.
     *
     * @throws UnsupportedOperationException when {@link #segmentationLimit()} is 0
     */
    default void sendSegmented(FourTuple tuple, TcpRepr segment, int segmentSize) {
        throw new UnsupportedOperationException("this output does not segment TCP packets (no TSO)");
    }
}
