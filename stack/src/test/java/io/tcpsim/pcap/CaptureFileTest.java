package io.tcpsim.pcap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcpsim.wire.TcpPacket;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The reader on files written byte by byte: both pcap byte orders with microsecond and
 * nanosecond timestamps, pcapng in both byte orders, every supported link type, and the damage a
 * capture can carry (a file cut inside a record, frames cut short, bad checksums), which is
 * reported and never fatal; BPF filters through libpcap keep frame numbers.
 */
class CaptureFileTest {
    private static final long T0 = 1_700_000_000_123_456_789L;
    private static final long T0_MICROS = 1_700_000_000_123_456_000L;

    @TempDir
    Path dir;

    private Path write(String name, byte[] bytes) throws IOException {
        Path file = dir.resolve(name);
        Files.write(file, bytes);
        return file;
    }

    private static List<CaptureBytes.Record> handshake(int linkType) {
        return List.of(CaptureBytes.Record.whole(T0, CaptureBytes.frame(linkType,
                        CaptureBytes.ipv4Tcp(40_000, 80, TcpPacket.SYN, 1000, 0, new byte[0]))),
                CaptureBytes.Record.whole(T0 + 1_000_000, CaptureBytes.frame(linkType,
                        CaptureBytes.ipv4Tcp(40_000, 80, TcpPacket.ACK | TcpPacket.PSH, 1001, 5001, new byte[5]))));
    }

    private static void assertHandshake(CaptureSummary s, long firstNanos) {
        assertEquals(List.of(), s.skipped());
        assertEquals(2, s.segments().size());
        Segment syn = s.segments().getFirst();
        assertEquals(1, syn.frame());
        assertEquals(firstNanos, syn.epochNanos());
        assertEquals(new Endpoint("10.0.0.1", 40_000), syn.src());
        assertEquals(new Endpoint("10.0.0.2", 80), syn.dst());
        assertEquals(TcpPacket.SYN, syn.flags());
        assertEquals(1460, syn.mss().orElseThrow());
        assertEquals(List.of(), syn.problems());
        Segment data = s.segments().get(1);
        assertEquals(2, data.frame());
        assertEquals(5, data.payloadLength());
        assertEquals(5001, data.ack());
        assertEquals(1, s.conversations().size());
    }

    @ParameterizedTest(name = "pcap, big-endian {0}")
    @ValueSource(booleans = {false, true})
    void classicPcapInMicrosecondsReadsInEitherByteOrder(boolean bigEndian) throws IOException {
        ByteOrder order = bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        Path file = write("us.pcap", CaptureBytes.pcap(order, false, LinkHeader.ETHERNET, handshake(LinkHeader.ETHERNET)));
        assertHandshake(CaptureSummary.read(file, null), T0_MICROS);
    }

    @ParameterizedTest(name = "pcap, big-endian {0}")
    @ValueSource(booleans = {false, true})
    void classicPcapInNanosecondsKeepsEveryNanosecond(boolean bigEndian) throws IOException {
        ByteOrder order = bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        Path file = write("ns.pcap", CaptureBytes.pcap(order, true, LinkHeader.RAW, handshake(LinkHeader.RAW)));
        assertHandshake(CaptureSummary.read(file, null), T0);
    }

    @ParameterizedTest(name = "pcapng, big-endian {0}")
    @ValueSource(booleans = {false, true})
    void pcapngReadsInEitherByteOrder(boolean bigEndian) throws IOException {
        ByteOrder order = bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        Path file = write("x.pcapng", CaptureBytes.pcapng(order, LinkHeader.LINUX_SLL, handshake(LinkHeader.LINUX_SLL)));
        assertHandshake(CaptureSummary.read(file, null), T0);
    }

    @ParameterizedTest(name = "link type {0}")
    @ValueSource(ints = {LinkHeader.NULL, LinkHeader.ETHERNET, LinkHeader.RAW, LinkHeader.LOOP, LinkHeader.LINUX_SLL,
        LinkHeader.IPV4, LinkHeader.LINUX_SLL2})
    void everyLinkTypeGivesTheSameSegments(int linkType) throws IOException {
        Path file = write("l.pcap", CaptureBytes.pcap(ByteOrder.LITTLE_ENDIAN, true, linkType, handshake(linkType)));
        CaptureSummary s = CaptureSummary.read(file, null);
        assertEquals(linkType, s.capture().linkType());
        assertHandshake(s, T0);
    }

    @ParameterizedTest(name = "link type {0}")
    @ValueSource(ints = {LinkHeader.NULL, LinkHeader.ETHERNET, LinkHeader.RAW, LinkHeader.LOOP, LinkHeader.IPV6,
        LinkHeader.LINUX_SLL, LinkHeader.LINUX_SLL2})
    void ipv6OverEveryLinkTypeThatCarriesIt(int linkType) throws IOException {
        byte[] frame = CaptureBytes.frame(linkType, CaptureBytes.ipv6Syn());
        Path file = write("v6.pcap", CaptureBytes.pcap(ByteOrder.BIG_ENDIAN, false, linkType,
                List.of(CaptureBytes.Record.whole(T0_MICROS, frame))));
        Segment syn = CaptureSummary.read(file, null).segments().getFirst();
        assertTrue(syn.ipv6());
        assertEquals(new Endpoint("2001:db8::1", 40_000), syn.src());
        assertEquals(1440, syn.mss().orElseThrow());
        assertEquals(List.of(), syn.problems());
    }

    @Test
    void vlanTaggedEthernetIsStripped() throws IOException {
        byte[] frame = CaptureBytes.vlanFrame(CaptureBytes.ipv4Tcp(1, 2, TcpPacket.SYN, 7, 0, new byte[0]));
        Path file = write("vlan.pcap", CaptureBytes.pcap(ByteOrder.LITTLE_ENDIAN, false, LinkHeader.ETHERNET,
                List.of(CaptureBytes.Record.whole(T0_MICROS, frame))));
        assertEquals(7, CaptureSummary.read(file, null).segments().getFirst().seq());
    }

    @Test
    void aFileCutInsideARecordKeepsTheFramesBeforeAndSaysWhere() throws IOException {
        byte[] whole = CaptureBytes.pcap(ByteOrder.LITTLE_ENDIAN, false, LinkHeader.RAW, handshake(LinkHeader.RAW));
        Path file = write("cut.pcap", Arrays.copyOf(whole, whole.length - 20));
        CaptureSummary s = CaptureSummary.read(file, null);
        assertEquals(1, s.segments().size());
        assertEquals(1, s.capture().problems().size());
        assertTrue(s.capture().problems().getFirst().contains("cut short after frame 1"), s.capture().problems().toString());
    }

    @Test
    void aTimestampFractionOfASecondOrMoreSkipsThatFrameAndSaysSo() throws IOException {
        byte[] bytes = CaptureBytes.pcap(ByteOrder.LITTLE_ENDIAN, false, LinkHeader.RAW, handshake(LinkHeader.RAW));
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(24 + 4, 2_000_000); // microseconds of frame 1
        CaptureSummary s = CaptureSummary.read(write("usec.pcap", bytes), null);
        assertEquals(1, s.segments().size(), "frame 2 is still read");
        assertEquals(2, s.capture().framesInFile());
        assertEquals(List.of("frame 1 skipped: its timestamp's fraction is a second or more"), s.capture().problems());
    }

    @Test
    void aFrameCutShortIsStillASegmentWithItsProblemSaid() throws IOException {
        byte[] ip = CaptureBytes.ipv4Tcp(40_000, 80, TcpPacket.ACK, 1, 1, new byte[100]);
        Path file = write("snap.pcap", CaptureBytes.pcap(ByteOrder.LITTLE_ENDIAN, false, LinkHeader.RAW,
                List.of(new CaptureBytes.Record(T0_MICROS, ip.length, Arrays.copyOf(ip, 60)))));
        Segment s = CaptureSummary.read(file, null).segments().getFirst();
        assertEquals(100, s.payloadLength());
        assertEquals(20, s.payload().length);
        assertEquals(List.of("frame cut short: 60 of 140 bytes captured",
                "TCP checksum not verifiable: the segment was cut short"), s.problems());
    }

    @Test
    void badChecksumsAreReportedNotFatal() throws IOException {
        byte[] badTcp = CaptureBytes.ipv4Tcp(40_000, 80, TcpPacket.ACK, 1, 1, new byte[3]);
        badTcp[36] ^= 0x55; // TCP checksum
        byte[] badIp = CaptureBytes.ipv4Tcp(40_000, 80, TcpPacket.ACK, 4, 1, new byte[0]);
        badIp[10] ^= 0x55; // IPv4 header checksum
        Path file = write("sum.pcap", CaptureBytes.pcap(ByteOrder.LITTLE_ENDIAN, false, LinkHeader.RAW,
                List.of(CaptureBytes.Record.whole(T0_MICROS, badTcp), CaptureBytes.Record.whole(T0_MICROS, badIp))));
        List<Segment> segments = CaptureSummary.read(file, null).segments();
        assertEquals(List.of("bad TCP checksum"), segments.get(0).problems());
        assertEquals(List.of("bad IPv4 header checksum"), segments.get(1).problems());
    }

    @Test
    void framesThatAreNotTcpAreSkippedWithTheReason() throws IOException {
        byte[] arp = new byte[42];
        arp[12] = 0x08;
        arp[13] = 0x06;
        byte[] udp = CaptureBytes.ipv4Tcp(1, 2, TcpPacket.ACK, 0, 0, new byte[0]);
        udp[9] = 17;
        Path file = write("mixed.pcap", CaptureBytes.pcap(ByteOrder.LITTLE_ENDIAN, false, LinkHeader.ETHERNET,
                List.of(CaptureBytes.Record.whole(T0_MICROS, arp),
                        CaptureBytes.Record.whole(T0_MICROS, CaptureBytes.frame(LinkHeader.ETHERNET, udp)))));
        CaptureSummary s = CaptureSummary.read(file, null);
        assertEquals(List.of(new SegmentDecoder.Skipped(1, "not IP (ethertype 0x0806)"),
                new SegmentDecoder.Skipped(2, "not TCP (IP protocol 17)")), s.skipped());
    }

    @Test
    void aBpfFilterKeepsTheFramesItAcceptsWithTheirNumbers() throws IOException {
        List<CaptureBytes.Record> records = List.of(
                CaptureBytes.Record.whole(T0_MICROS, CaptureBytes.frame(LinkHeader.ETHERNET,
                        CaptureBytes.ipv4Tcp(40_000, 80, TcpPacket.SYN, 1, 0, new byte[0]))),
                CaptureBytes.Record.whole(T0_MICROS, CaptureBytes.frame(LinkHeader.ETHERNET,
                        CaptureBytes.ipv4Tcp(40_001, 22, TcpPacket.SYN, 2, 0, new byte[0]))),
                CaptureBytes.Record.whole(T0_MICROS, CaptureBytes.frame(LinkHeader.ETHERNET,
                        CaptureBytes.ipv4Tcp(40_000, 80, TcpPacket.ACK, 2, 1, new byte[0]))));
        Path file = write("f.pcap", CaptureBytes.pcap(ByteOrder.LITTLE_ENDIAN, false, LinkHeader.ETHERNET, records));
        CaptureSummary s = CaptureSummary.read(file, "tcp port 22");
        assertEquals(3, s.capture().framesInFile());
        assertEquals(1, s.segments().size());
        assertEquals(2, s.segments().getFirst().frame());
        assertEquals(2, CaptureSummary.read(file, "tcp port 80").segments().size());
    }

    @Test
    void aBadFilterOrAFileThatIsNotACaptureIsAnIoErrorWithTheReason() throws IOException {
        Path file = write("ok.pcap", CaptureBytes.pcap(ByteOrder.LITTLE_ENDIAN, false, LinkHeader.RAW,
                handshake(LinkHeader.RAW)));
        IOException filter = assertThrows(IOException.class, () -> CaptureFile.read(file, "tcp porrt 80"));
        assertTrue(filter.getMessage().startsWith("bad filter 'tcp porrt 80'"), filter.getMessage());
        Path text = write("notes.txt", "not a capture\n".repeat(10).getBytes());
        IOException notCapture = assertThrows(IOException.class, () -> CaptureFile.read(text));
        assertNotNull(notCapture.getMessage());
        assertThrows(IOException.class, () -> CaptureFile.read(dir.resolve("missing.pcap")));
    }
}
