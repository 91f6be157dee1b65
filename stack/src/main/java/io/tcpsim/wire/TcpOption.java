package io.tcpsim.wire;

import static io.tcpsim.wire.NetworkOrder.requireRange;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * One TCP option (RFC 9293 §3.1 and §3.2). {@link #length()} is the number of bytes it takes in the
 * header, kind and length bytes included.
 */
public sealed interface TcpOption {
    int KIND_END_OF_LIST = 0;
    int KIND_NO_OPERATION = 1;
    int KIND_MAX_SEGMENT_SIZE = 2;
    int KIND_WINDOW_SCALE = 3;
    int KIND_SACK_PERMITTED = 4;
    int KIND_SACK = 5;
    int KIND_TIMESTAMPS = 8;

    /** Room for options in the header: data offset 15 words minus the fixed 20 bytes. */
    int MAX_OPTIONS_LENGTH = 40;

    TcpOption EOL = new EndOfList();
    TcpOption NOP = new NoOperation();
    TcpOption SACK_PERMITTED = new SackPermitted();

    int kind();

    int length();

    /** End of option list, kind 0 (RFC 9293 §3.2): what follows it is zero padding. */
    record EndOfList() implements TcpOption {
        public int kind() {
            return KIND_END_OF_LIST;
        }

        public int length() {
            return 1;
        }
    }

    /** No-operation, kind 1 (RFC 9293 §3.2): aligns the next option. */
    record NoOperation() implements TcpOption {
        public int kind() {
            return KIND_NO_OPERATION;
        }

        public int length() {
            return 1;
        }
    }

    /** Maximum segment size, kind 2, length 4 (RFC 9293 §3.2, §3.7.1). */
    record MaxSegmentSize(int mss) implements TcpOption {
        public MaxSegmentSize {
            requireRange("mss", mss, 0, 0xFFFF);
        }

        public int kind() {
            return KIND_MAX_SEGMENT_SIZE;
        }

        public int length() {
            return 4;
        }
    }

    /**
     * Window scale, kind 3, length 3 (RFC 7323 §2.2). The shift is kept as received (0..255);
     * clamping it to 14 (RFC 7323 §2.3) is the TCP layer's job, as in Linux.
     */
    record WindowScale(int shift) implements TcpOption {
        public WindowScale {
            requireRange("shift", shift, 0, 255);
        }

        public int kind() {
            return KIND_WINDOW_SCALE;
        }

        public int length() {
            return 3;
        }
    }

    /** SACK permitted, kind 4, length 2 (RFC 2018 §2). */
    record SackPermitted() implements TcpOption {
        public int kind() {
            return KIND_SACK_PERMITTED;
        }

        public int length() {
            return 2;
        }
    }

    /** One SACK block: the first sequence number of the block and the one after it (RFC 2018 §3). */
    record SackBlock(int left, int right) {
    }

    /** SACK, kind 5, length 2 + 8n with 1..4 blocks (RFC 2018 §3). */
    record Sack(List<SackBlock> blocks) implements TcpOption {
        public static final int MAX_BLOCKS = (MAX_OPTIONS_LENGTH - 2) / 8;

        public Sack {
            blocks = List.copyOf(blocks);
            requireRange("SACK block count", blocks.size(), 1, MAX_BLOCKS);
        }

        public int kind() {
            return KIND_SACK;
        }

        public int length() {
            return 2 + 8 * blocks.size();
        }
    }

    /** Timestamps, kind 8, length 10 (RFC 7323 §3.2); values are raw 32-bit. */
    record Timestamps(int tsVal, int tsEcr) implements TcpOption {
        public int kind() {
            return KIND_TIMESTAMPS;
        }

        public int length() {
            return 10;
        }
    }

    /**
     * Any other kind, kept with its data (RFC 9293 §3.2: a TCP must ignore, not reject, options
     * it does not implement). Known kinds are refused here so that each option has one form.
     */
    record Unknown(int kind, byte[] data) implements TcpOption {
        public Unknown {
            requireRange("option kind", kind, 0, 255);
            if (isKnownKind(kind)) {
                throw new IllegalArgumentException("kind " + kind + " has its own record");
            }
            requireRange("option data length", data.length, 0, MAX_OPTIONS_LENGTH - 2);
            data = data.clone();
        }

        @Override
        public byte[] data() {
            return data.clone();
        }

        public int length() {
            return 2 + data.length;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Unknown that && kind == that.kind && Arrays.equals(data, that.data);
        }

        @Override
        public int hashCode() {
            return 31 * kind + Arrays.hashCode(data);
        }

        @Override
        public String toString() {
            return "Unknown[kind=" + kind + ", data=" + HexFormat.of().formatHex(data) + "]";
        }

        static boolean isKnownKind(int kind) {
            return switch (kind) {
                case KIND_END_OF_LIST, KIND_NO_OPERATION, KIND_MAX_SEGMENT_SIZE, KIND_WINDOW_SCALE,
                     KIND_SACK_PERMITTED, KIND_SACK, KIND_TIMESTAMPS -> true;
                default -> false;
            };
        }
    }
}
