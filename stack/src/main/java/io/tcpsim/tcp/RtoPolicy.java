package io.tcpsim.tcp;

/**
 * How the retransmission timeout follows from the RTT samples and how it backs off, a profile
 * setting ({@link TcpConfig#rtoPolicy()}): {@link #LINUX} is RFC 6298 as Linux computes it;
 * {@link #FREEBSD} is FreeBSD's fixed-point estimator, rexmit_slop and backoff table. All times in
 * nanoseconds.
 */
public sealed interface RtoPolicy permits RtoPolicy.Linux, RtoPolicy.FreeBsd {
    /** RFC 6298 with Linux's rules (tcp_rtt_estimator(), tcp_set_rto(), doubling backoff). */
    RtoPolicy LINUX = new Linux();
    /** FreeBSD's tcp_xmit_timer(), TCP_REXMTVAL, TCPT_RANGESET and tcp_backoff[]. */
    RtoPolicy FREEBSD = new FreeBsd();

    /**
     * The smoothed RTT and its variance, in nanoseconds: one per connection, made at its first
     * sample and updated in place at the next ones, so that an RTT sample (one per ACK of new
     * data) allocates nothing (issue 8).
     */
    final class Smoothed {
        private long srtt;
        private long rttvar;

        Smoothed(long srtt, long rttvar) {
            this.srtt = srtt;
            this.rttvar = rttvar;
        }

        public long srtt() {
            return srtt;
        }

        public long rttvar() {
            return rttvar;
        }

        /** These values now, kept by {@code previous} when there is one (updated in place). */
        static Smoothed update(Smoothed previous, long srtt, long rttvar) {
            if (previous == null) {
                return new Smoothed(srtt, rttvar);
            }
            previous.srtt = srtt;
            previous.rttvar = rttvar;
            return previous;
        }

        @Override
        public String toString() {
            return "Smoothed[srtt=" + srtt + ", rttvar=" + rttvar + "]";
        }
    }

    /**
     * SRTT and RTTVAR after the sample {@code r}: {@code previous} updated in place, or a new one
     * when it is null, before the first sample.
     */
    Smoothed smooth(Smoothed previous, long r);

    /** The RTO a sample {@code r} sets, from the smoothed values it gave, at most {@code rtoMax}. */
    long rto(Smoothed s, long r, long rtoMax);

    /**
     * The timer after {@code shift} timeouts in a row: {@code rto} itself at shift 0. {@code s} is
     * null before any sample, when the RTO is {@code initialRto}.
     */
    long backedOff(long rto, Smoothed s, long initialRto, int shift, long rtoMax);

    /** The SYN's or SYN-ACK's timer after {@code retransmits} retransmissions of it. */
    long handshakeTimeout(long initialRto, int retransmits, long rtoMax);

    /** RFC 6298 §5.7: a handshake without a valid sample leaves the RTO at 3 s (Linux tcp_init_metrics()). */
    boolean fallsBackAfterHandshake();

    /** RFC 6298 as Linux: the doubling backoff (§5.5), the variance term floored at TCP_RTO_MIN. */
    record Linux() implements RtoPolicy {
        /** RFC 6298 §2: alpha = 1/8 and beta = 1/4, as shifts. */
        private static final int ALPHA_SHIFT = 3;
        private static final int BETA_SHIFT = 2;

        /** RFC 6298 §2.2-2.3. */
        @Override
        public Smoothed smooth(Smoothed previous, long r) {
            if (previous == null) {
                return new Smoothed(r, r / 2);
            }
            long srtt = previous.srtt();
            long rttvar = previous.rttvar();
            long delta = Math.abs(srtt - r);
            rttvar = rttvar - (rttvar >> BETA_SHIFT) + (delta >> BETA_SHIFT);
            srtt = srtt - (srtt >> ALPHA_SHIFT) + (r >> ALPHA_SHIFT);
            return Smoothed.update(previous, srtt, rttvar);
        }

        /**
         * Linux tcp_set_rto(): the 200 ms floor applies to the variance term (mdev_max), not to
         * the RTO (RFC 6298 §2.4: 1 s); at most RTO max (§2.5).
         */
        @Override
        public long rto(Smoothed s, long r, long rtoMax) {
            return Math.min(s.srtt() + Math.max(4 * s.rttvar(), RttEstimator.RTO_MIN_NANOS), rtoMax);
        }

        /** RFC 6298 §5.5: doubled per timeout, at most RTO max. */
        @Override
        public long backedOff(long rto, Smoothed s, long initialRto, int shift, long rtoMax) {
            return doubled(rto, shift, rtoMax);
        }

        /** Linux tcp_retransmit_timer() / reqsk_timer_handler(): the initial RTO doubled. */
        @Override
        public long handshakeTimeout(long initialRto, int retransmits, long rtoMax) {
            return doubled(initialRto, retransmits, rtoMax);
        }

        @Override
        public boolean fallsBackAfterHandshake() {
            return true;
        }

        private static long doubled(long value, int shift, long max) {
            for (int i = 0; i < shift && value < max; i++) {
                value <<= 1;
            }
            return Math.min(value, max);
        }
    }

    /**
     * FreeBSD (sys/netinet/tcp_timer.c, tcp_var.h, tcp_input.c) with hz = 1000, so a tick is a
     * millisecond: tcp_xmit_timer() keeps SRTT scaled by 32 and RTTVAR by 16 in ticks, and takes
     * a sample as the first while SRTT is 0; TCP_REXMTVAL is max(t_rttmin, SRTT + 4 RTTVAR);
     * TCPT_RANGESET adds net.inet.tcp.rexmit_slop (200 ms) and bounds the result by t_rttmin
     * (net.inet.tcp.rexmit_min, TCPTV_MIN 30 ms) and TCPTV_REXMTMAX; tcp_timer_rexmt() multiplies
     * by tcp_backoff[t_rxtshift], in SYN-SENT and SYN-RECEIVED the initial RTO
     * (net.inet.tcp.rexmit_initial) instead of TCP_REXMTVAL.
     */
    record FreeBsd() implements RtoPolicy {
        private static final long TICK = 1_000_000L;
        /** TCP_RTT_SHIFT, TCP_RTTVAR_SHIFT, TCP_DELTA_SHIFT (tcp_var.h). */
        private static final int RTT_SHIFT = 5;
        private static final int RTTVAR_SHIFT = 4;
        private static final int DELTA_SHIFT = 2;
        /** tcp_rexmit_min (TCPTV_MIN, hz / 33) and tcp_rexmit_slop (TCPTV_CPU_VAR, hz / 5). */
        static final long RTT_MIN_NANOS = 30 * TICK;
        static final long SLOP_NANOS = 200 * TICK;
        /** tcp_backoff[] (tcp_timer.c), indexed by t_rxtshift up to TCP_MAXRXTSHIFT (12). */
        private static final int[] BACKOFF = {1, 2, 4, 8, 16, 32, 64, 64, 64, 64, 64, 64, 64};

        /** tcp_xmit_timer(). */
        @Override
        public Smoothed smooth(Smoothed previous, long r) {
            long rtt = r / TICK;
            if (previous == null || previous.srtt() == 0) {
                // "No rtt measurement yet": SRTT the sample, RTTVAR half of it.
                return fromScaled(previous, rtt << RTT_SHIFT, rtt << (RTTVAR_SHIFT - 1));
            }
            long srtt = scaledSrtt(previous);
            long rttvar = scaledRttvar(previous);
            long delta = ((rtt - 1) << DELTA_SHIFT) - (srtt >> (RTT_SHIFT - DELTA_SHIFT));
            srtt = Math.max(srtt + delta, 1);
            delta = Math.abs(delta) - (rttvar >> (RTTVAR_SHIFT - DELTA_SHIFT));
            rttvar = Math.max(rttvar + delta, 1);
            return fromScaled(previous, srtt, rttvar);
        }

        /** tcp_xmit_timer(): TCPT_RANGESET(t_rxtcur, TCP_REXMTVAL, max(t_rttmin, rtt + 2), TCPTV_REXMTMAX). */
        @Override
        public long rto(Smoothed s, long r, long rtoMax) {
            return rangeSet(rexmtVal(s), Math.max(RTT_MIN_NANOS, (r / TICK + 2) * TICK), rtoMax);
        }

        /** tcp_timer_rexmt(): TCP_REXMTVAL * tcp_backoff[t_rxtshift], range-set. */
        @Override
        public long backedOff(long rto, Smoothed s, long initialRto, int shift, long rtoMax) {
            if (shift == 0) {
                return rto;
            }
            long base = s == null || s.srtt() == 0 ? initialRto : rexmtVal(s);
            return rangeSet(base * BACKOFF[Math.min(shift, BACKOFF.length - 1)], RTT_MIN_NANOS, rtoMax);
        }

        /**
         * tcp_newtcpcb() starts t_rxtcur at tcp_rexmit_initial; tcp_timer_rexmt() in SYN-SENT
         * and SYN-RECEIVED: tcp_rexmit_initial * tcp_backoff[t_rxtshift], range-set.
         */
        @Override
        public long handshakeTimeout(long initialRto, int retransmits, long rtoMax) {
            return backedOff(initialRto, null, initialRto, retransmits, rtoMax);
        }

        @Override
        public boolean fallsBackAfterHandshake() {
            return false;
        }

        /** TCP_REXMTVAL: max(t_rttmin, ((t_srtt >> 3) + t_rttvar) >> 2) in ticks. */
        private static long rexmtVal(Smoothed s) {
            long ticks = ((scaledSrtt(s) >> (RTT_SHIFT - DELTA_SHIFT)) + scaledRttvar(s)) >> DELTA_SHIFT;
            return Math.max(RTT_MIN_NANOS, ticks * TICK);
        }

        /** TCPT_RANGESET: the value plus the slop, within min and max. */
        private static long rangeSet(long value, long min, long max) {
            return Math.min(Math.max(value + SLOP_NANOS, min), max);
        }

        private static long scaledSrtt(Smoothed s) {
            return s.srtt() * (1 << RTT_SHIFT) / TICK;
        }

        private static long scaledRttvar(Smoothed s) {
            return s.rttvar() * (1 << RTTVAR_SHIFT) / TICK;
        }

        /** Scaled tick values are multiples of 1/32 and 1/16 ms: exact in nanoseconds. */
        private static Smoothed fromScaled(Smoothed previous, long srtt, long rttvar) {
            return Smoothed.update(previous, srtt * TICK >> RTT_SHIFT, rttvar * TICK >> RTTVAR_SHIFT);
        }
    }
}
