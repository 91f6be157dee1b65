package io.tcpsim.tcp;

import io.tcpsim.wire.TcpRepr;

/**
 * Where the TCP layer's segments go: the IP layer emits them with their checksum. The tuple is
 * our side's view: the local address and port are the segment's source.
 *
 * <p>A data segment's payload is a view of the connection's send queue, valid only during the
 * call (the IP layer copies it once, into the packet): an output that keeps a segment past the
 * call keeps {@link TcpRepr#detached()}.
 */
@FunctionalInterface
public interface SegmentOutput {
    void send(FourTuple tuple, TcpRepr segment);
}
