package io.tcpsim.pcap;

/**
 * A side's connection state as a passive observer infers it (the states of RFC 9293 §3.3.2; the
 * pcap package does not see the tcp package's own enum).
 */
public enum SideState {
    CLOSED, LISTEN, SYN_SENT, SYN_RECEIVED, ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, CLOSE_WAIT, CLOSING, LAST_ACK,
    TIME_WAIT;

    /** ESTABLISHED and the states after it, before CLOSED. */
    public boolean synchronizedState() {
        return ordinal() >= ESTABLISHED.ordinal();
    }
}
