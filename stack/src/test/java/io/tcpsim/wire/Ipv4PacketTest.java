package io.tcpsim.wire;

import static io.tcpsim.wire.Vectors.LINUX_SYN;
import static io.tcpsim.wire.Vectors.LOCALHOST;
import static io.tcpsim.wire.Vectors.WHOIS_SYN_ACK_PADDED;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class Ipv4PacketTest {
    private static final byte[] SYN = Vectors.bytes(LINUX_SYN);

    @Test
    void deconstructLinuxSynReadsEveryField() {
        Ipv4Packet ip = Ipv4Packet.checked(Vectors.offHeap(SYN));
        assertEquals(4, ip.version());
        assertEquals(5, ip.ihl());
        assertEquals(20, ip.headerLength());
        assertEquals(0, ip.dscp());
        assertEquals(0, ip.ecn());
        assertEquals(60, ip.totalLength());
        assertEquals(0x1b68, ip.identification());
        assertFalse(ip.reservedFlag());
        assertTrue(ip.dontFragment());
        assertFalse(ip.moreFragments());
        assertEquals(0, ip.fragmentOffset());
        assertFalse(ip.isFragment());
        assertEquals(64, ip.ttl());
        assertEquals(Ipv4Packet.PROTO_TCP, ip.protocol());
        assertEquals(0x2152, ip.headerChecksum());
        assertEquals(LOCALHOST, ip.srcAddr());
        assertEquals(LOCALHOST, ip.dstAddr());
        assertTrue(ip.verifyChecksum());
        assertEquals(0, ip.options().byteSize());
        assertArrayEquals(Arrays.copyOfRange(SYN, 20, 60), Vectors.toBytes(ip.payload()));
    }

    @Test
    void parseLinuxSynGivesItsRepr() {
        Ipv4Repr expected = new Ipv4Repr(LOCALHOST, LOCALHOST, Ipv4Packet.PROTO_TCP, 64, 40, 0x1b68, true, false, 0, 0, 0);
        assertEquals(expected, Ipv4Repr.parse(Ipv4Packet.checked(Vectors.offHeap(SYN))));
    }

    @Test
    void emitLinuxSynReprGivesTheCapturedHeaderBytes() {
        Ipv4Repr repr = new Ipv4Repr(LOCALHOST, LOCALHOST, Ipv4Packet.PROTO_TCP, 64, 40, 0x1b68, true, false, 0, 0, 0);
        MemorySegment buffer = Vectors.offHeap(new byte[repr.bufferLength()]);
        Ipv4Packet ip = repr.emit(buffer);
        assertEquals(60, ip.segment().byteSize());
        assertArrayEquals(Arrays.copyOf(SYN, 20), Vectors.toBytes(buffer.asSlice(0, 20)));
    }

    @Test
    void ethernetPaddingAfterTotalLengthIsNotPayload() {
        byte[] frame = Vectors.bytes(WHOIS_SYN_ACK_PADDED);
        Ipv4Packet ip = Ipv4Packet.checked(Vectors.offHeap(frame));
        assertEquals(46, frame.length);
        assertEquals(24, ip.payload().byteSize());
        assertFalse(ip.dontFragment());
        assertEquals(Ipv4Address.parse("192.0.47.59"), ip.srcAddr());
    }

    @Test
    void optionsAreSkippedByPayload() {
        byte[] packet = new byte[24];
        Ipv4Repr.of(1, 2, 253, 64, 4).emit(Ipv4Packet.unchecked(MemorySegment.ofArray(packet)));
        MemorySegment seg = MemorySegment.ofArray(withOptions(packet, new byte[] {1, 1, 1, 0}));
        Ipv4Packet ip = Ipv4Packet.checked(seg);
        assertEquals(24, ip.headerLength());
        assertArrayEquals(new byte[] {1, 1, 1, 0}, Vectors.toBytes(ip.options()));
        assertEquals(4, ip.payload().byteSize());
        assertTrue(ip.verifyChecksum());
        assertEquals(4, Ipv4Repr.parse(ip).payloadLength());
    }

    @Test
    void everyPrefixOfTheSynIsRejectedAsTruncatedOrLengthPastBuffer() {
        for (int length = 0; length < SYN.length; length++) {
            MemorySegment prefix = Vectors.offHeap(Arrays.copyOf(SYN, length));
            Malformed expected = length < 20 ? Malformed.TRUNCATED : Malformed.IPV4_TOTAL_LENGTH_PAST_BUFFER;
            assertEquals(expected, Ipv4Packet.check(prefix), "prefix " + length);
            MalformedPacketException e = assertThrows(MalformedPacketException.class, () -> Ipv4Packet.checked(prefix));
            assertEquals(expected, e.reason());
        }
    }

    @Test
    void versionOtherThanFourIsRejected() {
        assertRejected(Malformed.IPV4_BAD_VERSION, 0, 0x65);
    }

    @Test
    void ihlBelowFiveIsRejected() {
        assertRejected(Malformed.IPV4_BAD_IHL, 0, 0x44);
    }

    @Test
    void totalLengthBelowTwentyIsRejected() {
        assertRejected(Malformed.IPV4_TOTAL_LENGTH_TOO_SHORT, 3, 19);
    }

    @Test
    void ihlPastTotalLengthIsRejected() {
        byte[] packet = SYN.clone();
        packet[0] = 0x4f;
        packet[3] = 40;
        assertEquals(Malformed.IPV4_IHL_PAST_TOTAL_LENGTH, Ipv4Packet.check(MemorySegment.ofArray(packet)));
    }

    @Test
    void totalLengthPastBufferIsRejected() {
        assertRejected(Malformed.IPV4_TOTAL_LENGTH_PAST_BUFFER, 3, 61);
    }

    /** Every header byte but version/IHL and total length, which would break the structure first. */
    @Test
    void changedHeaderByteFailsTheChecksum() {
        for (int i = 1; i < 20; i++) {
            if (i == 2 || i == 3) {
                continue;
            }
            byte[] packet = SYN.clone();
            packet[i] ^= 0x10;
            Ipv4Packet ip = Ipv4Packet.unchecked(MemorySegment.ofArray(packet));
            MalformedPacketException e = assertThrows(MalformedPacketException.class, () -> Ipv4Repr.parse(ip));
            assertEquals(Malformed.IPV4_BAD_CHECKSUM, e.reason(), "byte " + i);
        }
    }

    @Test
    void changedPayloadLeavesTheHeaderChecksumValid() {
        byte[] packet = SYN.clone();
        packet[40] ^= 0x7f;
        assertTrue(Ipv4Packet.checked(MemorySegment.ofArray(packet)).verifyChecksum());
    }

    @Test
    void ttlRewriteWithFillChecksumVerifies() {
        Ipv4Packet ip = Ipv4Packet.checked(Vectors.offHeap(SYN));
        ip.setTtl(63);
        assertFalse(ip.verifyChecksum());
        ip.fillChecksum();
        assertTrue(ip.verifyChecksum());
        assertEquals(63, Ipv4Repr.parse(ip).ttl());
    }

    @Test
    void fragmentFieldsReadOffsetInBytes() {
        Ipv4Repr repr = new Ipv4Repr(1, 2, Ipv4Packet.PROTO_UDP, 9, 8, 77, false, true, 1480, 46, 2);
        Ipv4Packet ip = repr.emit(MemorySegment.ofArray(new byte[repr.bufferLength()]));
        assertTrue(ip.moreFragments());
        assertEquals(1480, ip.fragmentOffset());
        assertTrue(ip.isFragment());
        assertEquals(46, ip.dscp());
        assertEquals(2, ip.ecn());
        assertEquals(repr, Ipv4Repr.parse(ip));
    }

    @Test
    void reprRejectsFieldsOutOfRange() {
        assertThrows(IllegalArgumentException.class, () -> new Ipv4Repr(1, 2, 256, 64, 0, 0, true, false, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new Ipv4Repr(1, 2, 6, 64, 65516, 0, true, false, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new Ipv4Repr(1, 2, 6, 64, 0, 0, true, false, 12, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new Ipv4Repr(1, 2, 6, 64, 0, 0, true, false, 0, 64, 0));
    }

    @Test
    void validPacketChecksToNull() {
        assertNull(Ipv4Packet.check(MemorySegment.ofArray(SYN)));
    }

    private static void assertRejected(Malformed reason, int index, int value) {
        byte[] packet = SYN.clone();
        packet[index] = (byte) value;
        MalformedPacketException e = assertThrows(MalformedPacketException.class,
                () -> Ipv4Packet.checked(MemorySegment.ofArray(packet)));
        assertEquals(reason, e.reason());
    }

    /** The 20-byte header of {@code packet} with {@code options} inserted, lengths and checksum fixed. */
    private static byte[] withOptions(byte[] packet, byte[] options) {
        byte[] out = new byte[packet.length + options.length];
        System.arraycopy(packet, 0, out, 0, 20);
        System.arraycopy(options, 0, out, 20, options.length);
        System.arraycopy(packet, 20, out, 20 + options.length, packet.length - 20);
        Ipv4Packet ip = Ipv4Packet.unchecked(MemorySegment.ofArray(out));
        ip.setVersionAndHeaderLength(20 + options.length);
        ip.setTotalLength(out.length);
        ip.fillChecksum();
        return out;
    }
}
