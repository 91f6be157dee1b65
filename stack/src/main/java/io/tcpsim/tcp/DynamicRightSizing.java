package io.tcpsim.tcp;

import io.tcpsim.wire.Seq;

/**
 * Receive-buffer autotuning as Linux 6.18 does it (net.ipv4.tcp_moderate_rcvbuf, "dynamic
 * right-sizing"): the receiver estimates the RTT (Linux rcv_rtt_est: from the TSecr of full-sized
 * segments, tcp_rcv_rtt_measure_ts(), or, without timestamps, from the time one window takes to
 * arrive, tcp_rcv_rtt_measure()), counts what the application read in each such RTT (rcvq_space)
 * and, when that count beats the last one, asks for a buffer big enough for the sender to double
 * its rate (tcp_rcv_space_adjust(), tcp_rcvbuf_grow()). The methods take the stack's time in
 * nanoseconds; the fields keep microseconds in ints (Linux's tcp_mstamp is in microseconds too;
 * ints keep an idle connection small), their differences taken unsigned: right for 71 minutes.
 */
final class DynamicRightSizing {
    private static final int NANOS_PER_MICRO = 1_000;

    /** Linux rcv_rtt_est.rtt_us: the receiver's RTT estimate times 8; 0 until measured. */
    private int rtt8;
    /** Linux rcv_rtt_est.seq and .time: the window edge whose arrival ends the running measurement; time 0: none. */
    private int rttSeq;
    private int rttStart;
    /** Linux rcv_rtt_last_tsecr: the TSecr last sampled, so that one echo gives one sample. */
    private int lastTsEcr;
    /** Linux rcvq_space.space, .seq, .time: bytes read in the last RTT, where and when this one began. */
    private int space;
    private int spaceSeq;
    private int spaceStart;

    private static int micros(long nanos) {
        return (int) (nanos / NANOS_PER_MICRO);
    }

    private static long since(int start, long now) {
        return Integer.toUnsignedLong(micros(now) - start);
    }

    /**
     * Linux tcp_init_buffer_space() as the connection is established: the first count is
     * min(rcv_ssthresh, rcv_wnd, TCP_INIT_CWND * advmss), the measurement starts at the next byte
     * the application reads.
     */
    void start(int firstSpace, int readSeq, long now) {
        space = Math.max(firstSpace, 1);
        spaceSeq = readSeq;
        spaceStart = micros(now);
    }

    /** Linux tcpi_rcv_space: bytes read in the last measured RTT. */
    int space() {
        return space;
    }

    /** Linux tcpi_rcv_rtt: the receiver's RTT estimate in nanoseconds, 0 until measured. */
    long rtt() {
        return (long) (rtt8 >>> 3) * NANOS_PER_MICRO;
    }

    /**
     * Linux tcp_rcv_rtt_measure(), for in-order data: the time from one window's edge being
     * offered to RCV.NXT reaching it is an RTT sample, at most (the sender may have had nothing to
     * send), so only a smaller one is taken.
     */
    void onInOrderData(int rcvNxt, int rcvWnd, long now) {
        if (rttStart != 0) {
            if (Seq.lt(rcvNxt, rttSeq)) {
                return;
            }
            update(Math.max(since(rttStart, now), 1), true);
        }
        rttSeq = Seq.add(rcvNxt, rcvWnd);
        rttStart = micros(now);
    }

    /**
     * Linux tcp_rcv_rtt_measure_ts(): a new TSecr on a segment of at least the peer's MSS gives a
     * sample in nanoseconds ({@code sample} &gt; 0: Linux tcp_rtt_tsopt_us(tp, 0) takes no sample
     * within one tick).
     */
    void onTimestampEcho(int tsEcr, int len, int rcvMss, long sample) {
        if (tsEcr == lastTsEcr) {
            return;
        }
        lastTsEcr = tsEcr;
        if (len >= rcvMss && sample > 0) {
            update(Math.max(sample / NANOS_PER_MICRO, 1), false);
        }
    }

    /**
     * Linux tcp_rcv_rtt_update() (since 6.16): a smaller sample is taken at once; a larger one is
     * averaged in with gain 1/8, unless it depends on the window (then it is dropped).
     */
    private void update(long sampleMicros, boolean windowDependent) {
        int m = (int) Math.min(sampleMicros << 3, Integer.MAX_VALUE);
        if (rtt8 == 0 || m < rtt8) {
            rtt8 = m;
        } else if (!windowDependent) {
            rtt8 = (int) Math.min((long) rtt8 - (rtt8 >> 3) + sampleMicros, Integer.MAX_VALUE);
        }
    }

    /**
     * Linux tcp_rcv_space_adjust() after the application read: once an RTT has passed since the
     * count began, the bytes read in it, less what is still queued, become the new count when they
     * beat the old one.
     *
     * @return the count before, when it grew (the caller then grows the buffer,
     *         {@link #window}); -1 when it did not
     */
    int adjust(int readSeq, int rcvNxt, long now) {
        if (rtt8 == 0 || since(spaceStart, now) < rtt8 >> 3) {
            return -1;
        }
        int copied = Seq.diff(readSeq, spaceSeq) - Seq.diff(rcvNxt, readSeq);
        int before = -1;
        if (copied > space) {
            before = space;
            space = copied;
        }
        spaceSeq = readSeq;
        spaceStart = micros(now);
        return before;
    }

    /**
     * Linux tcp_rcvbuf_grow() (6.18, "tcp: fix too slow tcp_rcvbuf_grow() action"): the window to
     * make room for: twice the new count (DRS is one RTT late), plus twice that times the count's
     * growth ratio (slow start lets the sender double its rate), plus the span of out-of-order
     * data held beyond RCV.NXT.
     */
    long window(int before, int outOfOrderSpan) {
        long rcvwin = (long) space << 1;
        long grow = rcvwin * Math.max(space - before, 0) / Math.max(before, 1);
        return rcvwin + (grow << 1) + outOfOrderSpan;
    }
}
