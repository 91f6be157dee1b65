package io.tcpsim.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Sequence-number arithmetic and checksum algebra. */
class ArithmeticProperties {
    @Property
    void ltIsAntisymmetricAcrossTheWrap(@ForAll int a, @ForAll int b) {
        if (a != b && a - b != Integer.MIN_VALUE) {
            assertNotEquals(Seq.lt(a, b), Seq.lt(b, a));
            assertEquals(Seq.lt(a, b), Seq.gt(b, a));
        }
    }

    @Property
    void addingLessThanHalfTheSpaceMovesForward(@ForAll int a, @ForAll @IntRange(min = 1) int n) {
        assertTrue(Seq.lt(a, Seq.add(a, n)));
        assertTrue(Seq.le(a, Seq.add(a, n)));
        assertTrue(Seq.ge(Seq.add(a, n), a));
    }

    @Property
    void addAndSubAreInverse(@ForAll int a, @ForAll int n) {
        assertEquals(a, Seq.sub(Seq.add(a, n), n));
        assertEquals(n, Seq.diff(Seq.add(a, n), a));
    }

    @Property
    void inWindowHoldsExactlyForOffsetsBelowTheLength(@ForAll int start, @ForAll @IntRange(min = 0) int offset,
                                                      @ForAll @IntRange(min = 0) int length) {
        assertEquals(offset < length, Seq.inWindow(Seq.add(start, offset), start, length));
    }

    /**
     * RFC 1624 eqn. 3 agrees with recomputing the header checksum after changing one word (the
     * version/IHL byte is kept, since the header length decides what the checksum covers).
     */
    @Property
    void incrementalUpdateEqualsFullRecomputation(@ForAll("ipv4") Ipv4Repr repr,
                                                  @ForAll @IntRange(min = 0, max = 9) int word,
                                                  @ForAll @IntRange(min = 0, max = 0xFFFF) int newValue) {
        if (word == 5) {
            return;
        }
        int value = word == 0 ? 0x4500 | newValue & 0xFF : newValue;
        byte[] header = new byte[20];
        MemorySegment seg = MemorySegment.ofArray(header);
        Ipv4Packet ip = Ipv4Packet.unchecked(seg);
        repr.emit(ip);
        int oldValue = NetworkOrder.u16(seg, word * 2L);
        int updated = Checksum.update(ip.headerChecksum(), oldValue, value);
        NetworkOrder.set16(seg, word * 2L, value);
        ip.fillChecksum();
        assertEquals(ip.headerChecksum(), updated);
    }

    @Property
    void incrementalAddressUpdateEqualsFullRecomputation(@ForAll("ipv4") Ipv4Repr repr, @ForAll int newDst) {
        byte[] header = new byte[20];
        Ipv4Packet ip = Ipv4Packet.unchecked(MemorySegment.ofArray(header));
        repr.emit(ip);
        int updated = Checksum.update32(ip.headerChecksum(), ip.dstAddr(), newDst);
        ip.setDstAddr(newDst);
        ip.fillChecksum();
        assertEquals(ip.headerChecksum(), updated);
    }

    /** The word-parallel sum equals a plain 16-bit-at-a-time sum (RFC 1071 §4.1). */
    @Property
    void fastSumEqualsPlainSum(@ForAll @Size(max = 300) byte[] data, @ForAll @IntRange(min = 0, max = 300) int from,
                               @ForAll @IntRange(min = 0, max = 300) int length) {
        int start = Math.min(from, data.length);
        int len = Math.min(length, data.length - start);
        assertEquals(plainSum(data, start, len), Checksum.ones16(MemorySegment.ofArray(data), start, len, 0));
    }

    @Provide
    Arbitrary<Ipv4Repr> ipv4() {
        return WireArbitraries.ipv4Reprs();
    }

    private static int plainSum(byte[] data, int start, int length) {
        long sum = 0;
        for (int i = 0; i < length; i += 2) {
            int high = data[start + i] & 0xFF;
            int low = i + 1 < length ? data[start + i + 1] & 0xFF : 0;
            sum += high << 8 | low;
        }
        while (sum >>> 16 != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (int) sum;
    }
}
