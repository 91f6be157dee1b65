package io.tcpsim.udp;

/**
 * A received datagram waiting in an endpoint's queue: where it came from, its data (copied out of
 * the receive buffer) and the memory Linux would charge for it ({@link Truesize}).
 */
public record Datagram(int srcAddr, int srcPort, byte[] data, int truesize) {

    /** The payload length. */
    public int length() {
        return data.length;
    }
}
