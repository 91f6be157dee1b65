package io.tcpsim.tcp;

import io.tcpsim.wire.TcpOption;
import io.tcpsim.wire.TcpPacket;
import io.tcpsim.wire.TcpRepr;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Segments in packetdrill/tcpdump syntax, for failure messages:
 * {@code 8080 > 45000 S. 1:1(0) ack 1 win 64240 <mss 1460>}.
 */
final class Drill {
    private Drill() {
    }

    static String format(TcpRepr s) {
        StringBuilder b = new StringBuilder();
        b.append(s.srcPort()).append(" > ").append(s.dstPort()).append(' ').append(flags(s.flags())).append(' ');
        long len = s.payload().byteSize();
        b.append(Integer.toUnsignedString(s.seq())).append(':')
                .append(Integer.toUnsignedString(s.seq() + (int) len)).append('(').append(len).append(')');
        if (s.hasFlags(TcpPacket.ACK) || s.ack() != 0) {
            b.append(s.hasFlags(TcpPacket.ACK) ? " ack " : " ackfield ").append(Integer.toUnsignedString(s.ack()));
        }
        b.append(" win ").append(s.window());
        if (s.hasFlags(TcpPacket.URG) || s.urgentPointer() != 0) {
            b.append(" urg ").append(s.urgentPointer());
        }
        if (!s.options().isEmpty()) {
            b.append(" <").append(s.options().stream().map(Drill::option).collect(Collectors.joining(","))).append('>');
        }
        if (len > 0 && len <= 16) {
            b.append(" \"").append(new String(s.payloadBytes(), StandardCharsets.ISO_8859_1)).append('"');
        }
        return b.toString();
    }

    /** The fields in which two segments differ, named; empty when they are equal. */
    static List<String> differences(TcpRepr expected, TcpRepr actual) {
        List<String> d = new ArrayList<>();
        compare(d, "srcPort", expected.srcPort(), actual.srcPort());
        compare(d, "dstPort", expected.dstPort(), actual.dstPort());
        compare(d, "seq", Integer.toUnsignedLong(expected.seq()), Integer.toUnsignedLong(actual.seq()));
        compare(d, "ack", Integer.toUnsignedLong(expected.ack()), Integer.toUnsignedLong(actual.ack()));
        compare(d, "flags", flags(expected.flags()), flags(actual.flags()));
        compare(d, "window", expected.window(), actual.window());
        compare(d, "urgent", expected.urgentPointer(), actual.urgentPointer());
        compare(d, "options", expected.options(), actual.options());
        if (expected.payload().byteSize() != actual.payload().byteSize()
                || expected.payload().mismatch(actual.payload()) != -1) {
            d.add("payload: expected " + expected.payload().byteSize() + " bytes, got " + actual.payload().byteSize()
                    + (expected.payload().byteSize() == actual.payload().byteSize() ? " (content differs)" : ""));
        }
        return d;
    }

    static String flags(int f) {
        StringBuilder b = new StringBuilder();
        appendIf(b, f, TcpPacket.FIN, 'F');
        appendIf(b, f, TcpPacket.SYN, 'S');
        appendIf(b, f, TcpPacket.RST, 'R');
        appendIf(b, f, TcpPacket.PSH, 'P');
        appendIf(b, f, TcpPacket.URG, 'U');
        appendIf(b, f, TcpPacket.CWR, 'W');
        appendIf(b, f, TcpPacket.ECE, 'E');
        appendIf(b, f, TcpPacket.ACK, '.');
        return b.isEmpty() ? "-" : b.toString();
    }

    private static void appendIf(StringBuilder b, int flags, int bit, char c) {
        if ((flags & bit) != 0) {
            b.append(c);
        }
    }

    private static String option(TcpOption o) {
        return switch (o) {
            case TcpOption.MaxSegmentSize m -> "mss " + m.mss();
            case TcpOption.WindowScale w -> "wscale " + w.shift();
            case TcpOption.NoOperation n -> "nop";
            case TcpOption.EndOfList e -> "eol";
            case TcpOption.SackPermitted p -> "sackOK";
            case TcpOption.Timestamps t -> "TS val " + Integer.toUnsignedString(t.tsVal()) + " ecr "
                    + Integer.toUnsignedString(t.tsEcr());
            case TcpOption.Sack s -> "sack " + s.blocks().stream().map(b -> Integer.toUnsignedString(b.left()) + ":"
                    + Integer.toUnsignedString(b.right())).collect(Collectors.joining(" "));
            default -> o.toString();
        };
    }

    private static void compare(List<String> d, String field, Object expected, Object actual) {
        if (!expected.equals(actual)) {
            d.add(field + ": expected " + expected + ", got " + actual);
        }
    }
}
