package io.tcpsim.drill;

import io.tcpsim.wire.TcpOption;
import io.tcpsim.wire.TcpOptions;
import io.tcpsim.wire.TcpPacket;
import io.tcpsim.wire.TcpRepr;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * One expected outbound packet against what the stack sent (project guide, "Matching an
 * expected outbound packet"): after mapping, every flag, seq, the ack field (which must be 0
 * without ACK unless written), the urgent pointer, the options byte by byte in order (TS val and
 * ecr excepted; no list means no options, {@code <...>} means any), payload length and bytes,
 * the IPv4 header; the window only when written. Several segments are glued when the line
 * carries more payload than the first one.
 */
final class Outbound {
    private static final int TS_LENGTH = 10;

    private Outbound() {
    }

    /** The segments seen as one: the first's header, the others' payload after it, flags or-ed. */
    record Glued(List<Captured> parts, int flags, int length, TcpRepr first, TcpRepr last) {

        static Glued of(List<Captured> parts) {
            int flags = 0;
            int length = 0;
            for (Captured c : parts) {
                flags |= c.tcp().flags();
                length += c.payloadLength();
            }
            return new Glued(List.copyOf(parts), flags, length, parts.getFirst().tcp(), parts.getLast().tcp());
        }

        long time() {
            return parts.getFirst().time();
        }
    }

    /**
     * The segments starting at {@code candidates.get(0)} that together carry the line's payload:
     * the following contiguous data segments of the flow are glued on while the line wants more
     * (never with {@code strictSegments}). Just the first when they do not add up.
     */
    static Glued glue(PacketLine expected, List<Captured> candidates, boolean strictSegments) {
        Captured first = candidates.getFirst();
        List<Captured> parts = new ArrayList<>(List.of(first));
        int length = first.payloadLength();
        int next = first.tcp().seq() + length;
        for (int i = 1; !strictSegments && length < expected.length() && i < candidates.size(); i++) {
            Captured c = candidates.get(i);
            if (c.tcp().seq() != next || c.payloadLength() == 0 || c.tcp().hasFlags(TcpPacket.SYN)) {
                break;
            }
            parts.add(c);
            length += c.payloadLength();
            next += c.payloadLength();
        }
        return length == expected.length() ? Glued.of(parts) : Glued.of(List.of(first));
    }

    /** What differs between the line and the glued segments, in words; empty when they match. */
    static List<String> differences(PacketLine e, Glued g, Flow flow) {
        List<String> d = new ArrayList<>();
        TcpRepr first = g.first();
        for (Captured c : g.parts()) {
            if (c.ipProblem() != null) {
                d.add(c.ipProblem());
            }
        }
        if (e.flags() != g.flags()) {
            d.add("flags: expected " + ScriptFormat.flags(e.flags()) + " but got " + ScriptFormat.flags(g.flags()));
        }
        long seq = flow.outboundSeq(first.seq());
        if (seq != e.seq()) {
            d.add("seq: expected " + e.seq() + " but got " + seq);
        }
        if (e.length() != g.length()) {
            d.add("payload length: expected " + e.length() + " but got " + g.length());
        }
        long ack = Integer.toUnsignedLong(g.last().ack());
        if (e.hasFlags(TcpPacket.ACK) || e.ack() != null) {
            if (e.ack() != null && e.ack() != ack) {
                d.add("ack: expected " + e.ack() + " but got " + ack);
            }
        } else if (ack != 0) {
            d.add("ack field: expected 0 (no ACK flag) but got " + ack);
        }
        if (e.window() != null && e.window() != g.last().window()) {
            d.add("win: expected " + e.window() + " but got " + g.last().window());
        }
        int urgent = e.urgent() == null ? 0 : e.urgent();
        if (urgent != first.urgentPointer()) {
            d.add("urg: expected " + urgent + " but got " + first.urgentPointer());
        }
        if (!e.anyOptions()) {
            String options = optionDifference(e.options() == null ? List.of() : e.options(), g.parts().getFirst().options());
            if (options != null) {
                d.add(options);
            }
        }
        if (g.parts().stream().anyMatch(c -> !zeros(c.tcp().payloadBytes()))) {
            d.add("payload bytes: expected zeros");
        }
        return d;
    }

    private static boolean zeros(byte[] bytes) {
        for (byte b : bytes) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Compares the option bytes: the line's options encoded in order against the raw bytes, the
     * TS val and ecr fields excepted; null when they match.
     */
    static String optionDifference(List<TcpOption> expected, byte[] actual) {
        byte[] want = new byte[TcpOptions.encodedLength(expected)];
        TcpOptions.emit(expected, MemorySegment.ofArray(want));
        boolean[] skip = new boolean[want.length];
        int at = 0;
        for (TcpOption o : expected) {
            if (o instanceof TcpOption.Timestamps) {
                for (int i = at + 2; i < at + TS_LENGTH; i++) {
                    skip[i] = true;
                }
            }
            at += o.length();
        }
        boolean same = want.length == actual.length;
        for (int i = 0; same && i < want.length; i++) {
            same = skip[i] || want[i] == actual[i];
        }
        return same ? null : "options: expected " + ScriptFormat.options(expected) + " but got "
                + (actual.length == 0 ? "none" : ScriptFormat.options(TcpOptions.parse(MemorySegment.ofArray(actual))))
                + (want.length == actual.length ? "" : " (" + want.length + " vs " + actual.length + " bytes)");
    }

    /** Remembers the live TS val of a matched packet under the value the line wrote. */
    static void rememberTimestamps(PacketLine e, Glued g, Flow flow) {
        if (e.options() == null) {
            return;
        }
        for (TcpOption o : e.options()) {
            if (o instanceof TcpOption.Timestamps written) {
                g.first().timestamps().ifPresent(live ->
                        flow.rememberTsVal(Integer.toUnsignedLong(written.tsVal()), live.tsVal()));
            }
        }
    }

    /** The segments in script syntax, numbers mapped (what the script would have to write). */
    static String describe(Glued g, Flow flow) {
        TcpRepr first = g.first();
        Long ack = (g.flags() & TcpPacket.ACK) != 0 || g.last().ack() != 0
                ? Integer.toUnsignedLong(g.last().ack()) : null;
        String text = ScriptFormat.segment(">", g.flags(), flow.outboundSeq(first.seq()), g.length(), ack,
                g.last().window(), first.urgentPointer(), first.options());
        return g.parts().size() > 1 ? text + " (" + g.parts().size() + " segments glued)" : text;
    }

    /** A segment that is not the flow's, in script syntax with its ports and live numbers. */
    static String describeForeign(Captured c) {
        if (c.tcp() == null) {
            return "(" + c.ipProblem() + ")";
        }
        TcpRepr t = c.tcp();
        return t.srcPort() + ">" + t.dstPort() + " " + ScriptFormat.segment(">", t.flags(), Integer.toUnsignedLong(t.seq()),
                (int) t.payload().byteSize(), t.hasFlags(TcpPacket.ACK) ? Integer.toUnsignedLong(t.ack()) : null,
                t.window(), t.urgentPointer(), t.options()).substring(2);
    }
}
