package io.tcpsim.wire;

import static io.tcpsim.wire.Vectors.LINUX_SYN;
import static io.tcpsim.wire.Vectors.LOCALHOST;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcpsim.wire.TcpOption.MaxSegmentSize;
import io.tcpsim.wire.TcpOption.Timestamps;
import io.tcpsim.wire.TcpOption.WindowScale;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TcpPacketTest {
    /** The TCP segment of the Linux SYN vector: bytes 20..60. */
    private static final byte[] SYN = Arrays.copyOfRange(Vectors.bytes(LINUX_SYN), 20, 60);
    private static final List<TcpOption> SYN_OPTIONS = List.of(new MaxSegmentSize(16396), TcpOption.SACK_PERMITTED,
            new Timestamps(1306300950, 0), TcpOption.NOP, new WindowScale(2));
    private static final TcpRepr SYN_REPR = new TcpRepr(55920, 80, 928549246, 0, TcpPacket.SYN, 32767, 0,
            SYN_OPTIONS, TcpRepr.NO_PAYLOAD);

    @Test
    void deconstructLinuxSynReadsEveryField() {
        TcpPacket tcp = TcpPacket.checked(Vectors.offHeap(SYN));
        assertEquals(55920, tcp.srcPort());
        assertEquals(80, tcp.dstPort());
        assertEquals(928549246, tcp.seqNumber());
        assertEquals(0, tcp.ackNumber());
        assertEquals(10, tcp.dataOffset());
        assertEquals(40, tcp.headerLength());
        assertEquals(TcpPacket.SYN, tcp.flags());
        assertTrue(tcp.syn());
        assertFalse(tcp.ack() || tcp.fin() || tcp.rst() || tcp.psh() || tcp.urg() || tcp.ece() || tcp.cwr());
        assertEquals(32767, tcp.window());
        assertEquals(0x1421, tcp.checksum());
        assertEquals(0, tcp.urgentPointer());
        assertEquals(20, tcp.options().byteSize());
        assertEquals(0, tcp.payload().byteSize());
        assertTrue(tcp.verifyChecksum(LOCALHOST, LOCALHOST));
        assertEquals(SYN_OPTIONS, TcpOptions.parse(tcp.options()));
    }

    @Test
    void parseLinuxSynGivesItsRepr() {
        TcpRepr repr = TcpRepr.parse(TcpPacket.checked(Vectors.offHeap(SYN)), LOCALHOST, LOCALHOST);
        assertEquals(SYN_REPR, repr);
        assertEquals(OptionalInt.of(16396), repr.mss());
        assertEquals(OptionalInt.of(2), repr.windowScale());
        assertEquals(Optional.of(new Timestamps(1306300950, 0)), repr.timestamps());
        assertTrue(repr.sackPermitted());
        assertEquals(1, repr.segLen());
    }

    @Test
    void emitLinuxSynReprGivesTheCapturedBytes() {
        MemorySegment buffer = Vectors.offHeap(new byte[100]);
        TcpPacket tcp = SYN_REPR.emit(buffer, LOCALHOST, LOCALHOST);
        assertEquals(40, SYN_REPR.bufferLength());
        assertArrayEquals(SYN, Vectors.toBytes(tcp.segment()));
    }

    /**
     * A partial checksum (Linux CHECKSUM_PARTIAL) holds the pseudo-header sum alone; completed as
     * the kernel does (the one's complement sum from the TCP header on, complemented, into the
     * field) it gives the segment's full checksum.
     */
    @Test
    void partialChecksumCompletedOverTheSegmentGivesTheFullChecksum() {
        TcpRepr data = new TcpRepr(80, 55920, 7, 9, TcpPacket.ACK | TcpPacket.PSH, 512, 0, List.of(),
                MemorySegment.ofArray("payload over a link that completes checksums".getBytes()));
        TcpPacket full = data.emit(Vectors.offHeap(new byte[100]), LOCALHOST, LOCALHOST);
        TcpPacket partial = TcpPacket.unchecked(Vectors.offHeap(new byte[data.bufferLength()]));
        data.emitPartial(partial, LOCALHOST, LOCALHOST);
        assertEquals(Checksum.pseudoHeaderIpv4(LOCALHOST, LOCALHOST, Ipv4Packet.PROTO_TCP, data.bufferLength()),
                partial.checksum());
        partial.setChecksum(Checksum.finish(Checksum.ones16(partial.segment())));
        assertEquals(full.checksum(), partial.checksum());
        assertTrue(partial.verifyChecksum(LOCALHOST, LOCALHOST));
    }

    @Test
    void whoisSynAckWithOnlyMssParses() {
        Ipv4Packet ip = Ipv4Packet.checked(Vectors.segment(Vectors.WHOIS_SYN_ACK_PADDED));
        TcpRepr repr = TcpRepr.parse(TcpPacket.checked(ip.payload()), ip.srcAddr(), ip.dstAddr());
        assertEquals(new TcpRepr(43, 44188, 9920001, (int) 2239453443L, TcpPacket.SYN | TcpPacket.ACK, 65535, 0,
                List.of(new MaxSegmentSize(1460)), TcpRepr.NO_PAYLOAD), repr);
    }

    @Test
    void payloadIsAZeroCopySliceAndComparedByContent() {
        TcpRepr data = new TcpRepr(1, 2, 3, 4, TcpPacket.ACK | TcpPacket.PSH, 5, 0, List.of(),
                MemorySegment.ofArray("hello".getBytes()));
        TcpPacket tcp = data.emit(Vectors.offHeap(new byte[data.bufferLength()]), 10, 20);
        TcpRepr parsed = TcpRepr.parse(TcpPacket.checked(tcp.segment()), 10, 20);
        assertEquals(data, parsed);
        assertEquals(data.hashCode(), parsed.hashCode());
        assertEquals(tcp.segment().address() + 20, parsed.payload().address());
        assertArrayEquals("hello".getBytes(), parsed.payloadBytes());
    }

    @Test
    void everyPrefixOfTheSynIsRejectedAsTruncatedOrOffsetPastPacket() {
        for (int length = 0; length < SYN.length; length++) {
            MemorySegment prefix = Vectors.offHeap(Arrays.copyOf(SYN, length));
            Malformed expected = length < 20 ? Malformed.TRUNCATED : Malformed.TCP_DATA_OFFSET_PAST_PACKET;
            assertEquals(expected, TcpPacket.check(prefix), "prefix " + length);
            assertEquals(expected, assertThrows(MalformedPacketException.class, () -> TcpPacket.checked(prefix)).reason());
        }
    }

    @Test
    void dataOffsetBelowFiveIsRejected() {
        byte[] segment = SYN.clone();
        segment[12] = 0x40;
        assertEquals(Malformed.TCP_BAD_DATA_OFFSET, TcpPacket.check(MemorySegment.ofArray(segment)));
    }

    @Test
    void dataOffsetPastPacketIsRejected() {
        byte[] segment = SYN.clone();
        segment[12] = (byte) 0xb0;
        assertEquals(Malformed.TCP_DATA_OFFSET_PAST_PACKET, TcpPacket.check(MemorySegment.ofArray(segment)));
    }

    /** Options replace the SYN's 20 option bytes (offsets 20..39); the rest are NOPs. */
    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({
        "TCP_OPTION_LENGTH_INVALID, 02 00",
        "TCP_OPTION_LENGTH_INVALID, 01 01 08 01",
        "TCP_OPTION_PAST_HEADER, 01 01 01 01 01 01 01 01 01 01 01 01 01 01 01 01 01 01 01 fe",
        "TCP_OPTION_PAST_HEADER, 01 01 01 01 01 01 01 01 01 01 01 01 01 01 01 01 fe 05 00 00",
        "TCP_OPTION_BAD_MSS_LENGTH, 02 03 05",
        "TCP_OPTION_BAD_MSS_LENGTH, 02 05 05 b4 00",
        "TCP_OPTION_BAD_WINDOW_SCALE_LENGTH, 03 02",
        "TCP_OPTION_BAD_SACK_PERMITTED_LENGTH, 04 03 00",
        "TCP_OPTION_BAD_TIMESTAMPS_LENGTH, 08 09 00 00 00 00 00 00 00",
        "TCP_OPTION_BAD_SACK_LENGTH, 05 02",
        "TCP_OPTION_BAD_SACK_LENGTH, 05 09 00 00 00 00 00 00 00",
    })
    void impossibleOptionIsRejected(Malformed reason, String options) {
        byte[] segment = SYN.clone();
        Arrays.fill(segment, 20, 40, (byte) 1);
        byte[] bytes = Vectors.bytes(options);
        System.arraycopy(bytes, 0, segment, 20, bytes.length);
        assertEquals(reason, TcpPacket.check(MemorySegment.ofArray(segment)));
        assertEquals(reason, assertThrows(MalformedPacketException.class,
                () -> TcpPacket.checked(MemorySegment.ofArray(segment))).reason());
    }

    @Test
    void bytesAfterEndOfListAreNotChecked() {
        byte[] segment = SYN.clone();
        segment[20] = 0;
        segment[21] = 0x02;
        segment[22] = 0x00;
        assertEquals(List.of(TcpOption.EOL), TcpOptions.parse(TcpPacket.checked(MemorySegment.ofArray(segment)).options()));
    }

    @Test
    void changedByteAnywhereFailsTheChecksum() {
        for (int i = 0; i < SYN.length; i++) {
            byte[] segment = SYN.clone();
            segment[i] ^= 0x01;
            TcpPacket tcp = TcpPacket.unchecked(MemorySegment.ofArray(segment));
            if (TcpPacket.check(tcp.segment()) == null) {
                assertEquals(Malformed.TCP_BAD_CHECKSUM, assertThrows(MalformedPacketException.class,
                        () -> TcpRepr.parse(tcp, LOCALHOST, LOCALHOST)).reason(), "byte " + i);
            }
        }
    }

    @Test
    void wrongPseudoHeaderAddressFailsTheChecksum() {
        TcpPacket tcp = TcpPacket.checked(MemorySegment.ofArray(SYN));
        assertFalse(tcp.verifyChecksum(LOCALHOST, LOCALHOST + 1));
        assertFalse(tcp.verifyChecksum(LOCALHOST + 1, LOCALHOST));
    }

    @Test
    void ipv6SynChecksumVerifiesOverTheIpv6PseudoHeader() {
        Ipv6Packet ip = Ipv6Packet.checked(Vectors.segment(Vectors.IPV6_SYN));
        TcpPacket tcp = TcpPacket.checked(ip.payload());
        assertTrue(tcp.verifyChecksum(ip.srcAddr(), ip.dstAddr()));
        assertFalse(tcp.verifyChecksum(ip.dstAddr(), ip.dstAddr()));
        TcpRepr repr = TcpRepr.parse(tcp, ip.srcAddr(), ip.dstAddr());
        assertEquals(35997, repr.srcPort());
        assertEquals(OptionalInt.of(1420), repr.mss());
        MemorySegment copy = Vectors.offHeap(new byte[repr.bufferLength()]);
        repr.emit(TcpPacket.unchecked(copy), ip.srcAddr(), ip.dstAddr());
        assertArrayEquals(Vectors.toBytes(tcp.segment()), Vectors.toBytes(copy));
    }

    @Test
    void settersWriteEveryFieldAndFillChecksumVerifies() {
        TcpPacket tcp = TcpPacket.unchecked(MemorySegment.ofArray(new byte[20]));
        tcp.setSrcPort(65535);
        tcp.setDstPort(1);
        tcp.setSeqNumber(-1);
        tcp.setAckNumber(0x8000_0000);
        tcp.setHeaderLength(20);
        tcp.setFlags(0xff);
        tcp.setWindow(40000);
        tcp.setUrgentPointer(7);
        tcp.fillChecksum(1, 2);
        TcpPacket read = TcpPacket.checked(tcp.segment());
        assertEquals(65535, read.srcPort());
        assertEquals(-1, read.seqNumber());
        assertEquals(0x8000_0000, read.ackNumber());
        assertTrue(read.fin() && read.syn() && read.rst() && read.psh() && read.ack() && read.urg() && read.ece()
                && read.cwr());
        assertEquals(40000, read.window());
        assertEquals(7, read.urgentPointer());
        assertTrue(read.verifyChecksum(1, 2));
    }

    @Test
    void emitIntoWrongSizedSegmentIsRefused() {
        TcpPacket tooBig = TcpPacket.unchecked(MemorySegment.ofArray(new byte[41]));
        assertThrows(IllegalArgumentException.class, () -> SYN_REPR.emit(tooBig, 1, 2));
    }
}
