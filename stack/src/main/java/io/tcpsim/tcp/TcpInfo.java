package io.tcpsim.tcp;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Linux's {@code struct tcp_info} (include/uapi/linux/tcp.h, the 248-byte layout of Linux 6.7 up to
 * tcpi_total_rto_time) as bytes in the host's order, which getsockopt(TCP_INFO) copies out, with an
 * accessor per field. {@link #of(TcpConnection, long)} fills it from a connection as Linux
 * tcp_get_info() does; {@link #wrap} reads the kernel's bytes the same way, so the two compare
 * field by field.
 *
 * <pre>
 *   0 state  1 ca_state  2 retransmits  3 probes  4 backoff  5 options  6 snd_wscale:4|rcv_wscale:4  7 flags
 *   8 rto  12 ato  16 snd_mss  20 rcv_mss  24 unacked  28 sacked  32 lost  36 retrans  40 fackets
 *  44 last_data_sent  48 last_ack_sent  52 last_data_recv  56 last_ack_recv  60 pmtu  64 rcv_ssthresh
 *  68 rtt  72 rttvar  76 snd_ssthresh  80 snd_cwnd  84 advmss  88 reordering  92 rcv_rtt  96 rcv_space
 * 100 total_retrans  104 pacing_rate:8  112 max_pacing_rate:8  120 bytes_acked:8  128 bytes_received:8
 * 136 segs_out  140 segs_in  144 notsent_bytes  148 min_rtt  152 data_segs_in  156 data_segs_out
 * 160 delivery_rate:8  168 busy_time:8  176 rwnd_limited:8  184 sndbuf_limited:8  192 delivered
 * 196 delivered_ce  200 bytes_sent:8  208 bytes_retrans:8  216 dsack_dups  220 reord_seen
 * 224 rcv_ooopack  228 snd_wnd  232 rcv_wnd  236 rehash  240 total_rto:2  242 total_rto_recoveries:2
 * 244 total_rto_time
 * </pre>
 * Times are in microseconds (rto, ato, rtt, rttvar, rcv_rtt, min_rtt) or milliseconds (last_*,
 * total_rto_time); snd_ssthresh and snd_cwnd in segments; unacked, lost, retrans in segments.
 * Newer kernels append Accurate ECN counters (280 bytes in Linux 6.18); tcpsim has no ECN and
 * stops where Linux 6.7 did, which getsockopt's optlen reports.
 */
public final class TcpInfo {
    /** sizeof(struct tcp_info) up to tcpi_total_rto_time (Linux 6.7). */
    public static final int SIZE = 248;

    public static final int TCPI_OPT_TIMESTAMPS = 1;
    public static final int TCPI_OPT_SACK = 2;
    public static final int TCPI_OPT_WSCALE = 4;

    /** tcpi_ca_state (enum tcp_ca_state). */
    public static final int TCP_CA_OPEN = 0;
    public static final int TCP_CA_DISORDER = 1;
    public static final int TCP_CA_RECOVERY = 3;
    public static final int TCP_CA_LOSS = 4;

    /** Linux TCP_INFINITE_SSTHRESH: no slow-start threshold yet. */
    public static final int INFINITE_SSTHRESH = 0x7fffffff;

    static final int STATE = 0;
    static final int CA_STATE = 1;
    static final int RETRANSMITS = 2;
    static final int PROBES = 3;
    static final int BACKOFF = 4;
    static final int OPTIONS = 5;
    static final int WSCALE = 6;
    static final int RTO = 8;
    static final int ATO = 12;
    static final int SND_MSS = 16;
    static final int RCV_MSS = 20;
    static final int UNACKED = 24;
    static final int SACKED = 28;
    static final int LOST = 32;
    static final int RETRANS = 36;
    static final int LAST_DATA_SENT = 44;
    static final int LAST_DATA_RECV = 52;
    static final int LAST_ACK_RECV = 56;
    static final int PMTU = 60;
    static final int RCV_SSTHRESH = 64;
    static final int RTT = 68;
    static final int RTTVAR = 72;
    static final int SND_SSTHRESH = 76;
    static final int SND_CWND = 80;
    static final int ADVMSS = 84;
    static final int REORDERING = 88;
    static final int RCV_RTT = 92;
    static final int RCV_SPACE = 96;
    static final int TOTAL_RETRANS = 100;
    static final int PACING_RATE = 104;
    static final int MAX_PACING_RATE = 112;
    static final int BYTES_ACKED = 120;
    static final int BYTES_RECEIVED = 128;
    static final int SEGS_OUT = 136;
    static final int SEGS_IN = 140;
    static final int NOTSENT_BYTES = 144;
    static final int MIN_RTT = 148;
    static final int DATA_SEGS_IN = 152;
    static final int DATA_SEGS_OUT = 156;
    static final int BYTES_SENT = 200;
    static final int BYTES_RETRANS = 208;
    static final int RCV_OOOPACK = 224;
    static final int SND_WND = 228;
    static final int RCV_WND = 232;
    static final int TOTAL_RTO = 240;
    static final int TOTAL_RTO_RECOVERIES = 242;

    private final ByteBuffer bytes;

    private TcpInfo(byte[] b) {
        this.bytes = ByteBuffer.wrap(b).order(ByteOrder.nativeOrder());
    }

    /** An all-zero struct, for the builders in this package. */
    static TcpInfo zero() {
        return new TcpInfo(new byte[SIZE]);
    }

    /**
     * The struct as {@code getsockopt(TCP_INFO)} returned it: a shorter array (an older kernel, a
     * smaller optlen) reads 0 for the fields it lacks; the bytes are copied.
     */
    public static TcpInfo wrap(byte[] b, int length) {
        byte[] copy = new byte[SIZE];
        System.arraycopy(b, 0, copy, 0, Math.min(Math.min(length, b.length), SIZE));
        return new TcpInfo(copy);
    }

    /** What getsockopt(TCP_INFO) reports for a connection in its own state. */
    public static TcpInfo of(TcpConnection c, long now) {
        return TcpInfoFill.connection(c, c.state(), now);
    }

    /**
     * The same, with the state the socket shows: Linux hands TIME_WAIT to a timewait sock and
     * leaves the socket in CLOSE, so a descriptor still open reports CLOSE then.
     */
    public static TcpInfo of(TcpConnection c, TcpState shown, long now) {
        return TcpInfoFill.connection(c, shown, now);
    }

    /** A listener: Linux fills state, cwnd and reordering, and aliases unacked and sacked. */
    public static TcpInfo of(TcpListener l) {
        return TcpInfoFill.listener(l);
    }

    /** A socket with no connection yet (CLOSE): Linux tcp_init_sock()'s values. */
    public static TcpInfo unconnected(TcpConfig config) {
        return TcpInfoFill.unconnected(config);
    }

    /** The struct's bytes (a copy), {@link #SIZE} long. */
    public byte[] toBytes() {
        return bytes.array().clone();
    }

    /** The Linux number of a state (include/net/tcp_states.h: TCP_ESTABLISHED = 1 ... TCP_CLOSING = 11). */
    public static int linuxState(TcpState s) {
        return switch (s) {
            case ESTABLISHED -> 1;
            case SYN_SENT -> 2;
            case SYN_RECEIVED -> 3;
            case FIN_WAIT_1 -> 4;
            case FIN_WAIT_2 -> 5;
            case TIME_WAIT -> 6;
            case CLOSED -> 7;
            case CLOSE_WAIT -> 8;
            case LAST_ACK -> 9;
            case LISTEN -> 10;
            case CLOSING -> 11;
        };
    }

    void u8(int offset, int value) {
        bytes.put(offset, (byte) Math.min(value, 0xFF));
    }

    void u16(int offset, long value) {
        bytes.putShort(offset, (short) Math.min(value, 0xFFFF));
    }

    /** An unsigned 32-bit field; a larger value is cut to its low 32 bits, as the kernel's u32 counters wrap. */
    void u32(int offset, long value) {
        bytes.putInt(offset, (int) value);
    }

    void u64(int offset, long value) {
        bytes.putLong(offset, value);
    }

    private int u8(int offset) {
        return bytes.get(offset) & 0xFF;
    }

    private long u32(int offset) {
        return Integer.toUnsignedLong(bytes.getInt(offset));
    }

    private long u64(int offset) {
        return bytes.getLong(offset);
    }

    public int state() {
        return u8(STATE);
    }

    public int caState() {
        return u8(CA_STATE);
    }

    public int retransmits() {
        return u8(RETRANSMITS);
    }

    public int probes() {
        return u8(PROBES);
    }

    public int backoff() {
        return u8(BACKOFF);
    }

    /** TCPI_OPT_* bits. */
    public int options() {
        return u8(OPTIONS);
    }

    /** The peer's window scale shift (the low 4 bits of byte 6, as GCC lays out the bit-field). */
    public int sndWscale() {
        return u8(WSCALE) & 0xF;
    }

    public int rcvWscale() {
        return u8(WSCALE) >>> 4;
    }

    public long rto() {
        return u32(RTO);
    }

    public long ato() {
        return u32(ATO);
    }

    public long sndMss() {
        return u32(SND_MSS);
    }

    public long rcvMss() {
        return u32(RCV_MSS);
    }

    /** Segments in flight; for a listener, connections waiting in the accept queue. */
    public long unacked() {
        return u32(UNACKED);
    }

    /** SACKed segments; for a listener, the backlog. */
    public long sacked() {
        return u32(SACKED);
    }

    public long lost() {
        return u32(LOST);
    }

    public long retrans() {
        return u32(RETRANS);
    }

    public long lastDataSent() {
        return u32(LAST_DATA_SENT);
    }

    public long lastDataRecv() {
        return u32(LAST_DATA_RECV);
    }

    public long lastAckRecv() {
        return u32(LAST_ACK_RECV);
    }

    public long pmtu() {
        return u32(PMTU);
    }

    public long rcvSsthresh() {
        return u32(RCV_SSTHRESH);
    }

    public long rtt() {
        return u32(RTT);
    }

    public long rttvar() {
        return u32(RTTVAR);
    }

    public long sndSsthresh() {
        return u32(SND_SSTHRESH);
    }

    public long sndCwnd() {
        return u32(SND_CWND);
    }

    public long advmss() {
        return u32(ADVMSS);
    }

    public long reordering() {
        return u32(REORDERING);
    }

    /** tcpi_rcv_rtt: the receiver's RTT estimate (Linux rcv_rtt_est), microseconds. */
    public long rcvRtt() {
        return u32(RCV_RTT);
    }

    public long rcvSpace() {
        return u32(RCV_SPACE);
    }

    public long totalRetrans() {
        return u32(TOTAL_RETRANS);
    }

    public long maxPacingRate() {
        return u64(MAX_PACING_RATE);
    }

    public long bytesAcked() {
        return u64(BYTES_ACKED);
    }

    public long bytesReceived() {
        return u64(BYTES_RECEIVED);
    }

    public long segsOut() {
        return u32(SEGS_OUT);
    }

    public long segsIn() {
        return u32(SEGS_IN);
    }

    public long notsentBytes() {
        return u32(NOTSENT_BYTES);
    }

    /** The smallest RTT seen, microseconds; 0xFFFFFFFF (Linux ~0U) before any sample. */
    public long minRtt() {
        return u32(MIN_RTT);
    }

    public long dataSegsIn() {
        return u32(DATA_SEGS_IN);
    }

    public long dataSegsOut() {
        return u32(DATA_SEGS_OUT);
    }

    public long bytesSent() {
        return u64(BYTES_SENT);
    }

    public long bytesRetrans() {
        return u64(BYTES_RETRANS);
    }

    public long rcvOooPack() {
        return u32(RCV_OOOPACK);
    }

    /** The peer's window in bytes, scale applied. */
    public long sndWnd() {
        return u32(SND_WND);
    }

    /** The window we last offered, in bytes. */
    public long rcvWnd() {
        return u32(RCV_WND);
    }

    public int totalRto() {
        return bytes.getShort(TOTAL_RTO) & 0xFFFF;
    }

    public int totalRtoRecoveries() {
        return bytes.getShort(TOTAL_RTO_RECOVERIES) & 0xFFFF;
    }
}
