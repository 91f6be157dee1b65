package io.tcpsim.tcp;

import io.tcpsim.wire.TcpOption;
import io.tcpsim.wire.TcpOptions;
import io.tcpsim.wire.TcpPacket;
import io.tcpsim.wire.TcpRepr;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * SYN cookies (RFC 4987 §3.6), made and checked as Linux does (net/ipv4/syncookies.c): the ISN of
 * the SYN-ACK is {@code H0 + SEG.SEQ + count * 2^24 + ((H1(count) + mssIndex) mod 2^24)}, where
 * H0 and H1 are keyed hashes of the 4-tuple (cookie_hash(), two secrets), {@code count} the minute
 * counter (tcp_cookie_time()) and {@code mssIndex} the peer's MSS rounded down to
 * {@link #MSS_TABLE} (msstab). With timestamps on, the low {@value #TS_BITS} bits of the SYN-ACK's
 * TSval carry the peer's window scale and SACK-permitted (cookie_init_timestamp()), read back from
 * the TSecr of the final ACK (cookie_timestamp_decode()); without them, the connection has neither
 * (Linux tcp_clear_options() on a cookie SYN without timestamps). ECN is not negotiated by tcpsim,
 * so its bit is never set.
 */
final class SynCookies {
    /** Linux msstab: the MSS values a cookie can carry, indexed by its two low data bits. */
    static final int[] MSS_TABLE = {536, 1300, 1440, 1460};
    /** Linux COOKIEBITS: the hash and MSS index take the low 24 bits, the minute counter the top 8. */
    static final int COOKIE_BITS = 24;
    static final int COOKIE_MASK = (1 << COOKIE_BITS) - 1;
    /** Linux MAX_SYNCOOKIE_AGE: a cookie made this minute or the one before is accepted. */
    static final int MAX_AGE = 2;
    /** Linux TCP_SYNCOOKIE_PERIOD: the counter ticks once a minute. */
    static final long PERIOD_NANOS = 60_000_000_000L;
    /** Linux TCP_SYNCOOKIE_VALID: ACKs are checked for cookies this long after the last one was sent. */
    static final long VALID_NANOS = MAX_AGE * PERIOD_NANOS;
    /** Linux TSBITS and the option bits in them (TS_OPT_WSCALE_MASK, TS_OPT_SACK). */
    static final int TS_BITS = 6;
    static final int TS_WSCALE_MASK = 0xF;
    static final int TS_SACK = 1 << 4;
    /** Linux TCP_MSS_DEFAULT: the peer's MSS when its SYN has none. */
    static final int DEFAULT_MSS = 536;

    private final IsnGenerator keys;

    SynCookies(IsnGenerator keys) {
        this.keys = keys;
    }

    /** Linux tcp_cookie_time(): minutes of the clock. */
    static int count(long now) {
        return (int) Math.floorDiv(now, PERIOD_NANOS);
    }

    /** Linux __cookie_v4_init_sequence(): the largest table entry not above the peer's MSS. */
    static int mssIndex(int mss) {
        int i = MSS_TABLE.length - 1;
        while (i > 0 && mss < MSS_TABLE[i]) {
            i--;
        }
        return i;
    }

    /** The ISN of the cookie SYN-ACK answering a SYN with {@code peerSeq} (Linux secure_tcp_syn_cookie()). */
    int make(FourTuple t, int peerSeq, int mssIndex, long now) {
        int count = count(now);
        return keys.cookieHash(t, 0, 0) + peerSeq + (count << COOKIE_BITS)
                + ((keys.cookieHash(t, count, 1) + mssIndex) & COOKIE_MASK);
    }

    /**
     * The MSS a final ACK's cookie carries, or 0 when it is forged or older than {@link #MAX_AGE}
     * minutes (Linux __cookie_v4_check() and check_tcp_syn_cookie()).
     *
     * @param cookie  SEG.ACK - 1
     * @param peerSeq SEG.SEQ - 1
     */
    int check(FourTuple t, int cookie, int peerSeq, long now) {
        int count = count(now);
        int stripped = cookie - (keys.cookieHash(t, 0, 0) + peerSeq);
        int diff = (count - (stripped >>> COOKIE_BITS)) & (-1 >>> COOKIE_BITS);
        if (diff >= MAX_AGE) {
            return 0;
        }
        int index = (stripped - keys.cookieHash(t, count - diff, 1)) & COOKIE_MASK;
        return index < MSS_TABLE.length ? MSS_TABLE[index] : 0;
    }

    /**
     * Linux cookie_init_timestamp(): the timestamp clock {@code tsNow} (ticks, without the
     * connection's offset) with its low bits replaced by the options, never above {@code tsNow}.
     *
     * @param peerWscale the peer's shift, or -1 when it offered no window scaling
     */
    static int timestamp(int tsNow, int peerWscale, boolean sack) {
        int options = (peerWscale >= 0 ? peerWscale : TS_WSCALE_MASK) | (sack ? TS_SACK : 0);
        int ts = ((tsNow >>> TS_BITS) << TS_BITS) | options;
        return Integer.compareUnsigned(ts, tsNow) > 0 ? ts - (1 << TS_BITS) : ts;
    }

    /** The options a cookie's TSecr (without the offset) carries; {@code wscale} -1 for none. */
    record Options(int wscale, boolean sack) {
    }

    /**
     * Linux cookie_timestamp_decode(): the options from a TSecr; empty when they ask for what
     * the settings turned off (then the cookie is refused).
     */
    static Optional<Options> decode(int tsEcrTicks, TcpConfig config) {
        boolean sack = (tsEcrTicks & TS_SACK) != 0;
        if (!config.timestamps() || (sack && !config.sack())) {
            return Optional.empty();
        }
        int wscale = tsEcrTicks & TS_WSCALE_MASK;
        return Optional.of(new Options(wscale == TS_WSCALE_MASK ? -1 : wscale, sack));
    }

    /**
     * The SYN as a cookie remembers it: its options, but without window scale and SACK when it
     * has no timestamps to carry them (Linux tcp_clear_options()).
     */
    static TcpRepr remembered(TcpRepr syn, TcpConfig config) {
        if (config.timestamps() && syn.hasTimestamps()) {
            return syn;
        }
        List<TcpOption> kept = syn.mss().isPresent()
                ? List.of(new TcpOption.MaxSegmentSize(syn.mss().getAsInt())) : List.of();
        return withOptions(syn, kept);
    }

    /**
     * The SYN a valid final ACK stands for: sequence SEG.SEQ - 1, the cookie's MSS, and, when the
     * ACK has timestamps, its TSval and the window scale and SACK-permitted of its TSecr.
     */
    static TcpRepr rebuiltSyn(TcpRepr ack, int mss, Optional<Options> options, int tsVal) {
        List<TcpOption> list = new ArrayList<>();
        list.add(new TcpOption.MaxSegmentSize(mss));
        options.ifPresent(o -> {
            if (o.sack()) {
                list.add(TcpOption.SACK_PERMITTED);
            }
            list.add(new TcpOption.Timestamps(tsVal, 0));
            if (o.wscale() >= 0) {
                list.add(new TcpOption.WindowScale(o.wscale()));
            }
        });
        TcpRepr syn = new TcpRepr(ack.srcPort(), ack.dstPort(), ack.seq() - 1, 0, TcpPacket.SYN,
                ack.window(), 0, List.of(), TcpRepr.NO_PAYLOAD);
        return withOptions(syn, list);
    }

    private static TcpRepr withOptions(TcpRepr seg, List<TcpOption> options) {
        return new TcpRepr(seg.srcPort(), seg.dstPort(), seg.seq(), seg.ack(), seg.flags(), seg.window(),
                seg.urgentPointer(), TcpOptions.alignLinuxStyle(options), seg.payload());
    }
}
