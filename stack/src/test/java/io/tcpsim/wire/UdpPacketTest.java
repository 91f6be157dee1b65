package io.tcpsim.wire;

import static io.tcpsim.wire.Vectors.DNS_QUERY;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** UdpPacket and UdpRepr against a captured datagram, and every length and checksum rule of RFC 768. */
class UdpPacketTest {
    private static final byte[] IP_DATAGRAM = Vectors.bytes(DNS_QUERY);
    /** The UDP datagram of the DNS vector: bytes 20..60. */
    private static final byte[] DATAGRAM = Arrays.copyOfRange(IP_DATAGRAM, 20, 60);
    private static final int SRC = Ipv4Address.parse("172.16.0.8");
    private static final int DST = Ipv4Address.parse("4.2.2.1");
    private static final int A = Ipv4Address.parse("10.0.0.1");
    private static final int B = Ipv4Address.parse("10.0.0.2");

    @Test
    void deconstructCapturedDnsQueryReadsEveryField() {
        UdpPacket udp = UdpPacket.checked(Vectors.offHeap(DATAGRAM));
        assertEquals(64417, udp.srcPort());
        assertEquals(53, udp.dstPort());
        assertEquals(40, udp.length());
        assertEquals(0x61cc, udp.checksum());
        assertEquals(32, udp.payload().byteSize());
        assertTrue(udp.verifyChecksum(SRC, DST));
        assertFalse(udp.verifyChecksum(SRC, DST + 1), "the pseudo-header is covered");
    }

    @Test
    void parseCapturedDatagramGivesItsRepr() {
        Ipv4Packet ip = Ipv4Packet.checked(Vectors.offHeap(IP_DATAGRAM));
        UdpRepr repr = UdpRepr.parse(UdpPacket.checked(ip.payload()), ip.srcAddr(), ip.dstAddr());
        assertEquals(new UdpRepr(64417, 53, MemorySegment.ofArray(Arrays.copyOfRange(DATAGRAM, 8, 40))), repr);
        assertEquals(40, repr.bufferLength());
        assertEquals(ip.payload().address() + 8, repr.payload().address(), "the payload is a zero-copy slice");
    }

    @Test
    void emitCapturedReprGivesTheCapturedBytes() {
        UdpRepr repr = new UdpRepr(64417, 53, MemorySegment.ofArray(Arrays.copyOfRange(DATAGRAM, 8, 40)));
        UdpPacket udp = repr.emit(Vectors.offHeap(new byte[100]), SRC, DST);
        assertArrayEquals(DATAGRAM, Vectors.toBytes(udp.segment()));
    }

    @Test
    void everyPrefixShorterThanItsLengthFieldIsRejected() {
        for (int length = 0; length < DATAGRAM.length; length++) {
            MemorySegment prefix = Vectors.offHeap(Arrays.copyOf(DATAGRAM, length));
            Malformed expected = length < 8 ? Malformed.TRUNCATED : Malformed.UDP_LENGTH_PAST_PACKET;
            assertEquals(expected, UdpPacket.check(prefix), "prefix " + length);
            assertEquals(expected, assertThrows(MalformedPacketException.class, () -> UdpPacket.checked(prefix)).reason());
        }
    }

    @Test
    void lengthFieldBelowTheHeaderIsRejected() {
        for (int field = 0; field < 8; field++) {
            byte[] datagram = DATAGRAM.clone();
            datagram[4] = 0;
            datagram[5] = (byte) field;
            assertEquals(Malformed.UDP_BAD_LENGTH, UdpPacket.check(MemorySegment.ofArray(datagram)), "length " + field);
        }
    }

    @Test
    void bytesPastTheLengthFieldAreIgnoredIncludingByTheChecksum() {
        byte[] padded = Arrays.copyOf(DATAGRAM, DATAGRAM.length + 6);
        Arrays.fill(padded, DATAGRAM.length, padded.length, (byte) 0x5a);
        UdpRepr repr = UdpRepr.parse(UdpPacket.checked(MemorySegment.ofArray(padded)), SRC, DST);
        assertEquals(32, repr.payload().byteSize());
    }

    @Test
    void badChecksumIsRejectedWithItsReason() {
        byte[] datagram = DATAGRAM.clone();
        datagram[20] ^= 0x01;
        MalformedPacketException e = assertThrows(MalformedPacketException.class,
                () -> UdpRepr.parse(UdpPacket.checked(MemorySegment.ofArray(datagram)), SRC, DST));
        assertEquals(Malformed.UDP_BAD_CHECKSUM, e.reason());
    }

    @Test
    void zeroChecksumMeansNoneAndAlwaysVerifies() {
        byte[] datagram = DATAGRAM.clone();
        datagram[6] = 0;
        datagram[7] = 0;
        datagram[20] ^= 0x01;
        assertTrue(UdpPacket.checked(MemorySegment.ofArray(datagram)).verifyChecksum(SRC, DST));
        UdpRepr repr = UdpRepr.parse(UdpPacket.checked(MemorySegment.ofArray(datagram)), SRC, DST);
        assertEquals(64417, repr.srcPort());
    }

    /** RFC 8200 §8.1: over IPv6 the pseudo-header has 16-byte addresses and the checksum is mandatory. */
    @Test
    void overIpv6TheChecksumCoversTheIpv6PseudoHeaderAndZeroIsRefused() {
        MemorySegment src = IpAddress.parse("fd00::1").segment();
        MemorySegment dst = IpAddress.parse("fd00::2").segment();
        UdpRepr repr = new UdpRepr(40000, 7, MemorySegment.ofArray("six".getBytes(StandardCharsets.US_ASCII)));
        byte[] bytes = new byte[repr.bufferLength()];
        UdpPacket udp = UdpPacket.unchecked(MemorySegment.ofArray(bytes));
        repr.emit(udp, src, dst);
        assertTrue(udp.verifyChecksum(src, dst));
        assertEquals(repr, UdpRepr.parse(UdpPacket.checked(MemorySegment.ofArray(bytes)), src, dst));
        assertFalse(udp.verifyChecksum(dst, IpAddress.parse("fd00::3").segment()), "another pseudo-header");
        bytes[6] = 0;
        bytes[7] = 0;
        MalformedPacketException e = assertThrows(MalformedPacketException.class,
                () -> UdpRepr.parse(UdpPacket.checked(MemorySegment.ofArray(bytes)), src, dst));
        assertEquals(Malformed.UDP_ZERO_CHECKSUM_IPV6, e.reason());
    }

    /** RFC 768: "If the computed checksum is zero, it is transmitted as all ones". */
    @Test
    void computedZeroChecksumIsSentAsAllOnesAndVerifies() {
        UdpRepr repr = new UdpRepr(1, 2, MemorySegment.ofArray(new byte[] {(byte) 0xeb, (byte) 0xd4}));
        UdpPacket udp = repr.emit(MemorySegment.ofArray(new byte[repr.bufferLength()]), A, B);
        assertEquals(0xFFFF, udp.checksum());
        assertTrue(udp.verifyChecksum(A, B));
        assertEquals(repr, UdpRepr.parse(udp, A, B));
    }

    @Test
    void zeroLengthDatagramRoundTrips() {
        UdpRepr empty = new UdpRepr(40000, 9, UdpRepr.NO_PAYLOAD);
        UdpPacket udp = empty.emit(MemorySegment.ofArray(new byte[8]), A, B);
        assertEquals(8, udp.length());
        assertEquals(empty, UdpRepr.parse(UdpPacket.checked(udp.segment()), A, B));
        assertEquals(0, UdpRepr.parse(udp, A, B).payloadBytes().length);
    }

    @Test
    void reprRejectsImpossibleFieldsAndEmitChecksTheBufferSize() {
        assertThrows(IllegalArgumentException.class, () -> new UdpRepr(-1, 2, UdpRepr.NO_PAYLOAD));
        assertThrows(IllegalArgumentException.class, () -> new UdpRepr(1, 65536, UdpRepr.NO_PAYLOAD));
        assertThrows(IllegalArgumentException.class, () -> new UdpRepr(1, 2, MemorySegment.ofArray(new byte[65528])));
        UdpRepr hello = new UdpRepr(1, 2, MemorySegment.ofArray("hello".getBytes(StandardCharsets.US_ASCII)));
        assertThrows(IllegalArgumentException.class,
                () -> hello.emit(UdpPacket.unchecked(MemorySegment.ofArray(new byte[12])), A, B));
    }
}
