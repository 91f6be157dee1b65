package io.tcpsim.tcp;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * TCP settings, with Linux's defaults ({@link #linuxDefaults(int)}; the sysctl or kernel constant
 * each one mirrors is named on its component).
 *
 * @param mss               MSS we advertise and our cap for sending: MTU - 40 (IPv4, RFC 9293 §3.7.1)
 * @param timeWait          TIME_WAIT length, 2MSL: Linux TCP_TIMEWAIT_LEN, fixed 60 s
 * @param finTimeout        FIN_WAIT_2 timeout of a connection the application closed: tcp_fin_timeout
 * @param synRetries        SYN retransmissions before ETIMEDOUT: tcp_syn_retries
 * @param synAckRetries     SYN-ACK retransmissions before a half-open request is dropped: tcp_synack_retries
 * @param orphanRetries     FIN retransmissions after close() before giving up: tcp_orphan_retries (0 means 8)
 * @param retries2          data or FIN retransmissions in a row (the socket still open) before ETIMEDOUT:
 *                          tcp_retries2
 * @param initialRto        first retransmission timeout: TCP_TIMEOUT_INIT (RFC 6298 §2.1)
 * @param rtoMax            backoff cap: TCP_RTO_MAX
 * @param somaxconn         cap on a listener's backlog: net.core.somaxconn
 * @param maxSynBacklog     cap on a listener's half-open requests: tcp_max_syn_backlog
 * @param abortOnOverflow   RST a final ACK that finds the accept queue full: tcp_abort_on_overflow
 * @param windowScale       shift we offer (RFC 7323 §2.2); Linux derives 7 from the 6 MB tcp_rmem max
 * @param tcpRmem           a connection's receive buffer (SO_RCVBUF as getsockopt(2) reports it): its
 *                          first size and the most autotuning grows it to: net.ipv4.tcp_rmem; the
 *                          bytes of data it holds follow from the buffer rules ({@link #receiveBuffer()})
 * @param tcpWmem           the same for the send buffer, the bytes write() queues before they are
 *                          acknowledged: net.ipv4.tcp_wmem
 * @param challengeAckLimit challenge ACKs per second, all connections: tcp_challenge_ack_limit
 *                          (INT_MAX, i.e. off, since Linux 6.0; it was 1000 from 4.7)
 * @param invalidRateLimit  per connection, at most one challenge or out-of-window ACK in this time:
 *                          tcp_invalid_ratelimit
 * @param ephemeralLow      first port of the ephemeral range: ip_local_port_range
 * @param ephemeralHigh     last port of the ephemeral range
 * @param rfc1337           ignore an exact RST in TIME_WAIT (RFC 1337) instead of closing: tcp_rfc1337
 * @param congestionControl congestion control of new connections, "cubic" or "reno":
 *                          net.ipv4.tcp_congestion_control
 * @param timestamps        offer and accept the timestamps option (RFC 7323 §3): tcp_timestamps
 * @param sack              offer and accept SACK (RFC 2018 §2): tcp_sack
 * @param dsack             report duplicate segments in D-SACK blocks (RFC 2883): tcp_dsack
 * @param keepAliveTime     idle time before the first keepalive probe, unless TCP_KEEPIDLE says
 *                          otherwise: tcp_keepalive_time
 * @param keepAliveInterval time between keepalive probes (TCP_KEEPINTVL's default): tcp_keepalive_intvl
 * @param keepAliveProbes   unanswered probes before the connection fails (TCP_KEEPCNT's default):
 *                          tcp_keepalive_probes
 * @param syncookies        SYN cookies (RFC 4987 §3.6): 0 never, 1 when the SYN queue overflows, 2 always:
 *                          tcp_syncookies
 * @param tcpMem            the memory thresholds of all connections' buffers together: tcp_mem
 * @param maxOrphans        connections the application has closed that may still be finishing;
 *                          one more is reset on close(): tcp_max_orphans (Linux sizes it from the
 *                          established hash table: 131072 on the 24 GiB development machine)
 * @param maxTwBuckets      connections in TIME_WAIT at once; a connection that would be one more is
 *                          destroyed instead of entering TIME_WAIT: tcp_max_tw_buckets (Linux
 *                          tcp_sk_init() takes half the established hash table, as for
 *                          tcp_max_orphans: 131072 on the development machine, 262144 on larger ones)
 * @param bufferRules       how socket buffers are reported and rounded, and the first window rounded
 * @param optionLayout      the order and padding of our SYN and SYN-ACK options
 * @param quickSynRetry     after answering an unacceptable ACK in SYN-SENT with a RST, send the SYN
 *                          again after TCP_TIMEOUT_MIN when it has not been retransmitted yet, as
 *                          Linux's tcp_rcv_synsent_state_process() does ("previous FIN/ACK or RST/ACK
 *                          might be ignored"); FreeBSD keeps its retransmission timer
 * @param ackRepeatsFin     while our FIN is sent and not acknowledged, an acknowledgment carries the FIN
 *                          again (at its sequence number), as FreeBSD's tcp_output() does (tcp_outflags[]
 *                          has FIN in FIN-WAIT-1, CLOSING and LAST-ACK); Linux sends a plain ACK
 * @param resetErrors       the error a RST in a synchronized state leaves for the application
 * @param timeWaitNeedsAck  in TIME-WAIT a segment without ACK (other than a RST or a SYN that reopens)
 *                          is dropped without a reply, as FreeBSD's tcp_twcheck() does ("Drop the
 *                          segment if it does not contain an ACK"); Linux acknowledges it
 * @param dropSynFin        a listener drops a SYN that also carries FIN, as Linux always does
 *                          (tcp_rcv_state_process(): "if (th->fin) goto discard") and FreeBSD with
 *                          net.inet.tcp.drop_synfin=1; with 0 FreeBSD takes it as a SYN and ignores
 *                          the FIN (tcp_input() then syncache_add())
 * @param shutdownReadDiscards after shutdown(SHUT_RD) the unread data and all data that arrives
 *                          later is acknowledged and thrown away, as FreeBSD's soshutdown() (sbflush)
 *                          and tcp_input() (SBS_CANTRCVMORE: m_freem) do; Linux keeps queueing it and
 *                          read() still returns it (tcp_recvmsg())
 * @param lateShutdownDisconnects shutdown(SHUT_WR) once our FIN is acknowledged (FIN-WAIT-2,
 *                          TIME-WAIT) disconnects the socket: reads return 0 and later data is
 *                          thrown away, as FreeBSD's tcp_usrclosed() calls soisdisconnected() for
 *                          states from FIN-WAIT-2 on; Linux's tcp_shutdown() changes nothing there
 * @param synTextKept       text carried on a SYN-ACK or a crossed SYN in SYN-SENT is kept (RFC 9293
 *                          §3.10.7.3: "continue processing at the sixth step"), as FreeBSD's
 *                          tcp_input() does (step6; a crossed SYN's text waits in tcp_reass() until
 *                          the handshake ends); Linux drops it and the peer sends it again
 * @param requestRstAtWindowEnd a RST exactly at RCV.NXT + RCV.WND reaches a listener's
 *                          SYN-RECEIVED request, as Linux's tcp_check_req() takes it (tcp_in_window():
 *                          a zero-length segment at the right edge is in); FreeBSD's syncache_chkrst()
 *                          takes RSTs up to IRS + window only, one less, and ignores it
 * @param bsdDelayedAck     FreeBSD's delayed ACK (tcp_input() DELAY_ACK()): a segment of at most the
 *                          MSS is acknowledged after net.inet.tcp.delacktime (100 ms) unless a delayed
 *                          ACK is already pending (so every second segment at once), a larger one at
 *                          once, no quick-ack mode; Linux's quick ACKs and 40 ms otherwise
 * @param rtoPolicy         how the RTO follows from the RTT samples and backs off ({@link RtoPolicy}):
 *                          Linux's or FreeBSD's
 * @param keepInit          FreeBSD net.inet.tcp.keepinit, the connection-establishment timeout a
 *                          socket may change with TCP_KEEPINIT; zero: no such timer nor option
 *                          (Linux: only tcp_syn_retries ends a handshake, TCP_KEEPINIT is ENOPROTOOPT)
 * @param moderateRcvbuf    receive-buffer autotuning (Linux "dynamic right-sizing",
 *                          tcp_rcv_space_adjust()): net.ipv4.tcp_moderate_rcvbuf
 */
public record TcpConfig(int mss, Duration timeWait, Duration finTimeout, int synRetries, int synAckRetries,
                        int orphanRetries, int retries2, Duration initialRto, Duration rtoMax, int somaxconn,
                        int maxSynBacklog, boolean abortOnOverflow, int windowScale, SocketMem tcpRmem,
                        SocketMem tcpWmem, int challengeAckLimit, Duration invalidRateLimit, int ephemeralLow,
                        int ephemeralHigh, boolean rfc1337, String congestionControl, boolean timestamps,
                        boolean sack, boolean dsack, Duration keepAliveTime, Duration keepAliveInterval,
                        int keepAliveProbes, int syncookies, TcpMem tcpMem, int maxOrphans, int maxTwBuckets,
                        BufferRules bufferRules, OptionLayout optionLayout, boolean quickSynRetry,
                        boolean ackRepeatsFin, ResetErrors resetErrors, boolean timeWaitNeedsAck,
                        boolean dropSynFin, boolean shutdownReadDiscards, boolean lateShutdownDisconnects,
                        boolean synTextKept, boolean requestRstAtWindowEnd, boolean bsdDelayedAck,
                        RtoPolicy rtoPolicy, Duration keepInit, boolean moderateRcvbuf) {
    /** RFC 7323 §2.3: a shift above 14 is used as 14. */
    public static final int MAX_WINDOW_SCALE = 14;
    /** IPv4 + TCP headers without options. */
    public static final int IPV4_TCP_HEADERS = 40;
    /** The largest window an unscaled window field carries. */
    private static final int MAX_UNSCALED_WINDOW = 0xFFFF;

    /**
     * net.ipv4.tcp_mem, in 4 KiB pages: below {@code min} no pressure, above {@code pressure}
     * buffers are moderated, above {@code max} nothing more is charged ({@link TcpMemory}).
     */
    public record TcpMem(long min, long pressure, long max) {
        public TcpMem {
            if (min < 0 || pressure < min || max < pressure) {
                throw new IllegalArgumentException("tcp_mem " + min + " " + pressure + " " + max
                        + " is not 0 <= min <= pressure <= max");
            }
        }

        /**
         * Linux tcp_init_mem(): a sixteenth of the buffer pages (here the JVM's maximum heap),
         * at least 128, as pressure; three quarters of it as min; twice min as max.
         */
        public static TcpMem forHeap(long heapBytes) {
            long limit = Math.max(heapBytes / TcpMemory.PAGE / 16, 128);
            long min = limit / 4 * 3;
            return new TcpMem(min, limit, min * 2);
        }
    }

    /**
     * net.ipv4.tcp_rmem or tcp_wmem: a socket buffer's least, first and largest size, in bytes as
     * SO_RCVBUF / SO_SNDBUF report them (Linux sk_rcvbuf, sk_sndbuf). Autotuning grows a buffer
     * from {@code initial} up to {@code max} (tcp_rcv_space_adjust(), tcp_sndbuf_expand()).
     */
    public record SocketMem(int min, int initial, int max) {
        /** Linux's defaults (Documentation/networking/ip-sysctl.rst). */
        public static final SocketMem LINUX_RMEM = new SocketMem(4096, 131_072, 6_291_456);
        public static final SocketMem LINUX_WMEM = new SocketMem(4096, 16_384, 4_194_304);

        public SocketMem {
            if (min < 1 || initial < 1 || max < 1 || max > 1 << 30) {
                throw new IllegalArgumentException("buffer sizes " + min + " " + initial + " " + max
                        + " are not in 1.." + (1 << 30));
            }
        }

        /** A buffer that stays at {@code bytes}: no autotuning. */
        public static SocketMem fixed(int bytes) {
            return new SocketMem(Math.min(4096, bytes), bytes, bytes);
        }
    }

    public TcpConfig {
        requireRange("mss", mss, SocketOptions.MIN_MAX_SEG, 0xFFFF - IPV4_TCP_HEADERS);
        requireRange("windowScale", windowScale, 0, MAX_WINDOW_SCALE);
        requireRange("synRetries", synRetries, 0, 127);
        requireRange("synAckRetries", synAckRetries, 0, 127);
        requireRange("orphanRetries", orphanRetries, 0, 127);
        requireRange("retries2", retries2, 0, 127);
        requireRange("somaxconn", somaxconn, 0, Integer.MAX_VALUE);
        requireRange("maxSynBacklog", maxSynBacklog, 1, Integer.MAX_VALUE);
        if (tcpRmem == null || tcpWmem == null) {
            throw new IllegalArgumentException("no tcp_rmem or tcp_wmem");
        }
        requireRange("challengeAckLimit", challengeAckLimit, 0, Integer.MAX_VALUE);
        requireRange("ephemeralLow", ephemeralLow, 1, 0xFFFF);
        requireRange("ephemeralHigh", ephemeralHigh, ephemeralLow, 0xFFFF);
        requireRange("keepAliveProbes", keepAliveProbes, 1, 255); // Linux: a u8 sysctl
        requireRange("syncookies", syncookies, 0, 2);
        requireRange("maxOrphans", maxOrphans, 0, Integer.MAX_VALUE);
        requireRange("maxTwBuckets", maxTwBuckets, 0, Integer.MAX_VALUE);
        requirePositive("keepAliveTime", keepAliveTime);
        requirePositive("keepAliveInterval", keepAliveInterval);
        if (bufferRules == null || optionLayout == null || rtoPolicy == null) {
            throw new IllegalArgumentException("no buffer rules, option layout or RTO policy");
        }
        if (!CongestionControl.known(congestionControl)) {
            throw new IllegalArgumentException("unknown congestion control " + congestionControl);
        }
        for (Duration d : new Duration[] {timeWait, finTimeout, initialRto, rtoMax, invalidRateLimit, keepInit}) {
            if (d.isNegative()) {
                throw new IllegalArgumentException("negative duration " + d);
            }
        }
    }

    /**
     * Linux's defaults for an interface of this MTU (IPv4), with one exception: TIME_WAIT ignores
     * RST (RFC 1337), as the project's rules ask.
     */
    public static TcpConfig linuxDefaults(int mtu) {
        // Linux: tcp_rfc1337 is 0 by default, so the kernel closes TIME_WAIT on an exact RST;
        // withRfc1337(false) gives that behaviour.
        return new TcpConfig(mtu - IPV4_TCP_HEADERS, Duration.ofSeconds(60), Duration.ofSeconds(60), 6, 5, 8, 15,
                Duration.ofSeconds(1), Duration.ofSeconds(120), 4096, 128, false, 7, SocketMem.LINUX_RMEM, SocketMem.LINUX_WMEM,
                Integer.MAX_VALUE, Duration.ofMillis(500), 32768, 60999, true, CongestionControl.CUBIC, true, true,
                true, Duration.ofSeconds(7200), Duration.ofSeconds(75), 9, 1,
                TcpMem.forHeap(Runtime.getRuntime().maxMemory()), 131_072, 131_072, BufferRules.LINUX, OptionLayout.LINUX, true,
                false, ResetErrors.LINUX, false, true, false,
                false, false, true, false, RtoPolicy.LINUX, Duration.ZERO, true);
    }

    /** The bytes of data a new connection's receive buffer holds: tcp_rmem's first size under the buffer rules. */
    public int receiveBuffer() {
        return bufferRules.dataBytes(tcpRmem.initial());
    }

    /** The bytes of data a new connection's send buffer holds: tcp_wmem's first size under the buffer rules. */
    public int sendBuffer() {
        return bufferRules.dataBytes(tcpWmem.initial());
    }

    public TcpConfig withMss(int value) {
        return with(b -> b.mss = value);
    }

    public TcpConfig withTimeWait(Duration value) {
        return with(b -> b.timeWait = value);
    }

    public TcpConfig withFinTimeout(Duration value) {
        return with(b -> b.finTimeout = value);
    }

    public TcpConfig withSynRetries(int value) {
        return with(b -> b.synRetries = value);
    }

    public TcpConfig withSynAckRetries(int value) {
        return with(b -> b.synAckRetries = value);
    }

    public TcpConfig withFinRetries(int orphan, int open) {
        return with(b -> {
            b.orphanRetries = orphan;
            b.retries2 = open;
        });
    }

    public TcpConfig withInitialRto(Duration value) {
        return with(b -> b.initialRto = value);
    }

    public TcpConfig withRtoMax(Duration value) {
        return with(b -> b.rtoMax = value);
    }

    public TcpConfig withRetries2(int value) {
        return with(b -> b.retries2 = value);
    }

    public TcpConfig withSomaxconn(int value) {
        return with(b -> b.somaxconn = value);
    }

    public TcpConfig withMaxSynBacklog(int value) {
        return with(b -> b.maxSynBacklog = value);
    }

    public TcpConfig withAbortOnOverflow(boolean value) {
        return with(b -> b.abortOnOverflow = value);
    }

    public TcpConfig withWindowScale(int value) {
        return with(b -> b.windowScale = value);
    }

    /**
     * Fixed buffers, no autotuning: the receive and send buffers hold {@code receive} and
     * {@code send} bytes of data under the buffer rules set so far.
     */
    public TcpConfig withBuffers(int receive, int send) {
        return with(b -> {
            b.tcpRmem = SocketMem.fixed(b.bufferRules.reported(receive));
            b.tcpWmem = SocketMem.fixed(b.bufferRules.reported(send));
        });
    }

    /** net.ipv4.tcp_rmem. */
    public TcpConfig withTcpRmem(SocketMem value) {
        return with(b -> b.tcpRmem = value);
    }

    /** net.ipv4.tcp_wmem. */
    public TcpConfig withTcpWmem(SocketMem value) {
        return with(b -> b.tcpWmem = value);
    }

    /** net.ipv4.tcp_moderate_rcvbuf: receive-buffer autotuning on or off. */
    public TcpConfig withModerateRcvbuf(boolean value) {
        return with(b -> b.moderateRcvbuf = value);
    }

    public TcpConfig withChallengeAckLimit(int value) {
        return with(b -> b.challengeAckLimit = value);
    }

    public TcpConfig withEphemeralRange(int low, int high) {
        return with(b -> {
            b.ephemeralLow = low;
            b.ephemeralHigh = high;
        });
    }

    public TcpConfig withRfc1337(boolean value) {
        return with(b -> b.rfc1337 = value);
    }

    /** net.ipv4.tcp_congestion_control: "cubic" (the default) or "reno". */
    public TcpConfig withCongestionControl(String value) {
        return with(b -> b.congestionControl = value);
    }

    /** net.ipv4.tcp_timestamps: offer and accept timestamps (RFC 7323). */
    public TcpConfig withTimestamps(boolean value) {
        return with(b -> b.timestamps = value);
    }

    /** net.ipv4.tcp_sack: offer and accept selective acknowledgments (RFC 2018). */
    public TcpConfig withSack(boolean value) {
        return with(b -> b.sack = value);
    }

    /** net.ipv4.tcp_dsack: report duplicate segments with D-SACK (RFC 2883). */
    public TcpConfig withDsack(boolean value) {
        return with(b -> b.dsack = value);
    }

    /** tcp_keepalive_time, tcp_keepalive_intvl, tcp_keepalive_probes. */
    public TcpConfig withKeepAlive(Duration time, Duration interval, int probes) {
        return with(b -> {
            b.keepAliveTime = time;
            b.keepAliveInterval = interval;
            b.keepAliveProbes = probes;
        });
    }

    /** net.ipv4.tcp_syncookies: 0 off, 1 when the SYN queue overflows (the default), 2 always. */
    public TcpConfig withSyncookies(int value) {
        return with(b -> b.syncookies = value);
    }

    /** net.ipv4.tcp_mem: min, pressure and max in 4 KiB pages. */
    public TcpConfig withTcpMem(TcpMem value) {
        return with(b -> b.tcpMem = value);
    }

    /** net.ipv4.tcp_max_orphans. */
    public TcpConfig withMaxOrphans(int value) {
        return with(b -> b.maxOrphans = value);
    }

    /** net.ipv4.tcp_max_tw_buckets. */
    public TcpConfig withMaxTwBuckets(int value) {
        return with(b -> b.maxTwBuckets = value);
    }

    /** How socket buffers are reported and rounded, and the first window rounded. */
    public TcpConfig withBufferRules(BufferRules value) {
        return with(b -> b.bufferRules = value);
    }

    /** The order and padding of our SYN and SYN-ACK options. */
    public TcpConfig withOptionLayout(OptionLayout value) {
        return with(b -> b.optionLayout = value);
    }

    /** Linux's quick SYN retransmission after a RST for an unacceptable ACK in SYN-SENT. */
    public TcpConfig withQuickSynRetry(boolean value) {
        return with(b -> b.quickSynRetry = value);
    }

    /** FreeBSD's FIN on every acknowledgment while our FIN is outstanding. */
    public TcpConfig withAckRepeatsFin(boolean value) {
        return with(b -> b.ackRepeatsFin = value);
    }

    /** The error a RST in a synchronized state leaves: Linux's tcp_reset() or FreeBSD's tcp_input(). */
    public TcpConfig withResetErrors(ResetErrors value) {
        return with(b -> b.resetErrors = value);
    }

    /** FreeBSD's silent drop of a segment without ACK in TIME-WAIT. */
    public TcpConfig withTimeWaitNeedsAck(boolean value) {
        return with(b -> b.timeWaitNeedsAck = value);
    }

    /** Whether a listener drops a SYN+FIN (FreeBSD's net.inet.tcp.drop_synfin). */
    public TcpConfig withDropSynFin(boolean value) {
        return with(b -> b.dropSynFin = value);
    }

    /** FreeBSD's discarding of received data after shutdown(SHUT_RD). */
    public TcpConfig withShutdownReadDiscards(boolean value) {
        return with(b -> b.shutdownReadDiscards = value);
    }

    /** FreeBSD's disconnect on shutdown(SHUT_WR) from FIN-WAIT-2 on. */
    public TcpConfig withLateShutdownDisconnects(boolean value) {
        return with(b -> b.lateShutdownDisconnects = value);
    }

    /** FreeBSD's keeping of text on a SYN-ACK or crossed SYN. */
    public TcpConfig withSynTextKept(boolean value) {
        return with(b -> b.synTextKept = value);
    }

    /** Whether a request takes a RST at the right edge of its window (Linux) or not (FreeBSD's syncache). */
    public TcpConfig withRequestRstAtWindowEnd(boolean value) {
        return with(b -> b.requestRstAtWindowEnd = value);
    }

    /** FreeBSD's delayed-ACK rule instead of Linux's quick ACKs. */
    public TcpConfig withBsdDelayedAck(boolean value) {
        return with(b -> b.bsdDelayedAck = value);
    }

    /** The RTO's computation and backoff: Linux's (RFC 6298 as Linux) or FreeBSD's. */
    public TcpConfig withRtoPolicy(RtoPolicy value) {
        return with(b -> b.rtoPolicy = value);
    }

    /** FreeBSD's connection-establishment timeout (net.inet.tcp.keepinit); zero: none (Linux). */
    public TcpConfig withKeepInit(Duration value) {
        return with(b -> b.keepInit = value);
    }

    /**
     * The window scale Linux's tcp_select_initial_window() offers for a receive-buffer limit of
     * {@code space} bytes (max(tcp_rmem[2], rmem_max)): the smallest shift that brings the space
     * to 65535 or below, at most 14 (RFC 7323 §2.3). 6 MB (Linux's default) gives 7, 15 MB 8.
     */
    public static int windowScaleFor(long space) {
        int shift = 0;
        while (space > MAX_UNSCALED_WINDOW && shift < MAX_WINDOW_SCALE) {
            space >>= 1;
            shift++;
        }
        return shift;
    }

    /**
     * The window scale FreeBSD's tcp_connect() / syncache request for a socket-buffer limit of
     * {@code sbMax} bytes (kern.ipc.maxsockbuf): the smallest shift at which 65535 shifted reaches
     * it, at most 14. The default 2 MB gives 6.
     */
    public static int bsdWindowScaleFor(long sbMax) {
        int shift = 0;
        while (shift < MAX_WINDOW_SCALE && ((long) MAX_UNSCALED_WINDOW << shift) < sbMax) {
            shift++;
        }
        return shift;
    }

    /** A copy with {@code change} applied; the canonical constructor validates the result. */
    private TcpConfig with(Consumer<Builder> change) {
        Builder b = new Builder(this);
        change.accept(b);
        return b.build();
    }

    /** The mutable form {@link #with} edits. */
    private static final class Builder {
        int mss;
        Duration timeWait;
        Duration finTimeout;
        int synRetries;
        int synAckRetries;
        int orphanRetries;
        int retries2;
        Duration initialRto;
        Duration rtoMax;
        int somaxconn;
        int maxSynBacklog;
        boolean abortOnOverflow;
        int windowScale;
        SocketMem tcpRmem;
        SocketMem tcpWmem;
        int challengeAckLimit;
        Duration invalidRateLimit;
        int ephemeralLow;
        int ephemeralHigh;
        boolean rfc1337;
        String congestionControl;
        boolean timestamps;
        boolean sack;
        boolean dsack;
        Duration keepAliveTime;
        Duration keepAliveInterval;
        int keepAliveProbes;
        int syncookies;
        TcpMem tcpMem;
        int maxOrphans;
        int maxTwBuckets;
        BufferRules bufferRules;
        OptionLayout optionLayout;
        boolean quickSynRetry;
        boolean ackRepeatsFin;
        ResetErrors resetErrors;
        boolean timeWaitNeedsAck;
        boolean dropSynFin;
        boolean shutdownReadDiscards;
        boolean lateShutdownDisconnects;
        boolean synTextKept;
        boolean requestRstAtWindowEnd;
        boolean bsdDelayedAck;
        RtoPolicy rtoPolicy;
        Duration keepInit;
        boolean moderateRcvbuf;

        Builder(TcpConfig c) {
            mss = c.mss;
            timeWait = c.timeWait;
            finTimeout = c.finTimeout;
            synRetries = c.synRetries;
            synAckRetries = c.synAckRetries;
            orphanRetries = c.orphanRetries;
            retries2 = c.retries2;
            initialRto = c.initialRto;
            rtoMax = c.rtoMax;
            somaxconn = c.somaxconn;
            maxSynBacklog = c.maxSynBacklog;
            abortOnOverflow = c.abortOnOverflow;
            windowScale = c.windowScale;
            tcpRmem = c.tcpRmem;
            tcpWmem = c.tcpWmem;
            challengeAckLimit = c.challengeAckLimit;
            invalidRateLimit = c.invalidRateLimit;
            ephemeralLow = c.ephemeralLow;
            ephemeralHigh = c.ephemeralHigh;
            rfc1337 = c.rfc1337;
            congestionControl = c.congestionControl;
            timestamps = c.timestamps;
            sack = c.sack;
            dsack = c.dsack;
            keepAliveTime = c.keepAliveTime;
            keepAliveInterval = c.keepAliveInterval;
            keepAliveProbes = c.keepAliveProbes;
            syncookies = c.syncookies;
            tcpMem = c.tcpMem;
            maxOrphans = c.maxOrphans;
            maxTwBuckets = c.maxTwBuckets;
            bufferRules = c.bufferRules;
            optionLayout = c.optionLayout;
            quickSynRetry = c.quickSynRetry;
            ackRepeatsFin = c.ackRepeatsFin;
            resetErrors = c.resetErrors;
            timeWaitNeedsAck = c.timeWaitNeedsAck;
            dropSynFin = c.dropSynFin;
            shutdownReadDiscards = c.shutdownReadDiscards;
            lateShutdownDisconnects = c.lateShutdownDisconnects;
            synTextKept = c.synTextKept;
            requestRstAtWindowEnd = c.requestRstAtWindowEnd;
            bsdDelayedAck = c.bsdDelayedAck;
            rtoPolicy = c.rtoPolicy;
            keepInit = c.keepInit;
            moderateRcvbuf = c.moderateRcvbuf;
        }

        TcpConfig build() {
            return new TcpConfig(mss, timeWait, finTimeout, synRetries, synAckRetries, orphanRetries, retries2,
                    initialRto, rtoMax, somaxconn, maxSynBacklog, abortOnOverflow, windowScale, tcpRmem,
                    tcpWmem, challengeAckLimit, invalidRateLimit, ephemeralLow, ephemeralHigh, rfc1337, congestionControl,
                    timestamps, sack, dsack, keepAliveTime, keepAliveInterval, keepAliveProbes, syncookies,
                    tcpMem, maxOrphans, maxTwBuckets, bufferRules, optionLayout, quickSynRetry, ackRepeatsFin, resetErrors,
                    timeWaitNeedsAck, dropSynFin, shutdownReadDiscards, lateShutdownDisconnects,
                    synTextKept, requestRstAtWindowEnd, bsdDelayedAck, rtoPolicy, keepInit, moderateRcvbuf);
        }
    }

    private static void requirePositive(String name, Duration d) {
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " " + d + " is not positive");
        }
    }

    private static void requireRange(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " " + value + " is not in " + min + ".." + max);
        }
    }
}
