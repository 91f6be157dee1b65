package io.tcpsim.drill;

import io.tcpsim.wire.TcpOption;
import io.tcpsim.wire.TcpPacket;
import java.util.List;
import java.util.stream.Collectors;

/** Packets in script syntax, for traces and failure messages: {@code S. 0:0(0) ack 1 win 65535 <mss 1460>}. */
final class ScriptFormat {
    private ScriptFormat() {
    }

    /** A packet line as the script wrote it. */
    static String written(PacketLine p) {
        StringBuilder b = new StringBuilder(p.inbound() ? "< " : "> ");
        if (p.srcPort() >= 0) {
            b.append(p.srcPort()).append('>').append(p.dstPort()).append(' ');
        }
        b.append(flags(p.flags())).append(' ').append(range(p.seq(), p.length()));
        if (p.ack() != null) {
            b.append(" ack ").append(p.ack());
        }
        if (p.window() != null) {
            b.append(" win ").append(p.window());
        }
        if (p.urgent() != null) {
            b.append(" urg ").append(p.urgent());
        }
        if (p.anyOptions()) {
            b.append(" <...>");
        } else if (p.options() != null) {
            b.append(' ').append(options(p.options()));
        }
        return b.toString();
    }

    /**
     * A segment in script syntax with its numbers already mapped: {@code seq} and {@code ack} as
     * the script would write them.
     */
    static String segment(String direction, int flags, long seq, int length, Long ack, int window, int urgent,
                          List<TcpOption> options) {
        StringBuilder b = new StringBuilder(direction).append(' ').append(flags(flags)).append(' ')
                .append(range(seq, length));
        if (ack != null) {
            b.append(" ack ").append(ack);
        }
        b.append(" win ").append(window);
        if (urgent != 0) {
            b.append(" urg ").append(urgent);
        }
        if (!options.isEmpty()) {
            b.append(' ').append(options(options));
        }
        return b.toString();
    }

    static String range(long seq, int length) {
        return seq + ":" + ((seq + length) & 0xFFFFFFFFL) + "(" + length + ")";
    }

    static String flags(int f) {
        StringBuilder b = new StringBuilder();
        append(b, f, TcpPacket.SYN, 'S');
        append(b, f, TcpPacket.FIN, 'F');
        append(b, f, TcpPacket.RST, 'R');
        append(b, f, TcpPacket.PSH, 'P');
        append(b, f, TcpPacket.URG, 'U');
        append(b, f, TcpPacket.ECE, 'E');
        append(b, f, TcpPacket.CWR, 'W');
        append(b, f, TcpPacket.ACK, '.');
        return b.isEmpty() ? "-" : b.toString();
    }

    private static void append(StringBuilder b, int flags, int bit, char c) {
        if ((flags & bit) != 0) {
            b.append(c);
        }
    }

    static String options(List<TcpOption> options) {
        return options.stream().map(ScriptFormat::option).collect(Collectors.joining(",", "<", ">"));
    }

    private static String option(TcpOption o) {
        return switch (o) {
            case TcpOption.MaxSegmentSize m -> "mss " + m.mss();
            case TcpOption.WindowScale w -> "wscale " + w.shift();
            case TcpOption.NoOperation n -> "nop";
            case TcpOption.EndOfList e -> "eol";
            case TcpOption.SackPermitted p -> "sackOK";
            case TcpOption.Sack s -> "sack " + s.blocks().stream()
                    .map(k -> Integer.toUnsignedString(k.left()) + ":" + Integer.toUnsignedString(k.right()))
                    .collect(Collectors.joining(" "));
            case TcpOption.Timestamps t -> "TS val " + Integer.toUnsignedString(t.tsVal()) + " ecr "
                    + Integer.toUnsignedString(t.tsEcr());
            case TcpOption.Unknown u -> "kind " + u.kind();
        };
    }
}
