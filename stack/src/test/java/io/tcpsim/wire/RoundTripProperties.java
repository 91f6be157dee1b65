package io.tcpsim.wire;

import static io.tcpsim.testsupport.Properties.qt;
import static io.tcpsim.wire.WireGenerators.icmpv4Reprs;
import static io.tcpsim.wire.WireGenerators.ints;
import static io.tcpsim.wire.WireGenerators.ipv4Reprs;
import static io.tcpsim.wire.WireGenerators.tcpOptionLists;
import static io.tcpsim.wire.WireGenerators.tcpReprs;
import static io.tcpsim.wire.WireGenerators.udpReprs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.generators.SourceDSL.integers;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import org.junit.jupiter.api.Test;

/** parse(emit(x)) == x for every record, over off-heap buffers. */
class RoundTripProperties {
    @Test
    void ipv4ReprSurvivesEmitAndParse() {
        qt().forAll(ipv4Reprs()).checkAssert(RoundTripProperties::assertIpv4RoundTrip);
    }

    @Test
    void tcpReprSurvivesEmitAndParse() {
        qt().forAll(tcpReprs(), ints(), ints()).checkAssert(RoundTripProperties::assertTcpRoundTrip);
    }

    @Test
    void udpReprSurvivesEmitAndParse() {
        qt().forAll(udpReprs(), ints(), ints()).checkAssert(RoundTripProperties::assertUdpRoundTrip);
    }

    /** The UDP checksum, never sent as 0 (RFC 768), catches every single-bit error too. */
    @Test
    void anySingleBitFlipFailsTheUdpChecksum() {
        qt().forAll(udpReprs(), integers().between(0, Integer.MAX_VALUE))
                .checkAssert(RoundTripProperties::assertUdpBitFlipDetected);
    }

    @Test
    void tcpOptionListSurvivesEmitAndParse() {
        qt().forAll(tcpOptionLists()).checkAssert(RoundTripProperties::assertOptionListRoundTrip);
    }

    @Test
    void linuxAlignedOptionsFillWholeWords() {
        qt().forAll(tcpOptionLists()).checkAssert(
                options -> assertEquals(0, TcpOptions.encodedLength(TcpOptions.alignLinuxStyle(options)) % 4));
    }

    @Test
    void icmpv4ReprSurvivesEmitAndParse() {
        qt().forAll(icmpv4Reprs()).checkAssert(RoundTripProperties::assertIcmpv4RoundTrip);
    }

    /** The Internet checksum catches every single-bit error (RFC 1071 §2). */
    @Test
    void anySingleBitFlipFailsTheTcpChecksum() {
        qt().forAll(tcpReprs(), integers().between(0, Integer.MAX_VALUE))
                .checkAssert(RoundTripProperties::assertBitFlipDetected);
    }

    private static void assertIpv4RoundTrip(Ipv4Repr repr) {
        try (Arena arena = Arena.ofConfined()) {
            Ipv4Packet ip = repr.emit(arena.allocate(repr.bufferLength()));
            assertTrue(ip.verifyChecksum());
            assertEquals(repr, Ipv4Repr.parse(Ipv4Packet.checked(ip.segment())));
        }
    }

    private static void assertTcpRoundTrip(TcpRepr repr, int src, int dst) {
        try (Arena arena = Arena.ofConfined()) {
            TcpPacket tcp = repr.emit(arena.allocate(repr.bufferLength()), src, dst);
            assertEquals(repr, TcpRepr.parse(TcpPacket.checked(tcp.segment()), src, dst));
        }
    }

    private static void assertUdpRoundTrip(UdpRepr repr, int src, int dst) {
        try (Arena arena = Arena.ofConfined()) {
            UdpPacket udp = repr.emit(arena.allocate(repr.bufferLength()), src, dst);
            assertTrue(udp.checksum() != 0, "a computed checksum is never sent as 0");
            assertEquals(repr, UdpRepr.parse(UdpPacket.checked(udp.segment()), src, dst));
        }
    }

    /**
     * Bits of the length field are left alone (a shorter length can make a valid shorter datagram;
     * a longer one is caught by {@link UdpPacket#check}); a flip that zeroes the checksum field
     * turns the checksum off, which RFC 768 allows, so that case is not a detection failure.
     */
    private static void assertUdpBitFlipDetected(UdpRepr repr, int position) {
        byte[] datagram = new byte[repr.bufferLength()];
        repr.emit(UdpPacket.unchecked(MemorySegment.ofArray(datagram)), 1, 2);
        int lengthBits = 16;
        int bit = position % (datagram.length * 8 - lengthBits);
        bit = bit < 32 ? bit : bit + lengthBits;
        datagram[bit / 8] ^= (byte) (1 << bit % 8);
        UdpPacket flipped = UdpPacket.checked(MemorySegment.ofArray(datagram));
        assertTrue(!flipped.verifyChecksum(1, 2) || flipped.checksum() == 0, "bit " + bit);
    }

    private static void assertOptionListRoundTrip(List<TcpOption> options) {
        byte[] area = new byte[TcpOptions.encodedLength(options)];
        TcpOptions.emit(options, MemorySegment.ofArray(area));
        assertEquals(options, TcpOptions.parse(MemorySegment.ofArray(area)));
    }

    private static void assertIcmpv4RoundTrip(Icmpv4Repr repr) {
        try (Arena arena = Arena.ofConfined()) {
            Icmpv4Packet icmp = Icmpv4Packet.unchecked(arena.allocate(repr.bufferLength()));
            repr.emit(icmp);
            assertEquals(repr, Icmpv4Repr.parse(Icmpv4Packet.checked(icmp.segment())));
        }
    }

    private static void assertBitFlipDetected(TcpRepr repr, int position) {
        byte[] segment = new byte[repr.bufferLength()];
        repr.emit(TcpPacket.unchecked(MemorySegment.ofArray(segment)), 1, 2);
        int bit = position % (segment.length * 8);
        segment[bit / 8] ^= (byte) (1 << bit % 8);
        assertFalse(TcpPacket.unchecked(MemorySegment.ofArray(segment)).verifyChecksum(1, 2));
    }
}
