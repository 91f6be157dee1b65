package io.tcpsim.wire;

import static io.tcpsim.wire.NetworkOrder.i32;
import static io.tcpsim.wire.NetworkOrder.set16;
import static io.tcpsim.wire.NetworkOrder.set32;
import static io.tcpsim.wire.NetworkOrder.set8;
import static io.tcpsim.wire.NetworkOrder.u16;
import static io.tcpsim.wire.NetworkOrder.u8;

import io.tcpsim.wire.TcpOption.EndOfList;
import io.tcpsim.wire.TcpOption.MaxSegmentSize;
import io.tcpsim.wire.TcpOption.NoOperation;
import io.tcpsim.wire.TcpOption.Sack;
import io.tcpsim.wire.TcpOption.SackBlock;
import io.tcpsim.wire.TcpOption.SackPermitted;
import io.tcpsim.wire.TcpOption.Timestamps;
import io.tcpsim.wire.TcpOption.Unknown;
import io.tcpsim.wire.TcpOption.WindowScale;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Reads and writes the TCP options area (RFC 9293 §3.1 "Options", §3.2). Every option but
 * End-of-List and No-Operation is kind, length (counting kind and length bytes), data. Parsing
 * stops at End-of-List, whose trailing bytes are padding.
 */
public final class TcpOptions {
    private static final int SACK_BLOCK_LENGTH = 8;
    private static final int TIMESTAMPS_LENGTH = 10;
    /** The largest options area: a data offset of 15 words less the fixed header. */
    private static final int MAX_AREA = TcpPacket.MAX_HEADER_LENGTH - TcpPacket.MIN_HEADER_LENGTH;

    private TcpOptions() {
    }

    /**
     * Structural validation of an options area: every length byte present, at least 2 and inside
     * the area (RFC 9293 §3.2; RFC 9293 §3.1 forbids options past the data offset), and the fixed
     * lengths of MSS (4), window scale (3), SACK-permitted (2), timestamps (10) and SACK (2 + 8n,
     * n >= 1; RFC 2018 §3). An area longer than the 40 bytes a data offset of 15 leaves is
     * past any header (found by WireFuzzTest: an unknown option of 39 data bytes).
     *
     * @return null when valid, else the first rule broken
     */
    public static Malformed check(MemorySegment options) {
        return check(options, 0, options.byteSize());
    }

    /**
     * {@link #check(MemorySegment)} of the {@code size} bytes at {@code from} in {@code options}:
     * a TCP header's options where they lie, in the whole segment, with no slice made for them.
     */
    public static Malformed check(MemorySegment options, long from, long size) {
        if (size > MAX_AREA) {
            return Malformed.TCP_OPTION_PAST_HEADER;
        }
        long i = from;
        long end = from + size;
        while (i < end) {
            int kind = u8(options, i);
            if (kind == TcpOption.KIND_END_OF_LIST) {
                return null;
            } else if (kind == TcpOption.KIND_NO_OPERATION) {
                i++;
                continue;
            } else if (i + 1 >= end) {
                return Malformed.TCP_OPTION_PAST_HEADER;
            }
            int length = u8(options, i + 1);
            Malformed problem = checkLength(kind, length);
            if (problem != null) {
                return problem;
            } else if (i + length > end) {
                return Malformed.TCP_OPTION_PAST_HEADER;
            }
            i += length;
        }
        return null;
    }

    /**
     * Decodes an options area; unknown kinds are kept as {@link Unknown}, an End-of-List is the
     * last element.
     *
     * @throws MalformedPacketException when {@link #check(MemorySegment)} fails
     */
    public static List<TcpOption> parse(MemorySegment options) {
        Malformed problem = check(options);
        if (problem != null) {
            throw new MalformedPacketException(problem);
        }
        List<TcpOption> result = new ArrayList<>();
        long i = 0;
        long size = options.byteSize();
        while (i < size) {
            TcpOption option = decodeOne(options, i);
            result.add(option);
            if (option instanceof EndOfList) {
                break;
            }
            i += option.length();
        }
        return List.copyOf(result);
    }

    /**
     * The options as Linux's tcp_parse_options() reads them, so that a segment with a malformed
     * options area is still processed: reading stops at End-of-List, at a length below 2 ("silly
     * options") and at an option running past the area ("don't parse partial options"); an option
     * of a known kind with the wrong length is skipped. {@link #check} says whether anything was
     * left out.
     */
    public static List<TcpOption> parseAsLinux(MemorySegment options) {
        return parseAsLinux(options, 0, options.byteSize());
    }

    /**
     * {@link #parseAsLinux(MemorySegment)} of the {@code size} bytes at {@code from} in
     * {@code segment}: a TCP header's options where they lie. Linux's layout on every segment after
     * the handshake, NOP, NOP, timestamps, is read without a slice or the lists of the general case.
     */
    public static List<TcpOption> parseAsLinux(MemorySegment segment, long from, long size) {
        if (isLinuxTimestampsAlone(segment, from, size)) {
            return List.of(TcpOption.NOP, TcpOption.NOP, decodeOne(segment, from + 2));
        }
        return parseSliceAsLinux(segment.asSlice(from, size));
    }

    private static List<TcpOption> parseSliceAsLinux(MemorySegment options) {
        List<TcpOption> result = new ArrayList<>(4);
        long size = Math.min(options.byteSize(), MAX_AREA);
        long i = 0;
        while (i < size) {
            int kind = u8(options, i);
            if (kind == TcpOption.KIND_END_OF_LIST || kind == TcpOption.KIND_NO_OPERATION) {
                result.add(decodeOne(options, i));
                if (kind == TcpOption.KIND_END_OF_LIST) {
                    break;
                }
                i++;
                continue;
            }
            int length = i + 1 < size ? u8(options, i + 1) : 0;
            if (length < 2 || i + length > size) {
                break;
            } else if (checkLength(kind, length) == null) {
                result.add(decodeOne(options, i));
            }
            i += length;
        }
        return padWithEol(result); // what was left out may leave the rest off a 4-byte boundary
    }

    /**
     * Where the first option of {@code kind} lies among the {@code size} bytes at {@code from},
     * read as {@link #parseAsLinux(MemorySegment)} reads them (an option of that kind with the
     * wrong length is skipped); -1 when there is none. No list or slice is made: the receive
     * path asks for timestamps and SACK on every segment.
     */
    public static long findAsLinux(MemorySegment segment, long from, long size, int kind) {
        if (isLinuxTimestampsAlone(segment, from, size)) {
            return kind == TcpOption.KIND_TIMESTAMPS ? from + 2 : -1;
        }
        long end = from + Math.min(size, MAX_AREA);
        long i = from;
        while (i < end) {
            int at = u8(segment, i);
            if (at == TcpOption.KIND_END_OF_LIST) {
                return -1;
            } else if (at == TcpOption.KIND_NO_OPERATION) {
                i++;
                continue;
            }
            int length = i + 1 < end ? u8(segment, i + 1) : 0;
            if (length < 2 || i + length > end) {
                return -1;
            } else if (at == kind && checkLength(at, length) == null) {
                return i;
            }
            i += length;
        }
        return -1;
    }

    /** NOP, NOP, timestamps: the 12 bytes Linux's tcp_options_write() puts on a segment with only timestamps. */
    private static boolean isLinuxTimestampsAlone(MemorySegment seg, long from, long size) {
        return size == 2 + TIMESTAMPS_LENGTH
                && u8(seg, from) == TcpOption.KIND_NO_OPERATION && u8(seg, from + 1) == TcpOption.KIND_NO_OPERATION
                && u8(seg, from + 2) == TcpOption.KIND_TIMESTAMPS && u8(seg, from + 3) == TIMESTAMPS_LENGTH;
    }

    /** Bytes the options take when emitted, padding not included. */
    public static int encodedLength(List<TcpOption> options) {
        int length = 0;
        // Indexed, not for-each: asked several times per segment, and an iterator is an allocation.
        for (int i = 0; i < options.size(); i++) {
            length += options.get(i).length();
        }
        return length;
    }

    /**
     * Writes the options in list order from offset 0 of {@code out}; nothing is added or aligned.
     *
     * @return the number of bytes written, {@link #encodedLength(List)}
     */
    public static int emit(List<TcpOption> options, MemorySegment out) {
        return emit(options, out, 0);
    }

    /** {@link #emit(List, MemorySegment)} from offset {@code at} of {@code out}: no slice per segment sent. */
    public static int emit(List<TcpOption> options, MemorySegment out, int at) {
        int offset = at;
        for (int i = 0; i < options.size(); i++) {
            TcpOption option = options.get(i);
            emitOne(option, out, offset);
            offset += option.length();
        }
        return offset - at;
    }

    /**
     * The options aligned the way Linux's tcp_options_write() lays them out: each option is
     * preceded by No-Operations up to a 4-byte boundary, except that SACK-permitted directly
     * followed by timestamps share one 12-byte group ("sackOK,TS"). Existing No-Operations are
     * dropped and the list ends at an End-of-List; the result is a multiple of 4 bytes long.
     */
    public static List<TcpOption> alignLinuxStyle(List<TcpOption> options) {
        List<TcpOption> result = new ArrayList<>();
        for (int i = 0; i < options.size(); i++) {
            TcpOption option = options.get(i);
            if (option instanceof EndOfList) {
                break;
            } else if (option instanceof SackPermitted && i + 1 < options.size()
                    && options.get(i + 1) instanceof Timestamps timestamps) {
                result.add(option);
                result.add(timestamps);
                i++;
            } else if (!(option instanceof NoOperation)) {
                for (int pad = (4 - option.length() % 4) % 4; pad > 0; pad--) {
                    result.add(TcpOption.NOP);
                }
                result.add(option);
            }
        }
        return List.copyOf(result);
    }

    /**
     * The options laid out as FreeBSD's tcp_addoptions() writes them: in its fixed order MSS,
     * window scale, SACK-permitted, timestamps, SACK blocks, each preceded by the No-Operations
     * that put it at its alignment (MSS at a multiple of 4, window scale at 4n+1, SACK-permitted
     * at an even offset, timestamps and SACK at 4n+2), then one End-of-List and zero (End-of-List)
     * padding to a multiple of 4: {@code mss,nop,wscale,sackOK,TS}, {@code mss,sackOK,eol,eol}.
     * No-Operations and End-of-List in the input are dropped; other options keep their order after these.
     */
    public static List<TcpOption> alignBsdStyle(List<TcpOption> options) {
        List<TcpOption> ordered = new ArrayList<>(options.stream()
                .filter(o -> !(o instanceof NoOperation) && !(o instanceof EndOfList)).toList());
        ordered.sort(Comparator.comparingInt(TcpOptions::bsdRank));
        List<TcpOption> result = new ArrayList<>();
        int length = 0;
        for (TcpOption option : ordered) {
            int[] align = bsdAlignment(option);
            while (length % align[0] != align[1]) {
                result.add(TcpOption.NOP);
                length++;
            }
            result.add(option);
            length += option.length();
        }
        if (length % 4 != 0) {
            result.add(TcpOption.EOL);
            length++;
        }
        for (; length % 4 != 0; length++) {
            result.add(TcpOption.EOL);
        }
        return List.copyOf(result);
    }

    /** tcp_addoptions()'s loop order over the TOF_ flags. */
    private static int bsdRank(TcpOption option) {
        return switch (option) {
            case MaxSegmentSize _ -> 0;
            case WindowScale _ -> 1;
            case SackPermitted _ -> 2;
            case Timestamps _ -> 3;
            case Sack _ -> 4;
            default -> 5;
        };
    }

    /** {modulus, remainder} of the offset each option starts at in tcp_addoptions(). */
    private static int[] bsdAlignment(TcpOption option) {
        return switch (option) {
            case MaxSegmentSize _ -> new int[] {4, 0};
            case WindowScale _ -> new int[] {4, 1};
            case SackPermitted _ -> new int[] {2, 0};
            case Timestamps _, Sack _ -> new int[] {4, 2};
            default -> new int[] {1, 0};
        };
    }

    /**
     * The options followed by an End-of-List when their length is not a multiple of 4, so that
     * the zero bytes filling the header up to the data offset are padding after it (RFC 9293
     * §3.1: "the header padding ... is composed of zeros").
     */
    public static List<TcpOption> padWithEol(List<TcpOption> options) {
        boolean endsWithEol = !options.isEmpty() && options.getLast() instanceof EndOfList;
        if (encodedLength(options) % 4 == 0 || endsWithEol) {
            return List.copyOf(options);
        }
        List<TcpOption> result = new ArrayList<>(options);
        result.add(TcpOption.EOL);
        return List.copyOf(result);
    }

    private static Malformed checkLength(int kind, int length) {
        if (length < 2) {
            return Malformed.TCP_OPTION_LENGTH_INVALID;
        }
        return switch (kind) {
            case TcpOption.KIND_MAX_SEGMENT_SIZE -> length == 4 ? null : Malformed.TCP_OPTION_BAD_MSS_LENGTH;
            case TcpOption.KIND_WINDOW_SCALE -> length == 3 ? null : Malformed.TCP_OPTION_BAD_WINDOW_SCALE_LENGTH;
            case TcpOption.KIND_SACK_PERMITTED ->
                    length == 2 ? null : Malformed.TCP_OPTION_BAD_SACK_PERMITTED_LENGTH;
            case TcpOption.KIND_TIMESTAMPS -> length == TIMESTAMPS_LENGTH ? null : Malformed.TCP_OPTION_BAD_TIMESTAMPS_LENGTH;
            case TcpOption.KIND_SACK -> length > 2 && (length - 2) % SACK_BLOCK_LENGTH == 0
                    ? null : Malformed.TCP_OPTION_BAD_SACK_LENGTH;
            default -> null;
        };
    }

    private static TcpOption decodeOne(MemorySegment seg, long at) {
        int kind = u8(seg, at);
        return switch (kind) {
            case TcpOption.KIND_END_OF_LIST -> TcpOption.EOL;
            case TcpOption.KIND_NO_OPERATION -> TcpOption.NOP;
            case TcpOption.KIND_MAX_SEGMENT_SIZE -> new MaxSegmentSize(u16(seg, at + 2));
            case TcpOption.KIND_WINDOW_SCALE -> new WindowScale(u8(seg, at + 2));
            case TcpOption.KIND_SACK_PERMITTED -> TcpOption.SACK_PERMITTED;
            case TcpOption.KIND_TIMESTAMPS -> new Timestamps(i32(seg, at + 2), i32(seg, at + 6));
            case TcpOption.KIND_SACK -> new Sack(decodeSackBlocks(seg, at + 2, u8(seg, at + 1) - 2));
            default -> new Unknown(kind, seg.asSlice(at + 2, u8(seg, at + 1) - 2).toArray(NetworkOrder.U8));
        };
    }

    private static List<SackBlock> decodeSackBlocks(MemorySegment seg, long at, int length) {
        List<SackBlock> blocks = new ArrayList<>(length / SACK_BLOCK_LENGTH);
        for (int i = 0; i < length; i += SACK_BLOCK_LENGTH) {
            blocks.add(new SackBlock(i32(seg, at + i), i32(seg, at + i + 4)));
        }
        return blocks;
    }

    private static void emitOne(TcpOption option, MemorySegment out, int at) {
        set8(out, at, option.kind());
        switch (option) {
            case EndOfList _, NoOperation _ -> { }
            case SackPermitted sackOk -> set8(out, at + 1, sackOk.length());
            case MaxSegmentSize(int mss) -> {
                set8(out, at + 1, option.length());
                set16(out, at + 2, mss);
            }
            case WindowScale(int shift) -> {
                set8(out, at + 1, option.length());
                set8(out, at + 2, shift);
            }
            case Timestamps(int tsVal, int tsEcr) -> {
                set8(out, at + 1, option.length());
                set32(out, at + 2, tsVal);
                set32(out, at + 6, tsEcr);
            }
            case Sack sack -> emitSack(sack, out, at);
            case Unknown unknown -> {
                set8(out, at + 1, unknown.length());
                MemorySegment.copy(MemorySegment.ofArray(unknown.data()), 0, out, at + 2, unknown.length() - 2);
            }
        }
    }

    private static void emitSack(Sack sack, MemorySegment out, int at) {
        set8(out, at + 1, sack.length());
        int offset = at + 2;
        for (SackBlock block : sack.blocks()) {
            set32(out, offset, block.left());
            set32(out, offset + 4, block.right());
            offset += SACK_BLOCK_LENGTH;
        }
    }
}
