package io.tcpsim.bench;

import io.tcpsim.wire.Ipv4Packet;
import io.tcpsim.wire.Ipv4Repr;
import io.tcpsim.wire.TcpOption;
import io.tcpsim.wire.TcpOptions;
import io.tcpsim.wire.TcpPacket;
import io.tcpsim.wire.TcpRepr;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.pcap4j.packet.IllegalRawDataException;
import org.pcap4j.packet.IpV4Packet;

/**
 * Receive-path cost of one full-sized segment: an IPv4 datagram carrying a TCP segment with the
 * timestamps option and 1460 bytes of data. tcpsim works on an off-heap segment (as a TUN read
 * delivers it); pcap4j, the baseline measured in the same run, on a byte[]. Both validate the IP
 * and TCP headers, read every TCP field, decode the options and verify the TCP checksum.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class WireBenchmark {
    private static final int PAYLOAD = 1460;
    private static final int SRC = 0x0a00_0001;
    private static final int DST = 0x0a00_0002;

    private Arena arena;
    private MemorySegment packet;
    private byte[] bytes;
    private Inet4Address srcInet;
    private Inet4Address dstInet;
    private final Ipv4Packet view = Ipv4Packet.reusable();
    private final TcpRepr reused = TcpRepr.reusable();

    @Setup(Level.Trial)
    public void setUp() throws UnknownHostException {
        byte[] data = new byte[PAYLOAD];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (i * 31);
        }
        TcpRepr tcp = new TcpRepr(44188, 80, 0x1234_5678, 0x0abc_def0, TcpPacket.ACK | TcpPacket.PSH, 502, 0,
                List.of(TcpOption.NOP, TcpOption.NOP, new TcpOption.Timestamps(123456, 654321)),
                MemorySegment.ofArray(data));
        Ipv4Repr ip = Ipv4Repr.of(SRC, DST, Ipv4Packet.PROTO_TCP, 64, tcp.bufferLength());
        arena = Arena.ofShared();
        packet = arena.allocate(ip.bufferLength(), 64);
        ip.emit(packet);
        tcp.emit(packet.asSlice(ip.headerLength()), SRC, DST);
        bytes = packet.toArray(ValueLayout.JAVA_BYTE);
        srcInet = inet(SRC);
        dstInet = inet(DST);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        arena.close();
    }

    /** Views and option list: checked IPv4 and TCP views, every field, TcpOptions.parse, checksum. */
    @Benchmark
    public boolean tcpsimViewParseAndVerify(Blackhole sink) {
        Ipv4Packet ip = Ipv4Packet.checked(packet);
        TcpPacket tcp = TcpPacket.checked(ip.payload());
        sink.consume(tcp.srcPort() + tcp.dstPort() + tcp.seqNumber() + tcp.ackNumber() + tcp.flags()
                + tcp.window() + tcp.urgentPointer() + tcp.checksum() + tcp.headerLength());
        sink.consume(TcpOptions.parse(tcp.options()));
        sink.consume(tcp.payload());
        return tcp.verifyChecksum(ip.srcAddr(), ip.dstAddr());
    }

    /** The record the TCP layer gets: TcpRepr.parse (validation, checksum, options, payload slice). */
    @Benchmark
    public TcpRepr tcpsimReprParse() {
        Ipv4Packet ip = Ipv4Packet.checked(packet);
        return TcpRepr.parse(TcpPacket.checked(ip.payload()), ip.srcAddr(), ip.dstAddr());
    }

    /** Baseline: pcap4j parses IPv4 and TCP (options included) from a byte[] and verifies the checksum. */
    /**
     * What the stack's receive path does (issue 8): the IPv4 header checked through the one view
     * moved from packet to packet, the segment read where it lies into the reusable
     * {@link TcpRepr}, the checksum verified there, the timestamps read from the option bytes.
     */
    @Benchmark
    public int tcpsimReusableRead() {
        Ipv4Packet ip = view.moveTo(packet);
        if (Ipv4Packet.check(packet) != null || !ip.verifyChecksum()) {
            return -1;
        }
        int at = ip.headerLength();
        int length = ip.totalLength() - at;
        if (reused.readAsLinux(packet, at, length) != null
                || !TcpPacket.verifyChecksum(packet, at, length, ip.srcAddr(), ip.dstAddr())) {
            return -1;
        }
        return reused.seq() ^ reused.ack() ^ reused.window() ^ reused.tsVal() ^ reused.tsEcr() ^ reused.payloadLength();
    }

    @Benchmark
    public boolean pcap4jParseAndVerify(Blackhole sink) throws IllegalRawDataException {
        IpV4Packet ip = IpV4Packet.newPacket(bytes, 0, bytes.length);
        org.pcap4j.packet.TcpPacket tcp = ip.get(org.pcap4j.packet.TcpPacket.class);
        org.pcap4j.packet.TcpPacket.TcpHeader h = tcp.getHeader();
        sink.consume(h.getSrcPort().valueAsInt() + h.getDstPort().valueAsInt() + h.getSequenceNumber()
                + h.getAcknowledgmentNumber() + h.getWindowAsInt() + h.getUrgentPointerAsInt() + h.getChecksum()
                + h.getDataOffsetAsInt() + (h.getAck() ? 1 : 0) + (h.getPsh() ? 1 : 0));
        sink.consume(h.getOptions());
        sink.consume(tcp.getPayload());
        return tcp.hasValidChecksum(srcInet, dstInet, false);
    }

    private static Inet4Address inet(int addr) throws UnknownHostException {
        return (Inet4Address) InetAddress.getByAddress(ByteBuffer.allocate(4).putInt(addr).array());
    }
}
