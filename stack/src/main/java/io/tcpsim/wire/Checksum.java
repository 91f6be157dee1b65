package io.tcpsim.wire;

import static io.tcpsim.wire.NetworkOrder.U16;
import static io.tcpsim.wire.NetworkOrder.U32;
import static io.tcpsim.wire.NetworkOrder.U64;

import java.lang.foreign.MemorySegment;

/**
 * The Internet checksum: the 16-bit one's complement of the one's complement sum (RFC 1071),
 * its pseudo-headers (RFC 9293 §3.1 for IPv4, RFC 8200 §8.1 for IPv6) and the incremental
 * update of RFC 1624.
 *
 * <p>A <em>sum</em> here is a partial one's complement sum folded to 16 bits (0..0xFFFF), not yet
 * complemented; {@link #finish(int)} turns it into the value written in a header. A received
 * block verifies when its sum, checksum field included, is 0xFFFF.
 */
public final class Checksum {
    private Checksum() {
    }

    /**
     * Adds the bytes {@code [offset, offset + length)} of {@code seg}, taken as big-endian 16-bit
     * words (an odd last byte is padded with a zero byte, RFC 1071 §4.1), to {@code initial}.
     *
     * <p>RFC 1071 §2(C) parallel summation: 64-bit words are split into two 32-bit halves and
     * added into a 64-bit accumulator, which cannot overflow below 2^30 words; the carries are
     * folded back at the end (§2(B) end-around carry: 2^16 ≡ 1 modulo 0xFFFF).
     *
     * @param initial a previous sum, e.g. a pseudo-header sum, or 0
     * @return the folded 16-bit sum
     */
    public static int ones16(MemorySegment seg, long offset, long length, int initial) {
        // An int index and an "i < words" bound: the form C2 turns into a counted loop without a
        // range check per access; "end - i >= 8" with a long index took ten times as long for
        // 1480 bytes (ChecksumBenchmark).
        int i = Math.toIntExact(offset);
        int end = Math.toIntExact(offset + length);
        int words = end - (int) (length & (Long.BYTES - 1));
        long acc = Integer.toUnsignedLong(initial);
        for (; i < words; i += Long.BYTES) {
            long word = seg.get(U64, i);
            acc += (word >>> 32) + (word & 0xFFFF_FFFFL);
        }
        if (end - i >= Integer.BYTES) {
            acc += Integer.toUnsignedLong(seg.get(U32, i));
            i += Integer.BYTES;
        }
        if (end - i >= Short.BYTES) {
            acc += Short.toUnsignedInt(seg.get(U16, i));
            i += Short.BYTES;
        }
        if (i < end) {
            acc += (long) NetworkOrder.u8(seg, i) << 8;
        }
        return fold(acc);
    }

    /** The sum of a whole segment, see {@link #ones16(MemorySegment, long, long, int)}. */
    public static int ones16(MemorySegment seg) {
        return ones16(seg, 0, seg.byteSize(), 0);
    }

    /** Folds the carries of {@code sum} and complements it: the value for a checksum field. */
    public static int finish(int sum) {
        return ~fold(Integer.toUnsignedLong(sum)) & 0xFFFF;
    }

    /** The one's complement sum of two sums (RFC 1071 §2(A): the sum is commutative). */
    public static int add(int sumA, int sumB) {
        return fold(Integer.toUnsignedLong(sumA) + Integer.toUnsignedLong(sumB));
    }

    /**
     * The IPv4 pseudo-header sum (RFC 9293 §3.1): source address, destination address, zero,
     * protocol, and the length of the transport header plus data.
     */
    public static int pseudoHeaderIpv4(int srcAddr, int dstAddr, int protocol, int length) {
        long acc = (srcAddr >>> 16) + (srcAddr & 0xFFFF)
                + (dstAddr >>> 16) + (dstAddr & 0xFFFF)
                + (protocol & 0xFF) + (length & 0xFFFF);
        return fold(acc);
    }

    /**
     * The IPv6 pseudo-header sum (RFC 8200 §8.1): 16-byte source and destination addresses, the
     * 32-bit upper-layer packet length and three zero bytes before the next-header value.
     */
    public static int pseudoHeaderIpv6(MemorySegment srcAddr, MemorySegment dstAddr, int nextHeader, long length) {
        int sum = ones16(srcAddr, 0, Ipv6Packet.ADDRESS_LENGTH, 0);
        sum = ones16(dstAddr, 0, Ipv6Packet.ADDRESS_LENGTH, sum);
        long acc = sum + (length >>> 16 & 0xFFFF) + (length & 0xFFFF) + (nextHeader & 0xFF);
        return fold(acc);
    }

    /**
     * Incremental update when one 16-bit word of the covered data changes from {@code oldWord}
     * to {@code newWord}, RFC 1624 §3 eqn. 3:
     * <pre>    HC' = ~(~HC + ~m + m')</pre>
     * where HC is the old checksum field, m the old and m' the new word. Unlike eqn. 2 it never
     * produces the -0 (0xFFFF) that a full recomputation would not (RFC 1624 §4).
     */
    public static int update(int oldChecksum, int oldWord16, int newWord16) {
        long acc = (~oldChecksum & 0xFFFF) + (~oldWord16 & 0xFFFF) + (newWord16 & 0xFFFF);
        return ~fold(acc) & 0xFFFF;
    }

    /** {@link #update(int, int, int)} for a 32-bit field such as an IPv4 address (two words). */
    public static int update32(int oldChecksum, int oldInt, int newInt) {
        long acc = (~oldChecksum & 0xFFFF)
                + (~oldInt >>> 16 & 0xFFFF) + (~oldInt & 0xFFFF)
                + (newInt >>> 16 & 0xFFFF) + (newInt & 0xFFFF);
        return ~fold(acc) & 0xFFFF;
    }

    /** RFC 1071 §2(B) end-around carry: add the carries back until 16 bits remain. */
    private static int fold(long acc) {
        long folded = acc;
        while ((folded >>> 16) != 0) {
            folded = (folded & 0xFFFF) + (folded >>> 16);
        }
        return (int) folded;
    }
}
