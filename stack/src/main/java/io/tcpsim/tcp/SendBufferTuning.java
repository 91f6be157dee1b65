package io.tcpsim.tcp;

/**
 * Send-buffer autotuning as Linux does it: at establishment (tcp_init_buffer_space()) and, while
 * the application finds the buffer full, on ACKs that free space (tcp_check_space(),
 * tcp_new_space()), the buffer grows to twice the memory of the larger of the initial and the
 * current congestion window in full-sized segments, each counted as the kernel allocates it
 * (tcp_sndbuf_expand()), up to tcp_wmem[2]. Not with SO_SNDBUF set (SOCK_SNDBUF_LOCK).
 */
final class SendBufferTuning {
    /**
     * Linux MAX_TCP_HEADER, L1_CACHE_ALIGN(128 + MAX_HEADER): 256 on the development machine's
     * x86-64 6.18 kernel, which reports SO_SNDBUF 46080 for MSS 1460 after the handshake
     * ({@code ApiDifferentialTest#bulkTransfers_unsetBuffersAutotunedAsLinux_setOnesStay}); kernels
     * built with larger link headers have 320 (87040).
     */
    static final int MAX_TCP_HEADER = 256;
    /** Linux SKB_DATA_ALIGN(sizeof(struct skb_shared_info)) and SKB_DATA_ALIGN(sizeof(struct sk_buff)), x86-64. */
    static final int SKB_SHARED_INFO = 320;
    static final int SKB_STRUCT = 256;
    /**
     * Linux: Cubic's and Reno's factor (no ca_ops->sndbuf_expand): "Cubic needs 1.7 factor,
     * rounded to 2 to include extra cushion" for fast recovery (RFC 5681 §3.2).
     */
    static final int FACTOR = 2;

    private SendBufferTuning() {
    }

    /**
     * Linux tcp_sndbuf_expand(): per segment the power of two that holds the MSS and the headers
     * plus an skb (2304 bytes for MSS 1460: SO_SNDBUF 46080 with the initial window), times
     * max(TCP_INIT_CWND, cwnd, reordering + 1) segments, times {@link #FACTOR}; capped at
     * {@code wmemMax}; never shrinks.
     */
    static void expand(Tcb tcb, int wmemMax) {
        int perMss = roundUpToPowerOfTwo(tcb.sndMss + MAX_TCP_HEADER + SKB_SHARED_INFO) + SKB_STRUCT;
        int reordering = tcb.sackOk ? tcb.rack.reordering() : LossRecovery.DUP_ACK_THRESHOLD;
        int segments = Math.max(Math.max(Transmitter.INITIAL_WINDOW_SEGMENTS, tcb.cwnd / tcb.effectiveMss()),
                reordering + 1);
        long sndmem = (long) FACTOR * segments * perMss;
        int bytes = tcb.bufferRules.dataBytes((int) Math.min(sndmem, wmemMax));
        if (bytes > tcb.sendQueue.capacity()) {
            tcb.sendQueue.setCapacity(bytes);
        }
    }

    /**
     * Linux tcp_should_expand_sndbuf(): not with SO_SNDBUF set, not under tcp_mem pressure nor
     * above its min (the soft limit), not while the congestion window is full.
     */
    static boolean shouldExpand(Tcb tcb, TcpMemory memory) {
        return !tcb.sndBufLocked && !memory.underPressure() && !memory.aboveMin() && tcb.pipe() < tcb.cwnd;
    }

    private static int roundUpToPowerOfTwo(int n) {
        return n <= 1 ? 1 : Integer.highestOneBit(n - 1) << 1;
    }
}
