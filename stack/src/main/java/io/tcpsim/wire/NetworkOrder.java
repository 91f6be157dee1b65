package io.tcpsim.wire;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/** Big-endian (network order, RFC 791 Appendix B) unaligned access with unsigned widening. */
final class NetworkOrder {
    static final ValueLayout.OfByte U8 = ValueLayout.JAVA_BYTE;
    static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private NetworkOrder() {
    }

    static int u8(MemorySegment seg, long offset) {
        return Byte.toUnsignedInt(seg.get(U8, offset));
    }

    static int u16(MemorySegment seg, long offset) {
        return Short.toUnsignedInt(seg.get(U16, offset));
    }

    /** A 32-bit field as a raw {@code int} (sequence numbers and addresses stay raw). */
    static int i32(MemorySegment seg, long offset) {
        return seg.get(U32, offset);
    }

    static void set8(MemorySegment seg, long offset, int value) {
        seg.set(U8, offset, (byte) value);
    }

    static void set16(MemorySegment seg, long offset, int value) {
        seg.set(U16, offset, (short) value);
    }

    static void set32(MemorySegment seg, long offset, int value) {
        seg.set(U32, offset, value);
    }

    /** Returns {@code value} when it lies in [min, max]. */
    static int requireRange(String name, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(name + " " + value + " outside " + min + ".." + max);
        }
        return value;
    }
}
