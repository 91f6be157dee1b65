package io.tcpsim.udp;

import io.tcpsim.wire.IpAddress;

/**
 * A received datagram waiting in an endpoint's queue: where it came from (an IPv4 sender held
 * IPv4-mapped), its data (copied out of the receive buffer) and the memory Linux would charge for
 * it ({@link Truesize}).
 */
public record Datagram(IpAddress srcAddr, int srcPort, byte[] data, int truesize) {

    /** The payload length. */
    public int length() {
        return data.length;
    }
}
