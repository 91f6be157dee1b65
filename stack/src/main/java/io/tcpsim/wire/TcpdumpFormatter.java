package io.tcpsim.wire;

import java.lang.foreign.MemorySegment;

/**
 * One line per IP packet in tcpdump's default style (tcpdump 4.99, no -v), e.g.
 * <pre>
 * IP 10.0.0.1.5432 &gt; 10.0.0.2.80: Flags [S], seq 1, win 64240, options [mss 1460,sackOK,TS val 1 ecr 0,nop,wscale 7], length 0
 * </pre>
 * without the timestamp column and without application decodes after "length N".
 *
 * <p>Three modes: {@link #absolute(MemorySegment)} ({@code tcpdump -S}), {@link #quiet(MemorySegment)}
 * ({@code tcpdump -q}: "IP a.p &gt; b.q: tcp N"), and an instance's {@link #format(MemorySegment)},
 * tcpdump's default relative numbering, which remembers each conversation's initial sequence
 * numbers. Never throws: a packet it cannot decode gets a line saying why, e.g.
 * "IP 10.0.0.1 &gt; 10.0.0.2: [malformed: TCP data offset below 5 (20 bytes)]" or tcpdump's
 * own "[|tcp]" for a capture cut short.
 */
public final class TcpdumpFormatter {
    /** How sequence numbers are printed. */
    enum Mode { RELATIVE, ABSOLUTE, QUIET }

    private final TcpdumpSeqTracker tracker = new TcpdumpSeqTracker();

    /** A formatter with relative numbering and no conversation seen yet. */
    public TcpdumpFormatter() {
    }

    /** The line for an IP packet (starting at its IP header), with absolute numbers ({@code tcpdump -S}). */
    public static String absolute(MemorySegment ipPacket) {
        return TcpdumpIp.format(ipPacket, Mode.ABSOLUTE, null);
    }

    /** The line as {@code tcpdump -q} prints it. */
    public static String quiet(MemorySegment ipPacket) {
        return TcpdumpIp.format(ipPacket, Mode.QUIET, null);
    }

    /** The line with tcpdump's relative numbering; packets must be given in capture order. */
    public String format(MemorySegment ipPacket) {
        return TcpdumpIp.format(ipPacket, Mode.RELATIVE, tracker);
    }
}
