package io.tcpsim.tcp;

/**
 * TCP segmentation offload on the sending side, sized as Linux's TCP sizes the skbs it hands a
 * TSO device: when the output segments ({@link SegmentOutput#segmentationLimit}), new data leaves
 * SND.NXT as one segment of several MSS that the link cuts into segments of the MSS. Everything
 * else is decided per MSS as without it: the peer's window, cwnd and pipe, Nagle for a short
 * tail, the scoreboard's segments, retransmissions (each at most one MSS, as Linux
 * tcp_fragment() cuts a TSO skb to retransmit part of it).
 */
final class SegmentationOffload {
    /** The largest TCP header (data offset 15), which the size goal leaves room for below the limit. */
    static final int MAX_TCP_HEADER = 60;

    private SegmentationOffload() {
    }

    /**
     * Linux tcp_tso_autosize() without its pacing-rate term (tcpsim does not pace): as many whole
     * MSS as the link's limit holds beside the largest TCP header; one MSS without TSO, and in
     * urgent mode, where every segment carries its own urgent pointer.
     */
    static int sizeGoal(TcpConnection c, int mss) {
        int limit = c.host.segmentationLimit();
        if (limit == 0 || c.tcb.urgentMode()) {
            return mss;
        }
        return Math.max(mss, (limit - MAX_TCP_HEADER) / mss * mss);
    }

    /**
     * The new data to send at once when a full segment may go: at most the size goal, the data
     * queued, the peer's window and cwnd less pipe, cut to whole MSS as Linux
     * tcp_mss_split_point() cuts at the last MSS boundary; a short tail waits for the next
     * segment, which Nagle governs as it does any short segment.
     */
    static int newDataLength(int goal, int mss, int remaining, int window, int cwndRoom) {
        int len = Math.min(Math.min(goal, remaining), Math.min(window, cwndRoom));
        return Math.max(mss, len / mss * mss);
    }

    /** How many segments of {@code mss} the link makes of {@code len} bytes of data (one for none). */
    static int segments(int len, int mss) {
        return Math.max(1, (len + mss - 1) / mss);
    }
}
