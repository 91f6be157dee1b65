package io.tcpsim.tcp;

/**
 * The timer a socket is waiting on, as {@code ss -o} shows it ({@code timer:(on,200ms,0)}): the
 * kind, the time left, and the retransmissions or probes sent so far.
 *
 * @param kind           which timer, by ss's name
 * @param remainingNanos time until it fires (0 when due)
 * @param count          retransmissions (ON) or unanswered probes (PERSIST, KEEPALIVE); 0 otherwise
 */
public record TcpTimer(Kind kind, long remainingNanos, int count) {
    /** No timer runs. */
    public static final TcpTimer OFF = new TcpTimer(Kind.OFF, 0, 0);

    /** Linux inet_diag's idiag_timer values, named as ss names them. */
    public enum Kind {
        OFF("off"), ON("on"), KEEPALIVE("keepalive"), TIMEWAIT("timewait"), PERSIST("persist");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }
}
