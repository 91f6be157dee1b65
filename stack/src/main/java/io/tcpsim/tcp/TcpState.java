package io.tcpsim.tcp;

/** The connection states of RFC 9293 §3.3.2, in the order of its state diagram. */
public enum TcpState {
    CLOSED, LISTEN, SYN_SENT, SYN_RECEIVED, ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, CLOSE_WAIT, CLOSING,
    LAST_ACK, TIME_WAIT
}
