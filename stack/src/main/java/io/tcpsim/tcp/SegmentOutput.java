package io.tcpsim.tcp;

import io.tcpsim.wire.TcpRepr;

/**
 * Where the TCP layer's segments go: the IP layer emits them with their checksum. The tuple is
 * our side's view: the local address and port are the segment's source.
 */
@FunctionalInterface
public interface SegmentOutput {
    void send(FourTuple tuple, TcpRepr segment);
}
