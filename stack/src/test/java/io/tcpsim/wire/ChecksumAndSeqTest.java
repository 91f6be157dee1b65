package io.tcpsim.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

class ChecksumAndSeqTest {
    /** RFC 1071 §3 numerical example: the sum of 0001 f203 f4f5 f6f7 is ddf2. */
    @Test
    void rfc1071ExampleSumsToDdf2() {
        MemorySegment data = MemorySegment.ofArray(Vectors.bytes("0001 f203 f4f5 f6f7"));
        assertEquals(0xddf2, Checksum.ones16(data));
        assertEquals(0x220d, Checksum.finish(Checksum.ones16(data)));
    }

    @Test
    void oddLengthPadsTheLastByteWithZero() {
        MemorySegment odd = MemorySegment.ofArray(Vectors.bytes("0001 f203 f4"));
        MemorySegment padded = MemorySegment.ofArray(Vectors.bytes("0001 f203 f400"));
        assertEquals(Checksum.ones16(padded), Checksum.ones16(odd));
    }

    @Test
    void sumOverPartsEqualsSumOverTheWhole() {
        MemorySegment data = MemorySegment.ofArray(Vectors.bytes(Vectors.LINUX_SYN));
        int whole = Checksum.ones16(data);
        int parts = Checksum.ones16(data, 24, 36, Checksum.ones16(data, 0, 24, 0));
        assertEquals(whole, parts);
        assertEquals(whole, Checksum.add(Checksum.ones16(data, 0, 24, 0), Checksum.ones16(data, 24, 36, 0)));
    }

    /** RFC 1624 §4: eqn. 3 gives 0x0000 where eqn. 2 would give the -0 0xFFFF. */
    @Test
    void rfc1624ExampleUpdateGivesZeroNotMinusZero() {
        assertEquals(0x0000, Checksum.update(0xdd2f, 0x5555, 0x3285));
    }

    @Test
    void addressRewriteUpdateMatchesFullRecomputation() {
        byte[] packet = Vectors.bytes(Vectors.LINUX_SYN);
        Ipv4Packet ip = Ipv4Packet.checked(MemorySegment.ofArray(packet));
        int updated = Checksum.update32(ip.headerChecksum(), ip.srcAddr(), 0x0a000001);
        ip.setSrcAddr(0x0a000001);
        ip.fillChecksum();
        assertEquals(ip.headerChecksum(), updated);
    }

    @Test
    void pseudoHeaderIpv4AddsAddressesProtocolAndLength() {
        int expected = Checksum.ones16(MemorySegment.ofArray(Vectors.bytes("7f00 0001 7f00 0001 0006 0028")));
        assertEquals(expected, Checksum.pseudoHeaderIpv4(Vectors.LOCALHOST, Vectors.LOCALHOST, 6, 40));
    }

    @Test
    void seqComparesAcrossTheWrap() {
        int nearTop = 0xffff_fff0;
        int wrapped = 0x10;
        assertTrue(Seq.lt(nearTop, wrapped));
        assertTrue(Seq.gt(wrapped, nearTop));
        assertTrue(Seq.le(wrapped, wrapped));
        assertTrue(Seq.ge(wrapped, wrapped));
        assertEquals(wrapped, Seq.add(nearTop, 0x20));
        assertEquals(nearTop, Seq.sub(wrapped, 0x20));
        assertEquals(0x20, Seq.diff(wrapped, nearTop));
    }

    @Test
    void inWindowIsHalfOpenAndEmptyForZeroLength() {
        int start = 0xffff_fff0;
        assertTrue(Seq.inWindow(start, start, 0x20));
        assertTrue(Seq.inWindow(0x0f, start, 0x20));
        assertFalse(Seq.inWindow(0x10, start, 0x20));
        assertFalse(Seq.inWindow(start - 1, start, 0x20));
        assertFalse(Seq.inWindow(start, start, 0));
    }
}
