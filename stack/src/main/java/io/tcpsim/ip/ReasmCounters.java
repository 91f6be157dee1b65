package io.tcpsim.ip;

/**
 * Reassembly counters of one family, as Linux's SNMP MIB (IpReasmReqds, IpReasmOKs, IpReasmFails,
 * IpReasmTimeout; Ip6Reasm* for IPv6) plus IpExtReasmOverlaps. Written by the stack thread only.
 */
public final class ReasmCounters {
    private volatile long reqds;
    private volatile long oks;
    private volatile long fails;
    private volatile long timeouts;
    private volatile long overlaps;

    void countRequired() {
        reqds++;
    }

    void countOk() {
        oks++;
    }

    void countFail() {
        fails++;
    }

    void countTimeout() {
        timeouts++;
    }

    void countOverlap() {
        overlaps++;
    }

    public long required() {
        return reqds;
    }

    public long oks() {
        return oks;
    }

    public long fails() {
        return fails;
    }

    public long timeouts() {
        return timeouts;
    }

    public long overlaps() {
        return overlaps;
    }
}
