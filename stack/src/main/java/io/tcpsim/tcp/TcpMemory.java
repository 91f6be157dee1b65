package io.tcpsim.tcp;

/**
 * The memory all connections of a layer hold in their buffers, against net.ipv4.tcp_mem's three
 * thresholds in 4 KiB pages, as Linux __sk_mem_raise_allocated() judges them: at or below min the
 * pressure ends; above pressure it starts (counted in TcpExtTCPMemoryPressures), and while it lasts
 * receive windows stop growing past four segments (tcp_adjust_rcv_ssthresh()); above max nothing
 * more is charged: received data is dropped (TcpExtTCPRcvQDrop, TcpExtTCPOFODrop, after the
 * out-of-order queue was pruned: TcpExtPruneCalled, TcpExtOfoPruned) and write() takes nothing.
 * An empty queue is always allowed one charge, as Linux's sk_forced_mem_schedule() keeps a
 * connection from deadlocking. Linux charges each buffer's truesize; tcpsim charges the bytes held
 * (send queue, receive queue, out-of-order queue), rounded up to pages.
 */
final class TcpMemory {
    /** Linux SK_MEM_QUANTUM: the unit of tcp_mem. */
    static final int PAGE = 4096;
    /** Linux tcp_adjust_rcv_ssthresh(): under pressure the window grows to four segments at most. */
    static final int PRESSURE_WINDOW_SEGMENTS = 4;

    private final TcpConfig.TcpMem limits;
    private final TcpCounters counters;
    private long allocated;
    private boolean pressure;

    TcpMemory(TcpConfig.TcpMem limits, TcpCounters counters) {
        this.limits = limits;
        this.counters = counters;
    }

    /** Bytes charged now, all connections (Linux tcp_memory_allocated, in bytes). */
    long allocated() {
        return allocated;
    }

    boolean underPressure() {
        return pressure;
    }

    /** Above tcp_mem's min (Linux sk_memory_allocated() >= sk_prot_mem_limits(sk, 0)): buffers stop growing. */
    boolean aboveMin() {
        return pages(allocated) >= limits.min();
    }

    /** A connection's charge changed from {@code before} to {@code after} bytes. */
    void recharge(long before, long after) {
        allocated += after - before;
        if (pages(allocated) <= limits.min()) {
            pressure = false; // Linux: sk_leave_memory_pressure()
        }
    }

    /**
     * Whether {@code bytes} more may be charged (Linux __sk_mem_raise_allocated()): not above max;
     * above pressure, yes, but the pressure starts.
     */
    boolean mayCharge(int bytes) {
        long pages = pages(allocated + bytes);
        if (pages > limits.max()) {
            enterPressure();
            return false;
        } else if (pages > limits.pressure()) {
            enterPressure();
        } else if (pages <= limits.min()) {
            pressure = false;
        }
        return true;
    }

    private void enterPressure() {
        if (!pressure) {
            pressure = true;
            counters.memoryPressures++; // Linux tcp_enter_memory_pressure()
        }
    }

    private static long pages(long bytes) {
        return (bytes + PAGE - 1) / PAGE;
    }
}
