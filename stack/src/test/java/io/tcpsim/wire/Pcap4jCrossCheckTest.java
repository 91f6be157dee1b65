package io.tcpsim.wire;

import static io.tcpsim.testsupport.Properties.qt;
import static io.tcpsim.wire.WireGenerators.ints;
import static io.tcpsim.wire.WireGenerators.tcpReprs;
import static io.tcpsim.wire.WireGenerators.udpReprs;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcpsim.wire.TcpOption.MaxSegmentSize;
import io.tcpsim.wire.TcpOption.Sack;
import io.tcpsim.wire.TcpOption.SackBlock;
import io.tcpsim.wire.TcpOption.Timestamps;
import io.tcpsim.wire.TcpOption.Unknown;
import io.tcpsim.wire.TcpOption.WindowScale;
import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.pcap4j.packet.IcmpV4CommonPacket;
import org.pcap4j.packet.IcmpV4EchoPacket;
import org.pcap4j.packet.IllegalRawDataException;
import org.pcap4j.packet.IpV4Packet;
import org.pcap4j.packet.IpV4Rfc791Tos;
import org.pcap4j.packet.TcpEndOfOptionList;
import org.pcap4j.packet.TcpMaximumSegmentSizeOption;
import org.pcap4j.packet.TcpNoOperationOption;
import org.pcap4j.packet.TcpPacket;
import org.pcap4j.packet.TcpSackOption;
import org.pcap4j.packet.TcpSackPermittedOption;
import org.pcap4j.packet.TcpTimestampsOption;
import org.pcap4j.packet.TcpWindowScaleOption;
import org.pcap4j.packet.UnknownPacket;
import org.pcap4j.packet.UnknownTcpOption;
import org.pcap4j.packet.namednumber.IpNumber;
import org.pcap4j.packet.namednumber.IpVersion;
import org.pcap4j.packet.namednumber.TcpOptionKind;
import org.pcap4j.packet.namednumber.TcpPort;
import org.pcap4j.packet.namednumber.UdpPort;

/**
 * pcap4j as an independent implementation, both ways: packets pcap4j builds parse in tcpsim with
 * the same fields, and packets tcpsim emits parse in pcap4j with the same fields and checksums
 * pcap4j calls valid. Building and parsing packets needs no libpcap.
 */
class Pcap4jCrossCheckTest {
    private static final int SRC = Ipv4Address.parse("10.0.0.1");
    private static final int DST = Ipv4Address.parse("10.0.0.2");

    @Test
    void pcap4jBuiltSynWithEveryOptionParsesInTcpsim() {
        List<TcpOption> options = List.of(new MaxSegmentSize(1460), TcpOption.SACK_PERMITTED,
                new Timestamps(123456789, 0), TcpOption.NOP, new WindowScale(7));
        TcpRepr expected = new TcpRepr(5432, 80, 1, 0, io.tcpsim.wire.TcpPacket.SYN, 64240, 0, options,
                TcpRepr.NO_PAYLOAD);
        byte[] bytes = pcap4jBuild(expected, SRC, DST, 64, 4711).getRawData();
        PacketParser.Outcome.Parsed parsed = assertInstanceOf(PacketParser.Outcome.Parsed.class,
                PacketParser.parse(Vectors.offHeap(bytes)));
        assertEquals(expected, parsed.upper());
        Ipv4Repr ip = Ipv4Repr.parse(Ipv4Packet.checked(MemorySegment.ofArray(bytes)));
        assertEquals(new Ipv4Repr(SRC, DST, Ipv4Packet.PROTO_TCP, 64, 40, 4711, true, false, 0, 0, 0), ip);
    }

    @Test
    void pcap4jBuiltSegmentsParseInTcpsimWithTheSameFields() {
        qt().withExamples(300).forAll(tcpReprs(), ints(), ints())
                .checkAssert(Pcap4jCrossCheckTest::assertPcap4jBuiltSegmentParses);
    }

    @Test
    void tcpsimEmittedSegmentsParseInPcap4jWithValidChecksums() {
        qt().withExamples(300).forAll(tcpReprs(), ints(), ints())
                .checkAssert(Pcap4jCrossCheckTest::assertTcpsimEmittedSegmentParses);
    }

    @Test
    void pcap4jBuiltUdpDatagramsParseInTcpsimWithTheSameFields() {
        qt().withExamples(300).forAll(udpReprs(), ints(), ints())
                .checkAssert(Pcap4jCrossCheckTest::assertPcap4jBuiltDatagramParses);
    }

    @Test
    void tcpsimEmittedUdpDatagramsParseInPcap4jWithValidChecksums() {
        qt().withExamples(300).forAll(udpReprs(), ints(), ints())
                .checkAssert(Pcap4jCrossCheckTest::assertTcpsimEmittedDatagramParses);
    }

    @Test
    void tcpsimEchoRequestParsesInPcap4j() throws IllegalRawDataException {
        Icmpv4Repr.EchoRequest echo = new Icmpv4Repr.EchoRequest(0x1234, 7, "ping".getBytes());
        byte[] bytes = new byte[echo.bufferLength()];
        echo.emit(Icmpv4Packet.unchecked(MemorySegment.ofArray(bytes)));
        IcmpV4CommonPacket icmp = IcmpV4CommonPacket.newPacket(bytes, 0, bytes.length);
        assertEquals(8, Byte.toUnsignedInt(icmp.getHeader().getType().value()));
        assertTrue(icmp.hasValidChecksum(false));
        IcmpV4EchoPacket body = assertInstanceOf(IcmpV4EchoPacket.class, icmp.getPayload());
        assertEquals(0x1234, body.getHeader().getIdentifierAsInt());
        assertEquals(7, body.getHeader().getSequenceNumberAsInt());
    }

    private static void assertPcap4jBuiltSegmentParses(TcpRepr repr, int src, int dst) {
        byte[] bytes = pcap4jBuild(repr, src, dst, 64, 1).getRawData();
        Ipv4Packet ip = Ipv4Packet.checked(MemorySegment.ofArray(bytes));
        assertEquals(repr, TcpRepr.parse(io.tcpsim.wire.TcpPacket.checked(ip.payload()), src, dst));
    }

    private static void assertTcpsimEmittedSegmentParses(TcpRepr tcp, int src, int dst) {
        Ipv4Repr ip = new Ipv4Repr(src, dst, Ipv4Packet.PROTO_TCP, 63, tcp.bufferLength(), 999, false, false, 0, 10, 1);
        byte[] bytes = emit(ip, tcp);
        IpV4Packet parsed = pcap4jParse(bytes);
        IpV4Packet.IpV4Header header = parsed.getHeader();
        assertTrue(header.hasValidChecksum(false));
        assertEquals(inet(src), header.getSrcAddr());
        assertEquals(inet(dst), header.getDstAddr());
        assertEquals(63, header.getTtlAsInt());
        assertEquals(999, header.getIdentificationAsInt());
        assertEquals(bytes.length, header.getTotalLengthAsInt());
        assertEquals((10 << 2 | 1), Byte.toUnsignedInt(header.getTos().value()));
        TcpPacket segment = assertInstanceOf(TcpPacket.class, parsed.getPayload());
        assertTcpFieldsEqual(tcp, segment);
        assertTrue(segment.hasValidChecksum(inet(src), inet(dst), false));
    }

    private static void assertPcap4jBuiltDatagramParses(UdpRepr repr, int src, int dst) {
        org.pcap4j.packet.UdpPacket.Builder datagram = new org.pcap4j.packet.UdpPacket.Builder()
                .srcPort(UdpPort.getInstance((short) repr.srcPort())).dstPort(UdpPort.getInstance((short) repr.dstPort()))
                .srcAddr(inet(src)).dstAddr(inet(dst)).correctLengthAtBuild(true).correctChecksumAtBuild(true);
        if (repr.payload().byteSize() > 0) {
            datagram.payloadBuilder(new UnknownPacket.Builder().rawData(repr.payloadBytes()));
        }
        byte[] bytes = new IpV4Packet.Builder().version(IpVersion.IPV4).tos(IpV4Rfc791Tos.newInstance((byte) 0))
                .identification((short) 1).ttl((byte) 64).protocol(IpNumber.UDP).srcAddr(inet(src)).dstAddr(inet(dst))
                .payloadBuilder(datagram).correctLengthAtBuild(true).correctChecksumAtBuild(true).build().getRawData();
        Ipv4Packet ip = Ipv4Packet.checked(MemorySegment.ofArray(bytes));
        assertEquals(repr, UdpRepr.parse(UdpPacket.checked(ip.payload()), src, dst));
    }

    private static void assertTcpsimEmittedDatagramParses(UdpRepr udp, int src, int dst) {
        Ipv4Repr ip = Ipv4Repr.of(src, dst, Ipv4Packet.PROTO_UDP, 64, udp.bufferLength());
        byte[] bytes = new byte[ip.bufferLength()];
        MemorySegment seg = MemorySegment.ofArray(bytes);
        ip.emit(Ipv4Packet.unchecked(seg));
        udp.emit(UdpPacket.unchecked(seg.asSlice(ip.headerLength())), src, dst);
        org.pcap4j.packet.UdpPacket parsed = assertInstanceOf(org.pcap4j.packet.UdpPacket.class,
                pcap4jParse(bytes).getPayload());
        org.pcap4j.packet.UdpPacket.UdpHeader h = parsed.getHeader();
        assertEquals(udp.srcPort(), h.getSrcPort().valueAsInt());
        assertEquals(udp.dstPort(), h.getDstPort().valueAsInt());
        assertEquals(udp.bufferLength(), h.getLengthAsInt());
        assertTrue(parsed.hasValidChecksum(inet(src), inet(dst), false));
        byte[] payload = parsed.getPayload() == null ? new byte[0] : parsed.getPayload().getRawData();
        assertArrayEquals(udp.payloadBytes(), payload);
    }

    private static IpV4Packet pcap4jParse(byte[] bytes) {
        try {
            return IpV4Packet.newPacket(bytes, 0, bytes.length);
        } catch (IllegalRawDataException e) {
            throw new AssertionError("pcap4j rejected a packet tcpsim emitted", e);
        }
    }

    private static void assertTcpFieldsEqual(TcpRepr expected, TcpPacket actual) {
        TcpPacket.TcpHeader h = actual.getHeader();
        assertEquals(expected.srcPort(), h.getSrcPort().valueAsInt());
        assertEquals(expected.dstPort(), h.getDstPort().valueAsInt());
        assertEquals(expected.seq(), h.getSequenceNumber());
        assertEquals(expected.ack(), h.getAcknowledgmentNumber());
        assertEquals(expected.headerLength() / 4, h.getDataOffsetAsInt());
        assertEquals(expected.flags(), flagsOf(h));
        assertEquals(expected.window(), h.getWindowAsInt());
        assertEquals(expected.urgentPointer(), h.getUrgentPointerAsInt());
        ByteArrayOutputStream options = new ByteArrayOutputStream();
        h.getOptions().forEach(o -> options.writeBytes(o.getRawData()));
        byte[] emitted = new byte[TcpOptions.encodedLength(expected.options())];
        TcpOptions.emit(expected.options(), MemorySegment.ofArray(emitted));
        assertArrayEquals(emitted, Arrays.copyOf(options.toByteArray(), emitted.length));
        byte[] payload = actual.getPayload() == null ? new byte[0] : actual.getPayload().getRawData();
        assertArrayEquals(expected.payloadBytes(), payload);
    }

    /** pcap4j's TCP header has no ECE/CWR accessors: they sit in its 6-bit "reserved" field. */
    private static int flagsOf(TcpPacket.TcpHeader h) {
        int reservedLow = h.getReserved() & 0x03;
        return reservedLow << 6 | (h.getUrg() ? 0x20 : 0) | (h.getAck() ? 0x10 : 0) | (h.getPsh() ? 0x08 : 0)
                | (h.getRst() ? 0x04 : 0) | (h.getSyn() ? 0x02 : 0) | (h.getFin() ? 0x01 : 0);
    }

    private static IpV4Packet pcap4jBuild(TcpRepr tcp, int src, int dst, int ttl, int id) {
        TcpPacket.Builder segment = new TcpPacket.Builder()
                .srcPort(TcpPort.getInstance((short) tcp.srcPort())).dstPort(TcpPort.getInstance((short) tcp.dstPort()))
                .sequenceNumber(tcp.seq()).acknowledgmentNumber(tcp.ack())
                .reserved((byte) (tcp.flags() >>> 6)).urg((tcp.flags() & 0x20) != 0).ack((tcp.flags() & 0x10) != 0)
                .psh((tcp.flags() & 0x08) != 0).rst((tcp.flags() & 0x04) != 0).syn((tcp.flags() & 0x02) != 0)
                .fin((tcp.flags() & 0x01) != 0).window((short) tcp.window()).urgentPointer((short) tcp.urgentPointer())
                .options(tcp.options().stream().map(Pcap4jCrossCheckTest::toPcap4j).toList())
                .srcAddr(inet(src)).dstAddr(inet(dst))
                .correctLengthAtBuild(true).correctChecksumAtBuild(true).paddingAtBuild(true);
        if (tcp.payload().byteSize() > 0) {
            segment.payloadBuilder(new UnknownPacket.Builder().rawData(tcp.payloadBytes()));
        }
        return new IpV4Packet.Builder().version(IpVersion.IPV4).tos(IpV4Rfc791Tos.newInstance((byte) 0))
                .identification((short) id).dontFragmentFlag(true).ttl((byte) ttl).protocol(IpNumber.TCP)
                .srcAddr(inet(src)).dstAddr(inet(dst)).payloadBuilder(segment)
                .correctLengthAtBuild(true).correctChecksumAtBuild(true).paddingAtBuild(true).build();
    }

    private static TcpPacket.TcpOption toPcap4j(TcpOption option) {
        return switch (option) {
            case TcpOption.EndOfList _ -> TcpEndOfOptionList.getInstance();
            case TcpOption.NoOperation _ -> TcpNoOperationOption.getInstance();
            case TcpOption.SackPermitted _ -> TcpSackPermittedOption.getInstance();
            case MaxSegmentSize(int mss) -> new TcpMaximumSegmentSizeOption.Builder().maxSegSize((short) mss)
                    .correctLengthAtBuild(true).build();
            case WindowScale(int shift) -> new TcpWindowScaleOption.Builder().shiftCount((byte) shift)
                    .correctLengthAtBuild(true).build();
            case Timestamps(int tsVal, int tsEcr) -> new TcpTimestampsOption.Builder().tsValue(tsVal).tsEchoReply(tsEcr)
                    .correctLengthAtBuild(true).build();
            case Sack(List<SackBlock> blocks) -> new TcpSackOption.Builder().sacks(blocks.stream()
                    .map(b -> new TcpSackOption.Sack(b.left(), b.right())).toList()).correctLengthAtBuild(true).build();
            case Unknown unknown -> new UnknownTcpOption.Builder().kind(TcpOptionKind.getInstance((byte) unknown.kind()))
                    .data(unknown.data()).correctLengthAtBuild(true).build();
        };
    }

    private static byte[] emit(Ipv4Repr ip, TcpRepr tcp) {
        byte[] bytes = new byte[ip.bufferLength()];
        MemorySegment seg = MemorySegment.ofArray(bytes);
        ip.emit(Ipv4Packet.unchecked(seg));
        tcp.emit(io.tcpsim.wire.TcpPacket.unchecked(seg.asSlice(ip.headerLength())), ip.srcAddr(), ip.dstAddr());
        return bytes;
    }

    private static Inet4Address inet(int addr) {
        try {
            return (Inet4Address) InetAddress.getByAddress(ByteBuffer.allocate(4).putInt(addr).array());
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
