package io.tcpsim.tcp;

/**
 * The error an acceptable RST leaves for the application in a synchronized state (RFC 9293
 * §3.10.7.4 "second, check the RST bit": "connection reset" in all of them, "connection refused"
 * for a passive open's SYN-RECEIVED). The kernels differ in two states.
 */
public enum ResetErrors {
    /** Linux tcp_reset(): EPIPE in CLOSE-WAIT, ECONNRESET elsewhere (SYN-RECEIVED too). */
    LINUX,
    /**
     * FreeBSD tcp_input() (tcp_dropwithreset path for RST): ECONNREFUSED in SYN-RECEIVED,
     * ECONNRESET in every other synchronized state, CLOSE-WAIT included.
     */
    FREEBSD;

    /** The error for a RST accepted in {@code state}. */
    public TcpError errorIn(TcpState state) {
        return switch (this) {
            case LINUX -> state == TcpState.CLOSE_WAIT ? TcpError.EPIPE : TcpError.ECONNRESET;
            case FREEBSD -> state == TcpState.SYN_RECEIVED ? TcpError.ECONNREFUSED : TcpError.ECONNRESET;
        };
    }
}
