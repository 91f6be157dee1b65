package io.tcpsim.wire;

import static io.tcpsim.wire.NetworkOrder.i32;
import static io.tcpsim.wire.NetworkOrder.u16;
import static io.tcpsim.wire.NetworkOrder.u8;
import static io.tcpsim.wire.TcpdumpTcpOptions.unsigned;

import java.lang.foreign.MemorySegment;

/** The TCP part of a tcpdump line, following print-tcp.c's tcp_print() step by step. */
final class TcpdumpTcp {
    /** tcpdump's flag letters, in its table order (FIN first), so SYN+FIN prints "FS". */
    private static final String FLAG_LETTERS = "FSRP.UEW";
    private static final String TRUNCATED = "[|tcp]";

    private TcpdumpTcp() {
    }

    /**
     * The addresses of the segment's IP header, as text and bytes.
     *
     * @param direct the IP layer printed nothing yet: the transport prints "addr.port > addr.port"
     *               (or "addr > addr" without ports). False after IPv6 extension headers, which tcpdump
     *               prints after the addresses; then only "port > port" follows
     */
    record Endpoints(String src, String dst, byte[] srcBytes, byte[] dstBytes, boolean direct) {
        /** "a > b: " when the addresses are still to be printed. */
        void appendAddresses(StringBuilder out) {
            if (direct) {
                out.append(src).append(" > ").append(dst).append(": ");
            }
        }
    }

    /**
     * Appends the TCP part of a line.
     *
     * @param captured the captured bytes of the segment (possibly fewer than {@code length})
     * @param length   the segment length the IP header gives
     * @param tracker  relative numbering state, or null for absolute numbers
     */
    static void append(StringBuilder out, Endpoints at, MemorySegment captured, int length,
                       TcpdumpFormatter.Mode mode, TcpdumpSeqTracker tracker) {
        long size = captured.byteSize();
        if (size < 4) {
            at.appendAddresses(out);
            out.append(TRUNCATED);
            return;
        }
        int srcPort = u16(captured, 0);
        int dstPort = u16(captured, 2);
        appendPorts(out, at, srcPort, dstPort);
        if (size < TcpPacket.MIN_HEADER_LENGTH) {
            out.append(' ').append(TRUNCATED);
            return;
        }
        int headerLength = (u8(captured, 12) >>> 4) * 4;
        if (headerLength < TcpPacket.MIN_HEADER_LENGTH) {
            out.append(" tcp ").append(length - headerLength).append(" [bad hdr length ").append(headerLength)
                    .append(" - too short, < 20]");
        } else if (mode == TcpdumpFormatter.Mode.QUIET) {
            out.append("tcp ").append(length - headerLength);
            appendTooLong(out, headerLength, length);
        } else {
            appendFull(out, at, captured, length, headerLength, tracker);
        }
    }

    private static void appendFull(StringBuilder out, Endpoints at, MemorySegment captured, int length,
                                   int headerLength, TcpdumpSeqTracker tracker) {
        int flags = u8(captured, 13);
        out.append("Flags [").append(flagLetters(flags)).append(']');
        int seq = i32(captured, 4);
        int ack = i32(captured, 8);
        TcpdumpSeqTracker.Numbers numbers = tracker != null && (flags & TcpPacket.ACK) != 0
                ? tracker.relativize(at.srcBytes(), at.dstBytes(), u16(captured, 0), u16(captured, 2), seq, ack,
                        (flags & TcpPacket.SYN) != 0)
                : TcpdumpSeqTracker.Numbers.absolute(seq, ack);
        if (appendTooLong(out, headerLength, length)) {
            return;
        }
        int dataLength = length - headerLength;
        if (dataLength > 0 || (flags & (TcpPacket.SYN | TcpPacket.FIN | TcpPacket.RST)) != 0) {
            out.append(", seq ").append(unsigned(numbers.seq()));
            if (dataLength > 0) {
                out.append(':').append(unsigned(numbers.seq() + dataLength));
            }
        }
        if ((flags & TcpPacket.ACK) != 0) {
            out.append(", ack ").append(unsigned(numbers.ack()));
        }
        out.append(", win ").append(u16(captured, 14));
        if ((flags & TcpPacket.URG) != 0) {
            out.append(", urg ").append(u16(captured, 18));
        }
        if (headerLength > TcpPacket.MIN_HEADER_LENGTH) {
            int areaLength = headerLength - TcpPacket.MIN_HEADER_LENGTH;
            long capturedOptions = Math.min(areaLength, captured.byteSize() - TcpPacket.MIN_HEADER_LENGTH);
            MemorySegment area = captured.asSlice(TcpPacket.MIN_HEADER_LENGTH, capturedOptions);
            if (!TcpdumpTcpOptions.append(out, padTo(area, areaLength), capturedOptions, numbers.sackBase())) {
                return;
            }
        }
        out.append(", length ").append(dataLength);
    }

    static void appendPorts(StringBuilder out, Endpoints at, int srcPort, int dstPort) {
        if (at.direct()) {
            out.append(at.src()).append('.').append(srcPort).append(" > ").append(at.dst()).append('.')
                    .append(dstPort).append(": ");
        } else {
            out.append(srcPort).append(" > ").append(dstPort).append(": ");
        }
    }

    private static boolean appendTooLong(StringBuilder out, int headerLength, int length) {
        if (headerLength <= length) {
            return false;
        }
        out.append(" [bad hdr length ").append(headerLength).append(" - too long, > ").append(length).append(']');
        return true;
    }

    /** The declared options area; bytes past the capture read as zero and are never printed. */
    private static MemorySegment padTo(MemorySegment captured, int length) {
        if (captured.byteSize() == length) {
            return captured;
        }
        MemorySegment padded = MemorySegment.ofArray(new byte[length]);
        MemorySegment.copy(captured, 0, padded, 0, captured.byteSize());
        return padded;
    }

    private static String flagLetters(int flags) {
        StringBuilder letters = new StringBuilder();
        for (int bit = 0; bit < FLAG_LETTERS.length(); bit++) {
            if ((flags & 1 << bit) != 0) {
                letters.append(FLAG_LETTERS.charAt(bit));
            }
        }
        return letters.isEmpty() ? "none" : letters.toString();
    }
}
