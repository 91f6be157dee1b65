package io.tcpsim.tcp;

import io.tcpsim.time.Clock;
import io.tcpsim.wire.Seq;
import io.tcpsim.wire.TcpOption;
import io.tcpsim.wire.TcpOptions;
import io.tcpsim.wire.TcpPacket;
import io.tcpsim.wire.TcpRepr;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * The transmission control block's variables (RFC 9293 §3.3.1), the two buffers, and the segments
 * built from them. The send queue holds the unacknowledged and unsent bytes; its first byte has
 * sequence number {@link #sndQueueSeq}, and a queued FIN follows its last byte.
 */
final class Tcb {
    /** RFC 9293 §3.7.1 (RFC 1122 §4.2.2.6): the send MSS when the peer's SYN has no MSS option. */
    static final int DEFAULT_PEER_MSS = 536;
    /** Linux tcp_min_snd_mss: the send MSS never goes below this, whatever the peer announces. */
    static final int MIN_SND_MSS = 48;
    static final int MAX_WINDOW_FIELD = 0xFFFF;

    final FourTuple tuple;
    /** The MSS we announce and our cap for sending: the config's, clamped by TCP_MAXSEG. */
    final int ourMss;
    /** Largest window we offer (Linux tcp_select_initial_window(); window growth comes later). */
    int rcvWndClamp;
    /** The config's tcp_timestamps: offer timestamps in our SYN, accept them in the peer's. */
    final boolean timestampsEnabled;
    /** The window scale shift our SYN offers: the config's, or from SO_RCVBUF when set. */
    final int synShift;
    /** The config's tcp_sack and tcp_dsack: offer SACK in our SYN and accept it in the peer's; send D-SACK blocks. */
    final boolean sackEnabled;
    final boolean dsackEnabled;
    /** The config's buffer arithmetic and SYN option layout (Linux's or FreeBSD's). */
    final BufferRules bufferRules;
    final OptionLayout optionLayout;
    /** The config's {@link TcpConfig#ackRepeatsFin}. */
    final boolean ackRepeatsFin;
    /** The config's {@link TcpConfig#resetErrors}. */
    final ResetErrors resetErrors;
    /** shutdown(SHUT_RD) under {@link TcpConfig#shutdownReadDiscards}: received data is thrown away. */
    boolean discardInput;
    /** Both SYNs carried SACK-permitted (RFC 2018 §2; Linux rx_opt.sack_ok). */
    boolean sackOk;
    final TcpTimestamps ts;
    /**
     * The host's reusable segment, which data segments and ACKs are written into ({@link #ack},
     * {@link #dataSegment}): valid until the next one, the stack thread sending one at a time.
     */
    private final TcpRepr outgoing;
    final ByteRing sendQueue;
    final ByteRing receiveQueue;
    /** SO_RCVBUF / SO_SNDBUF were set (Linux SOCK_RCVBUF_LOCK, SOCK_SNDBUF_LOCK): no autotuning of that buffer. */
    boolean rcvBufLocked;
    boolean sndBufLocked;
    /** A write found the send buffer full (Linux SOCK_NOSPACE): ACKs that free space may grow it. */
    boolean sendBufferFull;
    /** Receive-buffer autotuning's RTT estimate and counts (Linux rcv_rtt_est, rcvq_space). */
    final DynamicRightSizing drs = new DynamicRightSizing();

    int iss;
    int irs;
    int sndUna;
    int sndNxt;
    int sndWnd;
    int sndWl1;
    int sndWl2;
    int sndMss;
    int sndWscale;
    /** Both SYNs carried window scale (Linux rx_opt.wscale_ok). */
    boolean wscaleOk;
    int sndQueueSeq;
    /**
     * SND.UNA has passed ISS: our SYN is acknowledged. Kept as a flag, since comparing SND.UNA
     * with ISS stops working once 2^31 bytes have been acknowledged (RFC 9293 §3.4: comparisons
     * hold within half the sequence space); Linux likewise decides from the state, not from ISS.
     */
    private boolean synAcked;
    boolean finQueued;
    /**
     * SND.UP (RFC 9293 §3.8.5): one past the last urgent byte, Linux snd_up; equal to SND.UNA
     * outside urgent mode.
     */
    int sndUp;
    int rcvNxt;
    /** What the peer may still send beyond RCV.NXT: up to the right edge of our last window; never negative. */
    int rcvWnd;
    int rcvWscale;
    boolean finReceived;
    /** Received urgent data: where the mark is and the byte, SO_OOBINLINE. */
    final UrgentData urgent = new UrgentData();
    /** When the last acceptable ACK or in-order data arrived (Linux rcv_tstamp, lrcvtime): keepalive idles from it. */
    long lastReceivedAt;

    /** Next sequence number to send again after an RTO (go-back-N); equals SND.NXT when nothing is lost. */
    int rtxNxt;
    /** The path MTU: the link's until a packet too big lowers it (RFC 8201 §4). */
    int pathMtu;
    /** Largest window the peer has offered (RFC 9293 §3.8.6.2.1 Max(SND.WND)). */
    int maxSndWnd;
    /** Congestion window and slow-start threshold in bytes (RFC 5681 §3.1). */
    int cwnd;
    int ssthresh = Integer.MAX_VALUE;
    /** Duplicate ACKs in a row (RFC 5681 §3.2). */
    int dupAcks;
    /** Fast recovery in progress (NewReno, RFC 6582 §3.2; with SACK, RFC 6675 §5) and its "recover" point. */
    boolean inRecovery;
    int recover;
    /** Linux snd_sml: end of the last sub-MSS segment sent (Minshall's Nagle variant). */
    int sndSml;
    /** TCP_NODELAY and TCP_CORK (Linux nonagle flags). */
    boolean noDelay;
    boolean cork;
    /** Linux TCP_NAGLE_PUSH: set by TCP_NODELAY, it lets queued data pass cork until the next write. */
    boolean pushQueued;
    /**
     * Where writes ended (SND sequence numbers one past their last byte), oldest first: Linux
     * tcp_push() marks PSH on the write queue's tail at the end of each sendmsg() (tcp_mark_push()),
     * so the segment that carries the end of a write has PSH even with more queued behind it.
     */
    final IntQueue writeEnds = new IntQueue();
    /** When data was last sent: restart after idle (RFC 5681 §4.1). */
    long lastSendAt = Long.MIN_VALUE;
    final RttEstimator rtt;
    CongestionControl cc;
    /** Per-connection statistics (TCP_INFO). */
    final ConnectionStats stats = new ConnectionStats();

    /** The segments sent with what the peer SACKed (RFC 6675 scoreboard) and the blocks we report (RFC 2018 §4). */
    final SackScoreboard scoreboard = new SackScoreboard();
    final SackReport sackReport = new SackReport();
    /** With SACK: RACK loss detection and the tail loss probe (RFC 8985), PRR during recovery (RFC 6937). */
    final Rack rack = new Rack();
    final TailLossProbe tlp = new TailLossProbe();
    final Prr prr = new Prr();
    /** What the retransmission timer is set for (Linux icsk_pending). */
    XmitTimer xmitTimer = XmitTimer.RTO;

    final Reassembly outOfOrder = new Reassembly();
    /** The bytes this connection has charged to the layer's {@link TcpMemory}. */
    long memoryCharged;
    /** The layer's memory (tcp_mem): under pressure windows stop growing past four segments. */
    TcpMemory memory;
    /** A FIN that arrived beyond a gap, and its sequence number, processed once the gap fills. */
    boolean outOfOrderFin;
    int outOfOrderFinSeq;
    /** Linux rcv_wup: RCV.NXT when we last sent an ACK; the delayed-ACK rules count from here. */
    int rcvWup;
    /** Linux icsk_ack.rcv_mss: the peer's segment size as we see it, 536 until measured. */
    int rcvMss = DEFAULT_PEER_MSS;
    /** Linux icsk_ack.quick: ACKs still sent at once (quick-ack at connection start). */
    int quickAcks;
    boolean quickAckStarted;
    /** The delayed-ACK deadline; any segment carrying an ACK cancels it. */
    long delAckAt = Clock.NO_DEADLINE;

    Tcb(FourTuple tuple, TcpConfig config, SocketOptions options, int iss, int tsOffset, TcpRepr outgoing) {
        this.tuple = tuple;
        this.outgoing = outgoing;
        this.timestampsEnabled = config.timestamps();
        this.sackEnabled = config.sack();
        this.dsackEnabled = config.dsack();
        this.ts = new TcpTimestamps(tsOffset);
        this.bufferRules = config.bufferRules();
        this.optionLayout = config.optionLayout();
        this.ackRepeatsFin = config.ackRepeatsFin();
        this.resetErrors = config.resetErrors();
        int familyMss = config.mss() - (tuple.headerBytes() - FourTuple.IPV4_HEADERS);
        this.pathMtu = config.mss() + FourTuple.IPV4_HEADERS;
        this.ourMss = options.maxSeg() == 0 ? familyMss : Math.min(familyMss, options.maxSeg());
        int space = options.receiveBuffer() == 0 ? config.receiveBuffer() : bufferRules.dataBytes(options.receiveBuffer());
        this.synShift = options.receiveBuffer() == 0 ? config.windowScale() : lockedWindowScale(space);
        this.rcvWndClamp = bufferRules.initialWindow(space, ourMss);
        this.sendQueue = new ByteRing(options.sendBuffer() == 0 ? config.sendBuffer()
                : bufferRules.dataBytes(options.sendBuffer()));
        this.receiveQueue = new ByteRing(space);
        this.rcvBufLocked = options.receiveBuffer() != 0;
        this.sndBufLocked = options.sendBuffer() != 0;
        this.iss = iss;
        this.sndUna = iss;
        this.sndNxt = Seq.add(iss, 1);
        this.sndQueueSeq = Seq.add(iss, 1);
        this.sndMss = DEFAULT_PEER_MSS;
        this.rcvWnd = rcvWndClamp;
        this.rtxNxt = this.sndNxt;
        this.recover = iss;
        this.sndSml = iss;
        this.sndUp = iss;
        this.rtt = new RttEstimator(config.rtoPolicy(), config.initialRto().toNanos(), config.rtoMax().toNanos());
        this.cc = CongestionControl.named(config.congestionControl());
    }

    /**
     * Linux tcp_select_initial_window() without timestamps: the receive space rounded down to a
     * multiple of the MSS (64240 for a 64 KiB buffer and MSS 1460). Linux: no 65535 cap since
     * 6.0 ("tcp: remove 64 KByte limit for initial tp->rcv_wnd value"); a SYN's window field
     * still is (RFC 7323 §2.2), and without window scaling the window is clamped there.
     */
    static int initialWindow(int space, int mss) {
        return BufferRules.LINUX.initialWindow(space, mss);
    }

    /**
     * Linux tcp_select_initial_window() for a socket with SO_RCVBUF set (SOCK_RCVBUF_LOCK, so the
     * window clamp is the buffer's space): the smallest shift that lets the window field cover the
     * space, floor(log2(space)) - 15 within 0..14 (RFC 7323 §2.3).
     */
    static int lockedWindowScale(int space) {
        int log2 = 31 - Integer.numberOfLeadingZeros(Math.max(space, 1));
        return Math.clamp(log2 - 15, 0, TcpConfig.MAX_WINDOW_SCALE);
    }

    /**
     * Takes the peer's SYN options: MSS (RFC 9293 §3.7.1; Linux ignores an MSS of 0), window
     * scale, used only when both SYNs carry it (RFC 7323 §2.2), a shift above 14 used as 14
     * (RFC 7323 §2.3; Linux clamps it the same way), and SACK-permitted, SACK being used only when
     * both sides offer it (RFC 2018 §2).
     */
    void negotiate(TcpRepr peerSyn, int ourShift, long now) {
        ts.negotiate(peerSyn, timestampsEnabled, now);
        sackOk = sackEnabled && peerSyn.sackPermitted();
        int peerMss = peerSyn.mss().orElse(0);
        int mss = peerMss == 0 ? DEFAULT_PEER_MSS : peerMss; // Linux: an MSS of 0 is ignored
        sndMss = Math.max(MIN_SND_MSS, Math.min(mss, ourMss)); // Linux: tcp_min_snd_mss
        roundBuffersToMss();
        wscaleOk = peerSyn.windowScale().isPresent();
        if (wscaleOk) {
            int shift = peerSyn.windowScale().getAsInt();
            if (shift > TcpConfig.MAX_WINDOW_SCALE) {
                IllegalWindowScale.log(tuple, shift, now);
            }
            sndWscale = Math.min(shift, TcpConfig.MAX_WINDOW_SCALE);
            rcvWscale = ourShift;
        } else {
            sndWscale = 0;
            rcvWscale = 0;
            // Linux: without window scaling the window clamp is 65535 (tcp_rcv_synsent_state_process()).
            rcvWndClamp = Math.min(rcvWndClamp, MAX_WINDOW_FIELD);
            rcvWnd = Math.min(rcvWnd, MAX_WINDOW_FIELD);
        }
    }

    /**
     * FreeBSD tcp_mss(): once the MSS is known, a buffer above it grows to a whole number of
     * segments ({@link BufferRules#roundToMss}), and the window clamp with the receive buffer.
     */
    private void roundBuffersToMss() {
        int receive = bufferRules.onMss(receiveQueue.capacity(), sndMss);
        if (receive != receiveQueue.capacity()) {
            receiveQueue.setCapacity(receive);
            rcvWndClamp = Math.max(rcvWndClamp, receive);
            rcvWnd = Math.max(rcvWnd, receive);
        }
        sendQueue.setCapacity(bufferRules.onMss(sendQueue.capacity(), sndMss));
    }

    /**
     * A listener's window once the peer's SYN is in: Linux tcp_openreq_init_rwin() rounds the
     * buffer to whole segments of the MSS less the timestamps option when it is in use (FreeBSD
     * does not round, {@link BufferRules#windowToMss}).
     */
    void clampPassiveWindow() {
        rcvWndClamp = bufferRules.initialWindow(receiveQueue.capacity(),
                ourMss - (ts.ok ? TcpTimestamps.ALIGNED_LENGTH : 0));
        if (!wscaleOk) {
            rcvWndClamp = Math.min(rcvWndClamp, MAX_WINDOW_FIELD);
        }
        rcvWnd = rcvWndClamp;
    }

    /** Linux advmss: the MSS we announced less the timestamps option when it is in use. */
    int advMss() {
        return ourMss - (ts.ok ? TcpTimestamps.ALIGNED_LENGTH : 0);
    }

    /**
     * Linux tcp_rcvbuf_grow(): the receive buffer grows to hold {@code rcvwin} bytes of data (SO_RCVBUF
     * as the buffer rules report it, Linux tcp_space_from_win()), at most {@code rmemMax}
     * (tcp_rmem[2]), and the window clamp follows; never shrinks.
     */
    void growReceiveBuffer(long rcvwin, int rmemMax) {
        long rcvbuf = Math.min(Math.min(rcvwin, 1L << 30) * bufferRules.reportFactor(), rmemMax);
        int bytes = bufferRules.dataBytes((int) rcvbuf);
        if (bytes > receiveQueue.capacity()) {
            receiveQueue.setCapacity(bytes);
            rcvWndClamp = Math.max(rcvWndClamp, bytes); // Linux: window_clamp = tcp_win_from_space(sk_rcvbuf)
        }
    }

    /**
     * The send MSS less the option bytes every segment carries (RFC 9293 §3.7.1 "the MSS counts
     * neither the TCP header nor its options"; RFC 7323 §3.2; Linux tcp_mtu_to_mss()).
     */
    int sendMss() {
        return sndMss - (ts.ok ? TcpTimestamps.ALIGNED_LENGTH : 0);
    }

    /**
     * The payload of the next segment at most: the effective MSS less the SACK option it will
     * carry (Linux tcp_current_mss()), so that the segment still fits the path.
     */
    int currentMss() {
        int blocks = sackOk ? Math.min(sackReport.pending(), sackRoom()) : 0;
        return effectiveMss() - (blocks == 0 ? 0 : SackReport.ALIGNED_BASE + blocks * SackReport.BLOCK_LENGTH);
    }

    /** SACK blocks a non-SYN segment has room for: 4, or 3 beside timestamps (Linux tcp_established_options()). */
    private int sackRoom() {
        return SackReport.room(ts.ok ? TcpTimestamps.ALIGNED_LENGTH : 0);
    }

    /**
     * Bytes the sender counts in the network for the congestion window: FlightSize
     * ({@link #flight()}) without SACK, the scoreboard's pipe with it.
     */
    int pipe() {
        return sackOk ? scoreboard.pipe() : flight();
    }

    /**
     * Bytes in the network (RFC 5681 FlightSize): SND.NXT - SND.UNA, less what an RTO marked lost
     * and has not yet been sent again (RTX.NXT up to SND.NXT).
     */
    int flight() {
        return Seq.diff(rtxNxt, sndUna);
    }

    /**
     * The send MSS, bounded by half the largest window the peer offered (Linux
     * tcp_bound_to_half_wnd(), sender silly window avoidance, RFC 9293 §3.8.6.2.1).
     */
    int effectiveMss() {
        // Linux: tcp_bound_to_half_wnd() once the peer's window has exceeded 536 bytes.
        int cutoff = maxSndWnd > DEFAULT_PEER_MSS ? maxSndWnd / 2 : maxSndWnd;
        int mss = sendMss();
        return cutoff == 0 || mss <= cutoff ? mss : Math.max(cutoff, MIN_SND_MSS);
    }

    /** Urgent mode (Linux tcp_urg_mode()): urgent data not yet acknowledged. */
    boolean urgentMode() {
        return sndUp != sndUna;
    }

    /** The sequence number of the next byte the application reads (Linux copied_seq). */
    int readSeq() {
        return Seq.sub(rcvNxt, receiveQueue.size() + (finReceived ? 1 : 0));
    }

    /**
     * Sequence number just past the last queued byte: where a FIN goes. It grows while an
     * application appends on its own thread ({@link TcpConnection#writeOnCallerThread}): read it once
     * per decision.
     */
    int dataEnd() {
        return Seq.add(sndQueueSeq, sendQueue.size());
    }

    boolean synAcked() {
        return synAcked;
    }

    boolean finSent() {
        return finQueued && Seq.gt(sndNxt, dataEnd());
    }

    boolean finAcked() {
        return finQueued && Seq.gt(sndUna, dataEnd());
    }

    /** Whether a new segment [seq, seq + len) carries the end of a write; forgets the ends it covers. */
    boolean endsAWrite(int seq, int len) {
        int end = Seq.add(seq, len);
        boolean ends = false;
        while (!writeEnds.isEmpty() && Seq.le(writeEnds.peekFirst(), end)) {
            ends |= Seq.gt(writeEnds.pollFirst(), seq);
        }
        return ends;
    }

    /**
     * RFC 9293 §3.10.7.4 fifth step: SND.UNA < SEG.ACK =< SND.NXT, dropping what it acknowledges;
     * urgent mode ends once SND.UP is acknowledged (Linux tcp_clean_rtx_queue()).
     */
    void acknowledge(int ack) {
        if (Seq.diff(sndUp, sndUna) <= Seq.diff(ack, sndUna)) {
            sndUp = ack;
        }
        int end = dataEnd(); // once: an application's thread may append meanwhile (TcpConnection#writeOnCallerThread)
        int dataAcked = Seq.diff(Seq.lt(ack, end) ? ack : end, sndQueueSeq);
        if (dataAcked > 0) {
            sendQueue.drop(dataAcked);
            sndQueueSeq = Seq.add(sndQueueSeq, dataAcked);
        }
        sndUna = ack;
        synAcked |= Seq.gt(ack, iss);
        if (!inRecovery && Seq.gt(Seq.sub(ack, 1), recover)) {
            // "recover" (RFC 6582 §3.2) only matters while SND.UNA is at or below it; dragged along
            // behind SND.UNA it keeps its meaning and never falls 2^31 behind, where the
            // comparison would turn (a transfer of 2 GiB without loss would get no fast retransmit).
            recover = Seq.sub(ack, 1);
        }
        if (Seq.lt(rtxNxt, ack)) {
            rtxNxt = ack;
        }
    }

    /**
     * The window field for a non-SYN segment, remembered in RCV.WND: the free buffer space up to
     * the clamp, never less than what was already offered (RFC 9293 §3.8.6.2.2: do not shrink),
     * scaled (RFC 7323 §2.3) and rounded up to the scale's unit as Linux's tcp_select_window()
     * does, or down when rounding up would offer more than the buffer holds (RFC 7323 §2.4 allows
     * that retraction). Receiver silly window avoidance (RFC 9293 §3.8.6.2.2, RFC 1122
     * §4.2.3.3) as Linux __tcp_select_window(): while the free space is below both half the
     * buffer and one MSS, nothing new is offered, so the right edge stays until a useful window
     * opens.
     */
    int advertiseWindow() {
        int free = receiveQueue.free();
        int win = Math.max(newWindow(), rcvWnd);
        int up = win == 0 ? 0 : ((win - 1) >> rcvWscale) + 1; // Linux: ALIGN() up to the scale's unit
        int field = Math.min(MAX_WINDOW_FIELD, (long) up << rcvWscale <= free ? up : win >> rcvWscale);
        rcvWnd = field << rcvWscale;
        return field;
    }

    /**
     * The window the free space would offer now, before "do not shrink": 0 while that space is
     * below both half the buffer and one MSS (Linux __tcp_select_window()).
     */
    int newWindow() {
        int full = Math.min(rcvWndClamp, receiveQueue.capacity());
        int offer = Math.min(receiveQueue.free(), full);
        if (memory != null && memory.underPressure()) {
            // Linux tcp_adjust_rcv_ssthresh() under memory pressure: rcv_ssthresh at most 4 * advmss.
            offer = Math.min(offer, TcpMemory.PRESSURE_WINDOW_SEGMENTS * ourMss);
        }
        // Linux: __tcp_select_window() offers 0 rather than a sliver (RFC 1122 §4.2.3.3).
        return offer < full / 2 && offer < rcvMss ? 0 : offer;
    }

    /**
     * A segment from our side; ACK carries RCV.NXT; SYNs carry the unscaled window (RFC 7323
     * §2.2) and their own options; every other segment the timestamps option once negotiated
     * (RFC 7323 §3.2), first, and the SACK blocks to report (RFC 2018 §4), last, as Linux
     * tcp_options_write() lays them out. In urgent mode a segment that starts before SND.UP
     * carries URG and the offset of SND.UP ({@link #urgentPointer}).
     */
    TcpRepr segment(int seq, int flags, List<TcpOption> options, MemorySegment payload, long now) {
        int urgentPointer = urgentPointer(seq);
        flags |= urgentPointer >= 0 ? TcpPacket.URG : 0;
        int ack = acknowledgment(flags);
        boolean syn = (flags & TcpPacket.SYN) != 0;
        int window = syn ? Math.min(rcvWnd, MAX_WINDOW_FIELD) : advertiseWindow();
        List<TcpOption> all = syn ? options : established(options, takeSack(), now);
        countOut((int) payload.byteSize());
        return new TcpRepr(tuple.localPort(), tuple.remotePort(), seq, ack, flags, window, Math.max(urgentPointer, 0),
                all, payload);
    }

    /**
     * {@link #segment} without SYN or options of its own, carrying {@code len} bytes from
     * {@code offset} of the send queue: written into the host's reusable segment, whose data the
     * IP layer copies once from the queue into the packet. Neither it nor its options are
     * allocated unless it reports SACK blocks (issue 8).
     */
    TcpRepr dataSegment(int seq, int flags, int offset, int len, long now) {
        int urgentPointer = urgentPointer(seq);
        flags |= urgentPointer >= 0 ? TcpPacket.URG : 0;
        int ack = acknowledgment(flags);
        outgoing.header(tuple.localPort(), tuple.remotePort(), seq, ack, flags, advertiseWindow(),
                Math.max(urgentPointer, 0));
        TcpOption.Sack sack = takeSack();
        if (ts.ok && sack == null) {
            outgoing.setLinuxTimestamps(ts.stamp(now), ts.recent); // what alignLinuxStyle makes of timestamps alone
        } else {
            outgoing.setOptions(established(List.of(), sack, now));
        }
        outgoing.setPayload(sendQueue, offset, len);
        countOut(len);
        return outgoing;
    }

    /** The ACK field of a segment with {@code flags}: RCV.NXT, now sent (Last.ACK.sent), the delayed ACK off. */
    private int acknowledgment(int flags) {
        if ((flags & TcpPacket.ACK) == 0) {
            return 0;
        }
        rcvWup = rcvNxt;
        delAckAt = Clock.NO_DEADLINE;
        return rcvNxt;
    }

    private TcpOption.Sack takeSack() {
        return sackOk ? sackReport.take(sackRoom()) : null;
    }

    private void countOut(int payloadLength) {
        stats.segsOut++;
        if (payloadLength > 0) {
            stats.dataSegsOut++;
        }
    }

    /**
     * The urgent pointer of a segment starting at {@code seq}, -1 for none: SND.UP - SEG.SEQ, one
     * past the urgent byte (RFC 6093 §2: the BSD reading that Linux keeps, tcp_stdurg = 0); 0xFFFF
     * when SND.UP is farther, if the segment reaches that far (Linux __tcp_transmit_skb()).
     */
    private int urgentPointer(int seq) {
        if (!urgentMode() || !Seq.lt(seq, sndUp)) {
            return -1;
        } else if (Seq.lt(sndUp, Seq.add(seq, 0x10000))) {
            return Seq.diff(sndUp, seq);
        }
        return Seq.gt(Seq.add(seq, 0xFFFF), sndNxt) ? 0xFFFF : -1;
    }

    /** Options of a non-SYN segment: timestamps, then {@code options}, then SACK, aligned as Linux does. */
    private List<TcpOption> established(List<TcpOption> options, TcpOption.Sack sack, long now) {
        if (!ts.ok && sack == null) {
            return options;
        }
        if (sack == null && options.isEmpty()) {
            // The common case, what alignLinuxStyle makes of timestamps alone, without its lists.
            return List.of(TcpOption.NOP, TcpOption.NOP, ts.option(now));
        }
        List<TcpOption> all = new ArrayList<>(options.size() + 2);
        if (ts.ok) {
            all.add(ts.option(now));
        }
        all.addAll(options);
        if (sack != null) {
            all.add(sack);
        }
        return TcpOptions.alignLinuxStyle(all);
    }

    private List<TcpOption> withTimestamps(List<TcpOption> options, long now) {
        List<TcpOption> all = new ArrayList<>(options.size() + 1);
        all.add(ts.option(now));
        all.addAll(options);
        return TcpOptions.alignLinuxStyle(all);
    }

    /**
     * <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK> (RFC 9293 §3.10.7.4); with {@link TcpConfig#ackRepeatsFin}
     * and our FIN sent but not acknowledged, <SEQ=SND.NXT-1><CTL=FIN,ACK> instead, as FreeBSD sends it.
     */
    TcpRepr ack(long now) {
        if (ackRepeatsFin && finSent() && !finAcked() && sndNxt == Seq.add(dataEnd(), 1)) {
            return dataSegment(dataEnd(), TcpPacket.FIN | TcpPacket.ACK, 0, 0, now);
        }
        return dataSegment(sndNxt, TcpPacket.ACK, 0, 0, now);
    }

    /**
     * The ACK of a listener's half-open request (Linux tcp_v4_reqsk_send_ack()): the SYN-ACK's
     * window shifted down, not rounded up; timestamps when in use.
     */
    TcpRepr requestAck(long now) {
        int window = Math.min(rcvWnd >> rcvWscale, MAX_WINDOW_FIELD);
        List<TcpOption> options = ts.ok ? withTimestamps(List.of(), now) : List.of();
        return new TcpRepr(tuple.localPort(), tuple.remotePort(), sndNxt, rcvNxt, TcpPacket.ACK, window, 0, options,
                TcpRepr.NO_PAYLOAD);
    }

    /** Our SYN or SYN-ACK, sequence number ISS. */
    TcpRepr syn(int flags, List<TcpOption> options, long now) {
        return segment(iss, flags, options, TcpRepr.NO_PAYLOAD, now);
    }

    /** Our SYN's options: what the config offers (Linux tcp_syn_options()). */
    List<TcpOption> synOptions(long now) {
        return synOptions(synShift, timestampsEnabled, sackEnabled, now);
    }

    /**
     * SYN options in Linux's order (tcp_syn_options(), tcp_options_write()): MSS, SACK-permitted
     * (RFC 2018 §2) when {@code sack}, timestamps (TSval now, TSecr TS.Recent: 0 on a SYN, RFC
     * 7323 §3.2) when {@code timestamps}, window scale unless the shift is negative:
     * {@code mss M,sackOK,TS val V ecr E,nop,wscale S} (20 bytes), without timestamps
     * {@code mss M,nop,nop,sackOK,nop,wscale S}, as the kernel sends them; or FreeBSD's order and
     * padding ({@link OptionLayout#FREEBSD}).
     */
    List<TcpOption> synOptions(int shift, boolean timestamps, boolean sack, long now) {
        List<TcpOption> options = new ArrayList<>(4);
        options.add(new TcpOption.MaxSegmentSize(ourMss));
        if (sack) {
            options.add(TcpOption.SACK_PERMITTED);
        }
        if (timestamps) {
            options.add(ts.option(now));
        }
        if (shift >= 0) {
            options.add(new TcpOption.WindowScale(shift));
        }
        return optionLayout == OptionLayout.FREEBSD ? TcpOptions.alignBsdStyle(options)
                : TcpOptions.alignLinuxStyle(options);
    }
}
