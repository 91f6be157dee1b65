package io.tcpsim.wire;

import static io.tcpsim.wire.NetworkOrder.i32;
import static io.tcpsim.wire.NetworkOrder.u16;
import static io.tcpsim.wire.NetworkOrder.u8;

import java.lang.foreign.MemorySegment;
import java.util.HexFormat;

/**
 * TCP options in tcpdump's words ("options [mss 1460,sackOK,TS val 1 ecr 0,nop,wscale 7]"),
 * read from raw bytes so that malformed options print as tcpdump prints them ("[bad opt]") and a
 * capture cut inside the header ends the line with "[|tcp]". Options tcpdump names but this class
 * does not decode (echo, cc, md5, uto, mptcp, tcp-ao) print as "unknown-KIND 0x...".
 */
final class TcpdumpTcpOptions {
    private static final int KIND_FAST_OPEN = 34;
    private static final int KIND_EXPERIMENT = 254;
    private static final int MAGIC_FAST_OPEN = 0xF989;
    private static final int TFO_MIN_COOKIE = 4;
    private static final int TFO_MAX_COOKIE = 16;
    private static final String TRUNCATED = " [|tcp]";
    private static final String BAD = "[bad opt]";

    private final StringBuilder out;
    private final MemorySegment area;
    private final long captured;
    private final int sackBase;

    /**
     * @param area     the options area as the header declares it (may extend past the capture)
     * @param captured how many bytes of {@code area} were captured
     * @param sackBase subtracted from SACK edges (relative numbering)
     */
    private TcpdumpTcpOptions(StringBuilder out, MemorySegment area, long captured, int sackBase) {
        this.out = out;
        this.area = area;
        this.captured = captured;
        this.sackBase = sackBase;
    }

    /**
     * Appends ", options [...]".
     *
     * @return false when the line must end here (bad or truncated option), as tcpdump does
     */
    static boolean append(StringBuilder out, MemorySegment area, long captured, int sackBase) {
        out.append(", options [");
        boolean complete = new TcpdumpTcpOptions(out, area, captured, sackBase).appendAll();
        if (complete) {
            out.append(']');
        }
        return complete;
    }

    private boolean appendAll() {
        long i = 0;
        while (i < area.byteSize()) {
            if (i > 0) {
                out.append(',');
            }
            if (i >= captured) {
                out.append(TRUNCATED);
                return false;
            }
            int kind = u8(area, i);
            if (kind == TcpOption.KIND_END_OF_LIST || kind == TcpOption.KIND_NO_OPERATION) {
                out.append(kind == TcpOption.KIND_END_OF_LIST ? "eol" : "nop");
                if (kind == TcpOption.KIND_END_OF_LIST) {
                    return true;
                }
                i++;
                continue;
            }
            long step = appendOne(kind, i);
            if (step <= 0) {
                return false;
            }
            i += step;
        }
        return true;
    }

    /**
     * @return the bytes tcpdump steps over (kind, length and the data it read, which differs from
     *     the length byte when that is wrong), or 0 after printing a reason to stop
     */
    private long appendOne(int kind, long at) {
        if (at + 1 >= captured) {
            out.append(TRUNCATED);
            return 0;
        }
        int length = u8(area, at + 1);
        long room = area.byteSize() - at - 2;
        if (length < 2 || length - 2 > room) {
            out.append(BAD);
            return 0;
        }
        int expected = fixedDataLength(kind, length);
        if (kind == KIND_EXPERIMENT && expected < 2) {
            out.append("exp").append(BAD);
            return 0;
        } else if (expected > room) {
            out.append(BAD);
            return 0;
        } else if (at + 2 + expected > captured) {
            out.append(TRUNCATED);
            return 0;
        }
        appendBody(kind, at + 2, length - 2);
        if (expected + 2 != length) {
            out.append("[len ").append(length).append(']');
        }
        return 2 + expected;
    }

    /** Bytes tcpdump reads after kind and length: fixed for MSS, wscale, TS, else length - 2. */
    private static int fixedDataLength(int kind, int length) {
        return switch (kind) {
            case TcpOption.KIND_MAX_SEGMENT_SIZE -> 2;
            case TcpOption.KIND_WINDOW_SCALE -> 1;
            case TcpOption.KIND_TIMESTAMPS -> 8;
            case TcpOption.KIND_SACK_PERMITTED -> 0;
            default -> length - 2;
        };
    }

    private void appendBody(int kind, long data, int dataLength) {
        switch (kind) {
            case TcpOption.KIND_MAX_SEGMENT_SIZE -> out.append("mss ").append(u16(area, data));
            case TcpOption.KIND_WINDOW_SCALE -> out.append("wscale ").append(u8(area, data));
            case TcpOption.KIND_SACK_PERMITTED -> out.append("sackOK");
            case TcpOption.KIND_TIMESTAMPS -> out.append("TS val ").append(unsigned(i32(area, data)))
                    .append(" ecr ").append(unsigned(i32(area, data + 4)));
            case TcpOption.KIND_SACK -> appendSack(data, dataLength);
            case KIND_FAST_OPEN -> appendFastOpen("tfo ", data, dataLength);
            case KIND_EXPERIMENT -> appendExperiment(data, dataLength);
            default -> {
                out.append("unknown-").append(kind);
                if (dataLength > 0) {
                    out.append(" 0x").append(hex(data, dataLength));
                }
            }
        }
    }

    private void appendSack(long data, int dataLength) {
        out.append("sack");
        if (dataLength % 8 != 0) {
            out.append(" invalid sack");
            return;
        }
        out.append(' ').append(dataLength / 8).append(' ');
        for (long i = data; i < data + dataLength; i += 8) {
            out.append('{').append(unsigned(i32(area, i) - sackBase)).append(':')
                    .append(unsigned(i32(area, i + 4) - sackBase)).append('}');
        }
    }

    /** RFC 7413 §4.1.1 cookie, or RFC 6994 experimental option with the TFO magic 0xF989. */
    private void appendExperiment(long data, int dataLength) {
        out.append("exp-");
        if (u16(area, data) == MAGIC_FAST_OPEN) {
            appendFastOpen("tfo", data + 2, dataLength - 2);
        } else {
            out.append(String.format("%04x", u16(area, data)));
        }
    }

    private void appendFastOpen(String name, long data, int dataLength) {
        out.append(name);
        if (dataLength == 0) {
            out.append(" cookiereq");
        } else if (dataLength % 2 != 0 || dataLength < TFO_MIN_COOKIE || dataLength > TFO_MAX_COOKIE) {
            out.append(" invalid");
        } else {
            out.append(" cookie ").append(hex(data, dataLength));
        }
    }

    private String hex(long data, int length) {
        return HexFormat.of().formatHex(area.asSlice(data, length).toArray(NetworkOrder.U8));
    }

    static String unsigned(int value) {
        return Integer.toUnsignedString(value);
    }
}
