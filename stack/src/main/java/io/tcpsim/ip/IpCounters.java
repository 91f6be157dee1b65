package io.tcpsim.ip;

import io.tcpsim.wire.Icmpv6Packet;
import io.tcpsim.wire.Malformed;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * IP and ICMP counters, named after Linux's SNMP counters (nstat) where one exists, plus one
 * counter per drop reason. Written only by the stack thread; read from others as a snapshot.
 */
public final class IpCounters {

    private final long[] malformed = new long[Malformed.values().length];
    private final long[] dropped = new long[IpDrop.values().length];
    private final long[] optionsIgnored = new long[Malformed.values().length];
    private volatile long inReceives;
    private volatile long inDelivers;
    private volatile long outRequests;
    private volatile long icmpInEchos;
    private volatile long icmpOutEchoReps;
    private volatile long icmpOutDestUnreachs;
    private volatile long icmpOutRateLimitGlobal;
    private volatile long icmpOutRateLimitHost;
    private volatile long icmp6InEchos;
    private volatile long icmp6OutEchoReplies;
    private volatile long icmp6OutDestUnreachs;
    private volatile long icmp6OutParmProblems;
    private volatile long icmp6OutErrorsSuppressed;
    private volatile long icmp6OutTimeExcds;
    private final ReasmCounters reasm4 = new ReasmCounters();
    private final ReasmCounters reasm6 = new ReasmCounters();
    private volatile long icmpOutTimeExcds;
    private volatile long fragOks;
    private volatile long fragCreates;

    void countMalformed(Malformed reason) {
        malformed[reason.ordinal()]++;
    }

    void countDrop(IpDrop reason) {
        dropped[reason.ordinal()]++;
    }

    /** A bug outside packet input (a timer or a task threw): counted as INTERNAL_ERROR. */
    public void countInternalError() {
        countDrop(IpDrop.INTERNAL_ERROR);
    }

    void countReceive() {
        inReceives++;
    }

    void countDeliver() {
        inDelivers++;
    }

    void countOutRequest() {
        outRequests++;
    }

    void countEchoRequest() {
        icmpInEchos++;
    }

    void countEchoReply() {
        icmpOutEchoReps++;
    }

    void countDestUnreachableSent() {
        icmpOutDestUnreachs++;
    }

    void countIcmpRateLimitGlobal() {
        icmpOutRateLimitGlobal++;
    }

    void countIcmpRateLimitHost() {
        icmpOutRateLimitHost++;
    }

    void countIcmpv6EchoRequest() {
        icmp6InEchos++;
    }

    void countIcmpv6EchoReply() {
        icmp6OutEchoReplies++;
    }

    /** An ICMPv6 error sent: destination unreachable or parameter problem, by type (RFC 4443 §3). */
    void countIcmpv6ErrorSent(int type) {
        if (type == Icmpv6Packet.TYPE_DEST_UNREACHABLE) {
            icmp6OutDestUnreachs++;
        } else if (type == Icmpv6Packet.TYPE_PARAMETER_PROBLEM) {
            icmp6OutParmProblems++;
        } else if (type == Icmpv6Packet.TYPE_TIME_EXCEEDED) {
            icmp6OutTimeExcds++;
        }
    }

    /** An ICMPv6 error RFC 4443 §2.4 (e) forbids: about an error, to multicast, to an unspecified source. */
    void countIcmpv6ErrorSuppressed() {
        icmp6OutErrorsSuppressed++;
    }

    /** IPv4 reassembly (IpReasm*). */
    public ReasmCounters reassembly4() {
        return reasm4;
    }

    /** IPv6 reassembly (Ip6Reasm*), apart as in Linux's snmp6. */
    public ReasmCounters reassembly6() {
        return reasm6;
    }

    void countTimeExceededSent() {
        icmpOutTimeExcds++;
    }

    void countFragmented() {
        fragOks++;
    }

    void countFragmentCreated() {
        fragCreates++;
    }

    public long malformed(Malformed reason) {
        return malformed[reason.ordinal()];
    }

    /**
     * Segments delivered with their malformed options left out, as Linux's tcp_parse_options()
     * does, by the first problem found.
     */
    public long optionsIgnored(Malformed reason) {
        return optionsIgnored[reason.ordinal()];
    }

    void countOptionsIgnored(Malformed reason) {
        optionsIgnored[reason.ordinal()]++;
    }

    public long dropped(IpDrop reason) {
        return dropped[reason.ordinal()];
    }

    /** Every packet dropped, for any reason. */
    public long totalDropped() {
        long total = 0;
        for (long n : malformed) {
            total += n;
        }
        for (long n : dropped) {
            total += n;
        }
        return total;
    }

    /** All counters by name (nstat style), drop reasons only when non-zero. */
    public Map<String, Long> snapshot() {
        Map<String, Long> out = new LinkedHashMap<>();
        out.put("IpInReceives", inReceives);
        out.put("IpInDelivers", inDelivers);
        out.put("IpOutRequests", outRequests);
        out.put("IcmpInEchos", icmpInEchos);
        out.put("IcmpOutEchoReps", icmpOutEchoReps);
        out.put("IcmpOutDestUnreachs", icmpOutDestUnreachs);
        out.put("IcmpOutRateLimitGlobal", icmpOutRateLimitGlobal);
        out.put("IcmpOutRateLimitHost", icmpOutRateLimitHost);
        out.put("Icmp6InEchos", icmp6InEchos);
        out.put("Icmp6OutEchoReplies", icmp6OutEchoReplies);
        out.put("Icmp6OutDestUnreachs", icmp6OutDestUnreachs);
        out.put("Icmp6OutParmProblems", icmp6OutParmProblems);
        out.put("Icmp6OutErrorsSuppressed", icmp6OutErrorsSuppressed);
        out.put("Icmp6OutTimeExcds", icmp6OutTimeExcds);
        out.put("IpFragOKs", fragOks);
        out.put("IpFragCreates", fragCreates);
        out.put("IcmpOutTimeExcds", icmpOutTimeExcds);
        putReassembly(out, "Ip", reasm4);
        out.put("IpExtReasmOverlaps", reasm4.overlaps());
        putReassembly(out, "Ip6", reasm6);
        for (Malformed reason : Malformed.values()) {
            putNonZero(out, "Malformed." + reason.name(), malformed(reason));
        }
        for (IpDrop reason : IpDrop.values()) {
            putNonZero(out, "Drop." + reason.name(), dropped(reason));
        }
        for (Malformed reason : Malformed.values()) {
            putNonZero(out, "OptionsIgnored." + reason.name(), optionsIgnored(reason));
        }
        return out;
    }

    private static void putReassembly(Map<String, Long> out, String prefix, ReasmCounters reasm) {
        out.put(prefix + "ReasmReqds", reasm.required());
        out.put(prefix + "ReasmOKs", reasm.oks());
        out.put(prefix + "ReasmFails", reasm.fails());
        out.put(prefix + "ReasmTimeout", reasm.timeouts());
    }

    private static void putNonZero(Map<String, Long> out, String name, long value) {
        if (value != 0) {
            out.put(name, value);
        }
    }
}
