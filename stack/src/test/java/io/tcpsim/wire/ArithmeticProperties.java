package io.tcpsim.wire;

import static io.tcpsim.testsupport.Properties.qt;
import static io.tcpsim.wire.WireGenerators.bytes;
import static io.tcpsim.wire.WireGenerators.ints;
import static io.tcpsim.wire.WireGenerators.ipv4Reprs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.generators.SourceDSL.integers;

import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/** Sequence-number arithmetic and checksum algebra. */
class ArithmeticProperties {
    @Test
    void ltIsAntisymmetricAcrossTheWrap() {
        qt().forAll(ints(), ints()).checkAssert(ArithmeticProperties::assertLtAntisymmetric);
    }

    @Test
    void addingLessThanHalfTheSpaceMovesForward() {
        qt().forAll(ints(), integers().allPositive()).checkAssert(ArithmeticProperties::assertAddMovesForward);
    }

    @Test
    void addAndSubAreInverse() {
        qt().forAll(ints(), ints()).checkAssert(ArithmeticProperties::assertAddAndSubInverse);
    }

    @Test
    void inWindowHoldsExactlyForOffsetsBelowTheLength() {
        qt().forAll(ints(), nonNegative(), nonNegative()).checkAssert(ArithmeticProperties::assertInWindow);
    }

    /**
     * RFC 1624 eqn. 3 agrees with recomputing the header checksum after changing one word (the
     * version/IHL byte is kept, since the header length decides what the checksum covers).
     */
    @Test
    void incrementalUpdateEqualsFullRecomputation() {
        qt().forAll(ipv4Reprs(), integers().between(0, 9), integers().between(0, 0xFFFF))
                .checkAssert(ArithmeticProperties::assertIncrementalWordUpdate);
    }

    @Test
    void incrementalAddressUpdateEqualsFullRecomputation() {
        qt().forAll(ipv4Reprs(), ints()).checkAssert(ArithmeticProperties::assertIncrementalAddressUpdate);
    }

    /** The word-parallel sum equals a plain 16-bit-at-a-time sum (RFC 1071 §4.1). */
    @Test
    void fastSumEqualsPlainSum() {
        qt().forAll(bytes(300), integers().between(0, 300), integers().between(0, 300))
                .checkAssert(ArithmeticProperties::assertFastSumEqualsPlainSum);
    }

    private static Gen<Integer> nonNegative() {
        return integers().between(0, Integer.MAX_VALUE);
    }

    private static void assertLtAntisymmetric(int a, int b) {
        if (a != b && a - b != Integer.MIN_VALUE) {
            assertNotEquals(Seq.lt(a, b), Seq.lt(b, a));
            assertEquals(Seq.lt(a, b), Seq.gt(b, a));
        }
    }

    private static void assertAddMovesForward(int a, int n) {
        assertTrue(Seq.lt(a, Seq.add(a, n)));
        assertTrue(Seq.le(a, Seq.add(a, n)));
        assertTrue(Seq.ge(Seq.add(a, n), a));
    }

    private static void assertAddAndSubInverse(int a, int n) {
        assertEquals(a, Seq.sub(Seq.add(a, n), n));
        assertEquals(n, Seq.diff(Seq.add(a, n), a));
    }

    private static void assertInWindow(int start, int offset, int length) {
        assertEquals(offset < length, Seq.inWindow(Seq.add(start, offset), start, length));
    }

    private static void assertIncrementalWordUpdate(Ipv4Repr repr, int word, int newValue) {
        if (word == 5) {
            return;
        }
        int value = word == 0 ? 0x4500 | newValue & 0xFF : newValue;
        MemorySegment seg = MemorySegment.ofArray(new byte[20]);
        Ipv4Packet ip = Ipv4Packet.unchecked(seg);
        repr.emit(ip);
        int oldValue = NetworkOrder.u16(seg, word * 2L);
        int updated = Checksum.update(ip.headerChecksum(), oldValue, value);
        NetworkOrder.set16(seg, word * 2L, value);
        ip.fillChecksum();
        assertEquals(ip.headerChecksum(), updated);
    }

    private static void assertIncrementalAddressUpdate(Ipv4Repr repr, int newDst) {
        Ipv4Packet ip = Ipv4Packet.unchecked(MemorySegment.ofArray(new byte[20]));
        repr.emit(ip);
        int updated = Checksum.update32(ip.headerChecksum(), ip.dstAddr(), newDst);
        ip.setDstAddr(newDst);
        ip.fillChecksum();
        assertEquals(ip.headerChecksum(), updated);
    }

    private static void assertFastSumEqualsPlainSum(byte[] data, int from, int length) {
        int start = Math.min(from, data.length);
        int len = Math.min(length, data.length - start);
        assertEquals(plainSum(data, start, len), Checksum.ones16(MemorySegment.ofArray(data), start, len, 0));
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
