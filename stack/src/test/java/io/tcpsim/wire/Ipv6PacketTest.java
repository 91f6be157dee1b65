package io.tcpsim.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcpsim.wire.Ipv6ExtensionWalk.FragmentHeader;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class Ipv6PacketTest {
    private static final byte[] SYN = Vectors.bytes(Vectors.IPV6_SYN);
    private static final byte[] SRC = Ipv6Address.parse("2001:618:400::5199:cc70");
    private static final byte[] DST = Ipv6Address.parse("2001:618:1:8000::5");

    @Test
    void deconstructIpv6SynReadsEveryField() {
        Ipv6Packet ip = Ipv6Packet.checked(Vectors.offHeap(SYN));
        assertEquals(6, ip.version());
        assertEquals(0, ip.trafficClass());
        assertEquals(0, ip.flowLabel());
        assertEquals(40, ip.payloadLength());
        assertEquals(Ipv4Packet.PROTO_TCP, ip.nextHeader());
        assertEquals(64, ip.hopLimit());
        assertArrayEquals(SRC, Vectors.toBytes(ip.srcAddr()));
        assertArrayEquals(DST, Vectors.toBytes(ip.dstAddr()));
        assertEquals(40, ip.payload().byteSize());
        assertEquals(new Ipv6Repr(SRC, DST, 6, 64, 40, 0, 0), Ipv6Repr.parse(ip));
    }

    @Test
    void emitReprGivesTheCapturedHeader() {
        byte[] out = new byte[40];
        new Ipv6Repr(SRC, DST, 6, 64, 40, 0, 0).emit(Ipv6Packet.unchecked(MemorySegment.ofArray(out)));
        assertArrayEquals(Arrays.copyOf(SYN, 40), out);
    }

    @Test
    void trafficClassAndFlowLabelRoundTrip() {
        Ipv6Repr repr = new Ipv6Repr(SRC, DST, 17, 1, 0, 0xb8, 0xF_FFFF);
        byte[] out = new byte[40];
        repr.emit(Ipv6Packet.unchecked(MemorySegment.ofArray(out)));
        assertEquals(repr, Ipv6Repr.parse(Ipv6Packet.checked(MemorySegment.ofArray(out))));
    }

    @Test
    void everyPrefixIsTruncatedOrPayloadPastBuffer() {
        for (int length = 0; length < SYN.length; length++) {
            MemorySegment prefix = MemorySegment.ofArray(Arrays.copyOf(SYN, length));
            Malformed expected = length < 40 ? Malformed.TRUNCATED : Malformed.IPV6_PAYLOAD_LENGTH_PAST_BUFFER;
            assertEquals(expected, Ipv6Packet.check(prefix), "prefix " + length);
            assertEquals(expected, assertThrows(MalformedPacketException.class, () -> Ipv6Packet.checked(prefix)).reason());
        }
    }

    @Test
    void versionOtherThanSixIsRejected() {
        byte[] packet = SYN.clone();
        packet[0] = 0x40;
        assertEquals(Malformed.IPV6_BAD_VERSION, Ipv6Packet.check(MemorySegment.ofArray(packet)));
    }

    @Test
    void walkWithoutExtensionHeadersFindsTcpAtForty() {
        Ipv6ExtensionWalk walk = Ipv6ExtensionWalk.walk(Ipv6Packet.checked(MemorySegment.ofArray(SYN)));
        assertEquals(new Ipv6ExtensionWalk(6, 40, 0, Optional.empty()), walk);
        assertTrue(walk.upperHeaderPresent());
    }

    @Test
    void walkSkipsHopByHopRoutingAndDestinationOptions() {
        byte[] packet = packet(0,
                "2b00 0104 0000 0000",
                "3c02 0001 0000 0000 0000 0000 0000 0000 0000 0000 0000 0000",
                "0600 0104 0000 0000",
                "tcp");
        Ipv6ExtensionWalk walk = Ipv6ExtensionWalk.walk(Ipv6Packet.checked(MemorySegment.ofArray(packet)));
        assertEquals(new Ipv6ExtensionWalk(6, 40 + 8 + 24 + 8, 3, Optional.empty()), walk);
    }

    @Test
    void walkThroughFirstFragmentRecordsItAndReachesTcp() {
        byte[] packet = packet(44, "0600 0001 0000 0309", "tcp");
        Ipv6ExtensionWalk walk = Ipv6ExtensionWalk.walk(Ipv6Packet.checked(MemorySegment.ofArray(packet)));
        assertEquals(new Ipv6ExtensionWalk(6, 48, 1, Optional.of(new FragmentHeader(40, 0, true, 0x309))), walk);
        assertTrue(walk.upperHeaderPresent());
    }

    @Test
    void walkStopsAtLaterFragmentWithoutUpperHeader() {
        byte[] packet = packet(44, "0600 05a8 0000 0309", "6666 6666 6666 6666");
        Ipv6ExtensionWalk walk = Ipv6ExtensionWalk.walk(Ipv6Packet.checked(MemorySegment.ofArray(packet)));
        assertEquals(Optional.of(new FragmentHeader(40, 1448, false, 0x309)), walk.fragment());
        assertEquals(48, walk.upperOffset());
        assertFalse(walk.upperHeaderPresent());
    }

    @Test
    void authenticationHeaderLengthCountsFourByteUnits() {
        byte[] packet = packet(51, "0601 0000 0000 0001 0000 0002", "tcp");
        assertEquals(52, Ipv6ExtensionWalk.walk(Ipv6Packet.checked(MemorySegment.ofArray(packet))).upperOffset());
    }

    @Test
    void noNextHeaderAndEspEndTheWalk() {
        Ipv6ExtensionWalk none = Ipv6ExtensionWalk.walk(Ipv6Packet.checked(MemorySegment.ofArray(packet(59))));
        assertEquals(59, none.upperProtocol());
        assertFalse(none.upperHeaderPresent());
        Ipv6ExtensionWalk esp = Ipv6ExtensionWalk.walk(Ipv6Packet.checked(MemorySegment.ofArray(packet(50, "0000 0001"))));
        assertEquals(50, esp.upperProtocol());
        assertFalse(esp.upperHeaderPresent());
    }

    @Test
    void extensionHeaderShorterThanEightBytesIsTruncated() {
        assertWalkRejected(Malformed.IPV6_EXT_HEADER_TRUNCATED, packet(60, "0600 0000"));
    }

    @Test
    void extensionHeaderLengthPastPayloadIsRejected() {
        assertWalkRejected(Malformed.IPV6_EXT_HEADER_PAST_PAYLOAD, packet(60, "0606 0000 0000 0000", "tcp"));
    }

    @Test
    void hopByHopAfterAnotherHeaderIsRejected() {
        assertWalkRejected(Malformed.IPV6_HOP_BY_HOP_NOT_FIRST, packet(60, "0000 0000 0000 0000", "0600 0000 0000 0000"));
    }

    @Test
    void chainLongerThanTheBoundIsRejected() {
        String[] headers = new String[Ipv6ExtensionWalk.MAX_EXTENSION_HEADERS + 1];
        Arrays.fill(headers, "3c00 0000 0000 0000");
        assertWalkRejected(Malformed.IPV6_TOO_MANY_EXT_HEADERS, packet(60, headers));
    }

    private static void assertWalkRejected(Malformed reason, byte[] packet) {
        Ipv6Packet ip = Ipv6Packet.checked(MemorySegment.ofArray(packet));
        assertEquals(reason, assertThrows(MalformedPacketException.class, () -> Ipv6ExtensionWalk.walk(ip)).reason());
    }

    /** The SYN's addresses with {@code nextHeader} and the given payload parts ("tcp" = the SYN's segment). */
    private static byte[] packet(int nextHeader, String... parts) {
        StringBuilder hex = new StringBuilder();
        for (String part : parts) {
            hex.append(part.equals("tcp") ? Vectors.IPV6_SYN.replaceAll("\\s+", "").substring(80) : part);
        }
        byte[] payload = Vectors.bytes(hex.toString());
        byte[] packet = new byte[40 + payload.length];
        new Ipv6Repr(SRC, DST, nextHeader, 64, payload.length, 0, 0).emit(Ipv6Packet.unchecked(MemorySegment.ofArray(packet)));
        System.arraycopy(payload, 0, packet, 40, payload.length);
        return packet;
    }
}
