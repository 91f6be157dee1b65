package io.tcpsim.tcp;

/**
 * Linux's check that an orphan may go on using resources (tcp_check_oom(), and
 * tcp_out_of_resources() in its retransmission and window-probe timers): more orphans than
 * tcp_max_orphans, or tcp_mem above max while the connection still queues more than
 * SOCK_MIN_SNDBUF. In the timers the orphan count is doubled for an orphan that is dying anyway
 * (no reset owed, or nothing sent for 2 x TCP_RTO_MAX) and again for one that got an ICMP soft
 * error, so such orphans are let go first.
 */
final class OutOfResources {
    private OutOfResources() {
    }

    /** Linux tcp_check_oom(): orphans shifted left by {@code shift} above tcp_max_orphans, or no memory. */
    static boolean checkOom(TcpConnection c, int shift) {
        long orphans = (long) c.host.orphans << shift;
        boolean outOfMemory = c.tcb.sendQueue.size() > TcpConnection.SOCK_MIN_SNDBUF && !c.host.memory.mayCharge(0);
        return orphans > c.host.config.maxOrphans() || outOfMemory;
    }

    /**
     * Linux tcp_out_of_resources(), for an orphan whose retransmission or probe timer fired: when
     * {@link #checkOom} says so, TcpExtTCPAbortOnMemory and the connection is closed, with a RST if
     * one is owed ({@code doReset}), or if data was sent within TCP_TIMEWAIT_LEN, or the peer's
     * window is shut with nothing in flight.
     *
     * @return whether the connection was closed
     */
    static boolean inTimer(TcpConnection c, boolean doReset, long now) {
        Tcb tcb = c.tcb;
        long sinceSent = now - Math.max(tcb.stats.createdAt, tcb.lastSendAt); // Linux lsndtime
        int shift = 0;
        if (sinceSent > 2 * c.host.config.rtoMax().toNanos() || !doReset) {
            shift++;
        }
        if (c.softError != null) {
            shift++;
        }
        if (!checkOom(c, shift)) {
            return false;
        }
        boolean windowShut = tcb.sndWnd == 0 && tcb.sndUna == tcb.sndNxt;
        c.host.counters.abortOnMemory++;
        if (doReset || sinceSent <= c.host.config.timeWait().toNanos() || windowShut) {
            c.resetAndRelease(now);
        } else {
            c.release();
        }
        return true;
    }
}
