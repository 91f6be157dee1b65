package io.tcpsim.tcp;

import io.tcpsim.wire.TcpPacket;
import io.tcpsim.wire.TcpRepr;
import java.util.ArrayList;
import java.util.List;

/** What every connection and listener of one {@link TcpLayer} shares: settings, counters, output. */
final class TcpHost {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    final TcpConfig config;
    final TcpCounters counters = new TcpCounters();
    final IsnGenerator isn;
    final SynCookies cookies;
    final TcpMemory memory;
    /** Closed by the application, not yet CLOSED or TIME_WAIT: Linux tcp_orphan_count. */
    int orphans;
    /** Connections in TIME_WAIT: Linux tcp_death_row's tw_refcount, bounded by tcp_max_tw_buckets. */
    int timeWaits;
    final TcpDemux demux = new TcpDemux();
    TcpObserver observer = TcpObserver.NONE;
    /** The one segment this host's connections write their data segments and ACKs into ({@link Tcb#dataSegment}). */
    final TcpRepr outgoing = TcpRepr.reusable();
    private final SegmentOutput output;
    /** Connections owing an ACK for in-order data at the end of the receive batch under way, if one is. */
    private final List<TcpConnection> acksAtBatchEnd = new ArrayList<>();
    private boolean inReceiveBatch;
    private long challengeSecondAt = Long.MIN_VALUE;
    private int challengeBudget;

    TcpHost(TcpConfig config, IsnGenerator isn, SegmentOutput output) {
        this.config = config;
        this.isn = isn;
        this.cookies = new SynCookies(isn);
        this.memory = new TcpMemory(config.tcpMem(), counters);
        this.output = output;
    }

    /** A batch of received segments begins: ACKs for in-order data wait for its end ({@link #endReceiveBatch}). */
    void beginReceiveBatch() {
        inReceiveBatch = true;
    }

    /**
     * Whether {@code c}'s ACK for in-order data waits for the end of the receive batch; if so, it
     * is now on the list of those owed then.
     */
    boolean deferAckToBatchEnd(TcpConnection c) {
        if (inReceiveBatch) {
            acksAtBatchEnd.add(c);
        }
        return inReceiveBatch;
    }

    /** The batch is over: the ACKs it deferred leave, one per connection. */
    void endReceiveBatch(long now) {
        inReceiveBatch = false;
        for (int i = 0; i < acksAtBatchEnd.size(); i++) {
            acksAtBatchEnd.get(i).sendBatchAck(now);
        }
        acksAtBatchEnd.clear();
    }

    /** Sends a segment, counted in OutSegs (and OutRsts for a RST). */
    void send(FourTuple tuple, TcpRepr segment) {
        counters.outSegs++;
        if (segment.hasFlags(TcpPacket.RST)) {
            counters.outRsts++;
        }
        output.send(tuple, segment);
    }

    /**
     * Sends a data segment whose checksum the link completes and that it cuts into
     * {@code segments} segments of {@code segmentSize} bytes of data (TSO), each counted in
     * OutSegs, or, {@code again}, in RetransSegs.
     */
    void sendSegmented(FourTuple tuple, TcpRepr segment, int segmentSize, int segments, boolean again) {
        if (again) {
            counters.retransSegs += segments;
        } else {
            counters.outSegs += segments;
        }
        output.sendSegmented(tuple, segment, segmentSize);
    }

    /** The largest segment, header and data, the link cuts (Linux sk_gso_max_size); 0 without TSO. */
    int segmentationLimit() {
        return output.segmentationLimit();
    }

    /** Sends a retransmission, counted in RetransSegs only (Linux __tcp_transmit_skb()). */
    void retransmit(FourTuple tuple, TcpRepr segment) {
        counters.retransSegs++;
        output.send(tuple, segment);
    }

    /**
     * The RST answering a segment no connection takes (RFC 9293 §3.10.7.1, and the "send a reset"
     * of §3.10.7.2-4): {@code <SEQ=SEG.ACK><CTL=RST>} when it has ACK, else
     * {@code <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>}; window 0, no options (Linux
     * tcp_v4_send_reset()). Never in reply to a RST.
     */
    void sendResetFor(FourTuple tuple, TcpRepr segment) {
        if (segment.hasFlags(TcpPacket.RST)) {
            return;
        }
        // Linux: window 0 and no options, which RFC 9293 leaves open.
        TcpRepr reset = segment.hasFlags(TcpPacket.ACK)
                ? new TcpRepr(tuple.localPort(), tuple.remotePort(), segment.ack(), 0, TcpPacket.RST, 0, 0,
                        List.of(), TcpRepr.NO_PAYLOAD)
                : new TcpRepr(tuple.localPort(), tuple.remotePort(), 0, segment.seq() + segment.segLen(),
                        TcpPacket.RST | TcpPacket.ACK, 0, 0, List.of(), TcpRepr.NO_PAYLOAD);
        send(tuple, reset);
    }

    /**
     * The global challenge-ACK budget (RFC 5961 §7), as Linux 6.x tcp_send_challenge_ack(): the
     * default tcp_challenge_ack_limit INT_MAX turns it off (since Linux 6.0; it was 1000); any
     * other limit L gives each second a budget between L/2 and L/2 + L - 1, drawn at random so
     * that the count of challenge ACKs reveals nothing to an off-path attacker (CVE-2016-5696);
     * here the draw is a keyed hash of the second, so a fixed key gives reproducible budgets.
     */
    boolean challengeAckAllowed(long now) {
        int limit = config.challengeAckLimit();
        if (limit == Integer.MAX_VALUE) {
            return true;
        }
        long second = Math.floorDiv(now, NANOS_PER_SECOND);
        if (second != challengeSecondAt) {
            challengeSecondAt = second;
            int half = (limit + 1) >>> 1;
            challengeBudget = limit == 0 ? 0 : half + Integer.remainderUnsigned(isn.budgetDraw(second), limit);
        }
        if (challengeBudget == 0) {
            return false;
        }
        challengeBudget--;
        return true;
    }

    /**
     * The SYN's or SYN-ACK's timer from {@code baseNanos} (the initial RTO) after {@code backoff}
     * retransmissions, as the config's {@link RtoPolicy} backs it off (Linux: doubled), at most RTO max.
     */
    long backoff(long baseNanos, int backoff) {
        return config.rtoPolicy().handshakeTimeout(baseNanos, backoff, config.rtoMax().toNanos());
    }
}
