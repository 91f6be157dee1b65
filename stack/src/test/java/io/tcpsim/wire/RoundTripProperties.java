package io.tcpsim.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** parse(emit(x)) == x for every record, over off-heap buffers. */
class RoundTripProperties {
    @Property
    void ipv4ReprSurvivesEmitAndParse(@ForAll("ipv4") Ipv4Repr repr) {
        try (Arena arena = Arena.ofConfined()) {
            Ipv4Packet ip = repr.emit(arena.allocate(repr.bufferLength()));
            assertTrue(ip.verifyChecksum());
            assertEquals(repr, Ipv4Repr.parse(Ipv4Packet.checked(ip.segment())));
        }
    }

    @Property
    void tcpReprSurvivesEmitAndParse(@ForAll("tcp") TcpRepr repr, @ForAll int src, @ForAll int dst) {
        try (Arena arena = Arena.ofConfined()) {
            TcpPacket tcp = repr.emit(arena.allocate(repr.bufferLength()), src, dst);
            assertEquals(repr, TcpRepr.parse(TcpPacket.checked(tcp.segment()), src, dst));
        }
    }

    @Property
    void tcpOptionListSurvivesEmitAndParse(@ForAll("optionLists") List<TcpOption> options) {
        byte[] area = new byte[TcpOptions.encodedLength(options)];
        TcpOptions.emit(options, MemorySegment.ofArray(area));
        assertEquals(options, TcpOptions.parse(MemorySegment.ofArray(area)));
    }

    @Property
    void linuxAlignedOptionsFillWholeWords(@ForAll("optionLists") List<TcpOption> options) {
        assertEquals(0, TcpOptions.encodedLength(TcpOptions.alignLinuxStyle(options)) % 4);
    }

    @Property
    void icmpv4ReprSurvivesEmitAndParse(@ForAll("icmp") Icmpv4Repr repr) {
        try (Arena arena = Arena.ofConfined()) {
            Icmpv4Packet icmp = Icmpv4Packet.unchecked(arena.allocate(repr.bufferLength()));
            repr.emit(icmp);
            assertEquals(repr, Icmpv4Repr.parse(Icmpv4Packet.checked(icmp.segment())));
        }
    }

    /** The Internet checksum catches every single-bit error (RFC 1071 §2). */
    @Property
    void anySingleBitFlipFailsTheTcpChecksum(@ForAll("tcp") TcpRepr repr, @ForAll @IntRange(min = 0) int position) {
        byte[] segment = new byte[repr.bufferLength()];
        repr.emit(TcpPacket.unchecked(MemorySegment.ofArray(segment)), 1, 2);
        int bit = position % (segment.length * 8);
        segment[bit / 8] ^= (byte) (1 << bit % 8);
        assertFalse(TcpPacket.unchecked(MemorySegment.ofArray(segment)).verifyChecksum(1, 2));
    }

    @Provide
    Arbitrary<Ipv4Repr> ipv4() {
        return WireArbitraries.ipv4Reprs();
    }

    @Provide
    Arbitrary<TcpRepr> tcp() {
        return WireArbitraries.tcpReprs();
    }

    @Provide
    Arbitrary<List<TcpOption>> optionLists() {
        return WireArbitraries.tcpOptionLists();
    }

    @Provide
    Arbitrary<Icmpv4Repr> icmp() {
        return WireArbitraries.icmpv4Reprs();
    }
}
