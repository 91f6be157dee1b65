package io.tcpsim.wire;

import static io.tcpsim.testsupport.Properties.qt;
import static io.tcpsim.wire.WireGenerators.bytes;
import static io.tcpsim.wire.WireGenerators.ints;
import static io.tcpsim.wire.WireGenerators.u8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.pcap4j.packet.IcmpV6CommonPacket;
import org.pcap4j.packet.IcmpV6EchoRequestPacket;
import org.pcap4j.packet.IcmpV6PacketTooBigPacket;
import org.pcap4j.packet.IcmpV6ParameterProblemPacket;
import org.pcap4j.packet.IllegalRawDataException;
import org.pcap4j.packet.IpV6Packet;
import org.pcap4j.packet.namednumber.IcmpV6Type;

/**
 * ICMPv6 (RFC 4443) against byte vectors and pcap4j's independent model: the checksum over the
 * IPv6 pseudo-header, echo, packet too big and parameter problem fields, truncation and round trips.
 */
class Icmpv6PacketTest {
    /**
     * ping -6 fd00::2 from fd00::1: echo request id 0x1234 seq 1, data "ping", hop limit 64; the
     * ICMPv6 checksum 0x94ae computed over the pseudo-header by an independent script.
     */
    private static final String ECHO_REQUEST = """
            6000 0000 000c 3a40 fd00 0000 0000 0000
            0000 0000 0000 0001 fd00 0000 0000 0000
            0000 0000 0000 0002 8000 94ae 1234 0001
            7069 6e67""";
    private static final byte[] SRC = Ipv6Address.parse("fd00::1");
    private static final byte[] DST = Ipv6Address.parse("fd00::2");

    @Test
    void echoRequestVectorReadsEveryFieldAndVerifies() {
        MemorySegment packet = Vectors.segment(ECHO_REQUEST);
        Ipv6Packet ip = Ipv6Packet.checked(packet);
        assertEquals(Icmpv6Packet.NEXT_HEADER, ip.nextHeader());
        Icmpv6Packet icmp = Icmpv6Packet.checked(ip.payload());
        assertEquals(Icmpv6Packet.TYPE_ECHO_REQUEST, icmp.type());
        assertEquals(0x94ae, icmp.checksum());
        assertTrue(icmp.verifyChecksum(ip.srcAddr(), ip.dstAddr()));
        Icmpv6Repr repr = Icmpv6Repr.parse(icmp, ip.srcAddr(), ip.dstAddr());
        assertEquals(Icmpv6Repr.echoRequest(0x1234, 1, "ping".getBytes()), repr);
        assertEquals(0x1234, repr.identifier());
        assertEquals(1, repr.sequence());
    }

    @Test
    void emitGivesTheVectorsBytes() {
        byte[] message = new byte[12];
        Icmpv6Repr.echoRequest(0x1234, 1, "ping".getBytes()).emit(Icmpv6Packet.unchecked(MemorySegment.ofArray(message)),
                MemorySegment.ofArray(SRC), MemorySegment.ofArray(DST));
        assertArrayEquals(Arrays.copyOfRange(Vectors.bytes(ECHO_REQUEST), 40, 52), message);
    }

    @Test
    void pcap4jAcceptsTheVectorsChecksum() throws Exception {
        byte[] bytes = Vectors.bytes(ECHO_REQUEST);
        IpV6Packet ip = IpV6Packet.newPacket(bytes, 0, bytes.length);
        IcmpV6CommonPacket icmp = assertInstanceOf(IcmpV6CommonPacket.class, ip.getPayload());
        assertTrue(icmp.hasValidChecksum(inet(SRC), inet(DST), false));
        IcmpV6EchoRequestPacket echo = assertInstanceOf(IcmpV6EchoRequestPacket.class, icmp.getPayload());
        assertEquals((short) 0x1234, echo.getHeader().getIdentifier());
        assertEquals((short) 1, echo.getHeader().getSequenceNumber());
    }

    /** The checksum covers the addresses: the same message to another destination fails. */
    @Test
    void checksumCoversThePseudoHeader() {
        MemorySegment packet = Vectors.segment(ECHO_REQUEST);
        Ipv6Packet ip = Ipv6Packet.checked(packet);
        Icmpv6Packet icmp = Icmpv6Packet.checked(ip.payload());
        MemorySegment other = MemorySegment.ofArray(Ipv6Address.parse("fd00::3"));
        assertFalse(icmp.verifyChecksum(ip.srcAddr(), other));
        assertEquals(Malformed.ICMPV6_BAD_CHECKSUM, assertThrows(MalformedPacketException.class,
                () -> Icmpv6Repr.parse(icmp, ip.srcAddr(), other)).reason());
    }

    @Test
    void everyPrefixShorterThanEightBytesIsTruncated() {
        byte[] message = Arrays.copyOfRange(Vectors.bytes(ECHO_REQUEST), 40, 52);
        for (int length = 0; length < 8; length++) {
            MemorySegment prefix = MemorySegment.ofArray(Arrays.copyOf(message, length));
            assertEquals(Malformed.ICMPV6_TRUNCATED, Icmpv6Packet.check(prefix), "prefix " + length);
            assertEquals(Malformed.ICMPV6_TRUNCATED,
                    assertThrows(MalformedPacketException.class, () -> Icmpv6Packet.checked(prefix)).reason());
        }
        assertEquals(null, Icmpv6Packet.check(MemorySegment.ofArray(Arrays.copyOf(message, 8))));
    }

    @Test
    void packetTooBigCarriesTheMtuAndParsesInPcap4j() throws Exception {
        byte[] invoking = Arrays.copyOf(Vectors.bytes(Vectors.IPV6_SYN), 60);
        IcmpV6CommonPacket icmp = pcap4jParse(Icmpv6Repr.packetTooBig(1280, invoking));
        assertEquals(IcmpV6Type.PACKET_TOO_BIG, icmp.getHeader().getType());
        IcmpV6PacketTooBigPacket body = assertInstanceOf(IcmpV6PacketTooBigPacket.class, icmp.getPayload());
        assertEquals(1280, body.getHeader().getMtu());
    }

    @Test
    void parameterProblemCarriesThePointerAndParsesInPcap4j() throws Exception {
        byte[] invoking = Arrays.copyOf(Vectors.bytes(Vectors.IPV6_SYN), 60);
        Icmpv6Repr repr = Icmpv6Repr.parameterProblem(Icmpv6Repr.CODE_UNRECOGNIZED_NEXT_HEADER, 6, invoking);
        IcmpV6CommonPacket icmp = pcap4jParse(repr);
        assertEquals(IcmpV6Type.PARAMETER_PROBLEM, icmp.getHeader().getType());
        assertEquals(1, (int) icmp.getHeader().getCode().value());
        IcmpV6ParameterProblemPacket body = assertInstanceOf(IcmpV6ParameterProblemPacket.class, icmp.getPayload());
        assertEquals(6, body.getHeader().getPointer());
    }

    @Test
    void destinationUnreachableParsesInPcap4j() throws Exception {
        byte[] invoking = Arrays.copyOf(Vectors.bytes(Vectors.IPV6_SYN), 60);
        IcmpV6CommonPacket icmp = pcap4jParse(Icmpv6Repr.destinationUnreachable(Icmpv6Repr.CODE_PORT_UNREACHABLE,
                invoking));
        assertEquals(IcmpV6Type.DESTINATION_UNREACHABLE, icmp.getHeader().getType());
        assertEquals(4, (int) icmp.getHeader().getCode().value());
    }

    @Test
    void echoReplyKeepsIdentifierSequenceAndData() {
        Icmpv6Repr reply = Icmpv6Repr.echoRequest(7, 9, new byte[] {1, 2}).reply();
        assertEquals(Icmpv6Packet.TYPE_ECHO_REPLY, reply.type());
        assertEquals(7, reply.identifier());
        assertEquals(9, reply.sequence());
        assertArrayEquals(new byte[] {1, 2}, reply.data());
        assertThrows(IllegalStateException.class, reply::reply);
    }

    @Test
    void errorAndSignallingTypesAreClassified() {
        assertTrue(Icmpv6Packet.isError(Icmpv6Packet.TYPE_PACKET_TOO_BIG));
        assertFalse(Icmpv6Packet.isError(Icmpv6Packet.TYPE_ECHO_REQUEST));
        for (int type = 133; type <= 137; type++) {
            assertTrue(Icmpv6Packet.isLinkLocalSignalling(type), "ND type " + type);
        }
        assertTrue(Icmpv6Packet.isLinkLocalSignalling(Icmpv6Packet.TYPE_MLD2_REPORT));
        assertFalse(Icmpv6Packet.isLinkLocalSignalling(Icmpv6Packet.TYPE_ECHO_REPLY));
    }

    @Test
    void anyMessageSurvivesEmitAndParseWithAValidChecksum() {
        qt().forAll(u8(), u8(), ints(), bytes(64)).checkAssert((type, code, rest, data) -> {
            Icmpv6Repr repr = new Icmpv6Repr(type, code, rest, data);
            MemorySegment message = MemorySegment.ofArray(new byte[repr.bufferLength()]);
            MemorySegment src = MemorySegment.ofArray(SRC);
            MemorySegment dst = MemorySegment.ofArray(DST);
            repr.emit(Icmpv6Packet.unchecked(message), src, dst);
            assertEquals(repr, Icmpv6Repr.parse(Icmpv6Packet.checked(message), src, dst));
        });
    }

    /** Emits {@code repr} in an IPv6 packet from SRC to DST and parses it with pcap4j, checksum checked. */
    private static IcmpV6CommonPacket pcap4jParse(Icmpv6Repr repr) throws IllegalRawDataException, UnknownHostException {
        byte[] packet = new byte[Ipv6Packet.HEADER_LENGTH + repr.bufferLength()];
        MemorySegment seg = MemorySegment.ofArray(packet);
        new Ipv6Repr(SRC, DST, Icmpv6Packet.NEXT_HEADER, 64, repr.bufferLength(), 0, 0).emit(Ipv6Packet.unchecked(seg));
        repr.emit(Icmpv6Packet.unchecked(seg.asSlice(Ipv6Packet.HEADER_LENGTH)), MemorySegment.ofArray(SRC),
                MemorySegment.ofArray(DST));
        IpV6Packet ip = IpV6Packet.newPacket(packet, 0, packet.length);
        IcmpV6CommonPacket icmp = assertInstanceOf(IcmpV6CommonPacket.class, ip.getPayload());
        assertTrue(icmp.hasValidChecksum(inet(SRC), inet(DST), false), "pcap4j checksum");
        return icmp;
    }

    private static Inet6Address inet(byte[] addr) throws UnknownHostException {
        return (Inet6Address) InetAddress.getByAddress(addr);
    }
}
