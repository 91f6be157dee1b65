package io.tcpsim.tcp;

import io.tcpsim.wire.Seq;
import io.tcpsim.wire.TcpOption;
import io.tcpsim.wire.TcpRepr;

/**
 * The timestamps option of one connection (RFC 7323): TSval from a millisecond clock plus a
 * per-connection offset (§5.4, §7.1; Linux tcp_time_stamp_ts() with secure_tcp_ts_off()),
 * TS.Recent and when it was stored (§4.3, §5.5), PAWS (§5.3) and RTT samples from TSecr (§4.1).
 * TSval comparisons are modulo 2^32 (§5.2), so they hold across the timestamp clock's wrap.
 */
final class TcpTimestamps {
    static final long NANOS_PER_MS = 1_000_000L;
    /** RFC 7323 §5.5: TS.Recent is invalid after 24 days without a valid segment (Linux TCP_PAWS_24DAYS). */
    static final long PAWS_IDLE_NANOS = 24L * 24 * 3600 * 1_000_000_000L;
    /** Linux TCP_PAWS_WINDOW: a TSval one tick older than TS.Recent still passes. */
    static final int PAWS_WINDOW = 1;
    /** Option bytes on a non-SYN segment, aligned: nop,nop,TS (RFC 7323 Appendix A). */
    static final int ALIGNED_LENGTH = 12;

    private final int offset;
    /** Both SYNs carried the option (RFC 7323 §3.2): every later segment carries it. */
    boolean ok;
    /** TS.Recent (RFC 7323 §4.3), echoed in TSecr. */
    int recent;
    /** When TS.Recent was last stored (RFC 7323 §5.5, Linux ts_recent_stamp). */
    long recentAt;
    /** The TSvals of the first and the last SYN-ACK sent (Linux snt_tsval_first, snt_tsval_last). */
    private boolean synAckSent;
    private int synAckFirst;
    private int synAckLast;
    /** The latest time a TSval was taken for, so that none goes backwards (RFC 7323 §5.4). */
    private long stampedAt = Long.MIN_VALUE;

    TcpTimestamps(int offset) {
        this.offset = offset;
    }

    /** The timestamp clock now without this connection's offset (what a SYN cookie's bits go into). */
    static int ticks(long now) {
        return (int) Math.floorDiv(now, NANOS_PER_MS);
    }

    /** A clock value in ticks as this connection sends it: with its offset. */
    int withOffset(int ticks) {
        return ticks + offset;
    }

    /** A TSecr back to the clock's ticks: without this connection's offset. */
    int withoutOffset(int tsEcr) {
        return tsEcr - offset;
    }

    /** TSval now: one tick per millisecond (RFC 7323 §5.4 allows 1 ms to 1 s). */
    int val(long now) {
        return (int) Math.floorDiv(now, NANOS_PER_MS) + offset;
    }

    /** The option for a segment sent now: our clock and TS.Recent (RFC 7323 §3.2). */
    TcpOption.Timestamps option(long now) {
        return new TcpOption.Timestamps(stamp(now), recent);
    }

    /**
     * The TSval a segment sent now carries: {@link #val}, but never below one already sent (RFC
     * 7323 §5.4). The stack thread's time can step back within one poll (tasks read the clock
     * after the poll's time was taken), and Linux's tcp_check_req() PAWS has no slack: a
     * handshake ACK one tick older than the SYN would be rejected.
     */
    int stamp(long now) {
        stampedAt = Math.max(stampedAt, now);
        return val(stampedAt);
    }

    /** Takes the peer's SYN: the option is in use when both offered it; TS.Recent is its TSval. */
    void negotiate(TcpRepr peerSyn, boolean offered, long now) {
        ok = offered && peerSyn.hasTimestamps();
        if (ok) {
            store(peerSyn.tsVal(), now);
        }
    }

    void store(int tsVal, long now) {
        recent = tsVal;
        recentAt = now;
    }

    /**
     * Linux tcp_paws_check(): the TSval is not older than TS.Recent by more than {@code window}
     * ticks, or TS.Recent is too old to compare (idle 24 days, RFC 7323 §5.5) or unset (0).
     */
    boolean pawsCheck(int tsVal, int window, long now) {
        return pawsCheck(tsVal, window, recentAt, now);
    }

    /** {@link #pawsCheck(int, int, long)} with TS.Recent taken to have been stored at {@code storedAt}. */
    boolean pawsCheck(int tsVal, int window, long storedAt, long now) {
        return recent - tsVal <= window || now - storedAt >= PAWS_IDLE_NANOS || recent == 0;
    }

    void noteSynAck(int tsVal) {
        if (!synAckSent) {
            synAckSent = true;
            synAckFirst = tsVal;
        }
        synAckLast = tsVal;
    }

    /**
     * Linux tcp_check_req() tsecr_reject: a TSecr that echoes none of the TSvals our SYN-ACKs
     * carried (modulo 2^32); a TSecr of 0 is not checked.
     */
    boolean echoesNoSynAck(int tsEcr) {
        return synAckSent && tsEcr != 0 && Integer.compareUnsigned(tsEcr - synAckFirst, synAckLast - synAckFirst) > 0;
    }

    /**
     * RFC 7323 §4.3: TS.Recent takes the TSval of a segment that does not start beyond the last
     * ACK we sent (Last.ACK.sent, Linux rcv_wup) and is not older (Linux tcp_replace_ts_recent()).
     */
    void updateRecent(TcpRepr seg, int lastAckSent, long now) {
        if (!ok || !seg.hasTimestamps() || Seq.gt(seg.seq(), lastAckSent)) {
            return;
        }
        int tsVal = seg.tsVal();
        if (pawsCheck(tsVal, 0, now)) {
            store(tsVal, now);
        }
    }

    /**
     * RFC 7323 §4.1 RTTM: the RTT from the echoed TSecr, in nanoseconds; -1 without one. Linux
     * tcp_rtt_tsopt_us(): a zero difference counts as one tick, a negative or huge one as none.
     */
    long rttSample(TcpRepr seg, long now) {
        if (!ok || !seg.hasTimestamps() || seg.tsEcr() == 0) {
            return -1;
        }
        int delta = val(now) - seg.tsEcr();
        if (delta < 0) {
            return -1;
        }
        return Math.max(delta, 1) * NANOS_PER_MS;
    }
}
