package io.tcpsim.wire;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tcpsim.wire.TcpOption.MaxSegmentSize;
import io.tcpsim.wire.TcpOption.Sack;
import io.tcpsim.wire.TcpOption.SackBlock;
import io.tcpsim.wire.TcpOption.Timestamps;
import io.tcpsim.wire.TcpOption.WindowScale;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Formatter lines for hand-built packets. Expected lines are what tcpdump 4.99.3 printed for the
 * same bytes (written to a pcap and read with {@code tcpdump -n}), except where marked: the
 * "[malformed: ...]" lines are the formatter's own.
 */
class TcpdumpFormatterTest {
    private static final int A = Ipv4Address.parse("10.0.0.1");
    private static final int B = Ipv4Address.parse("10.0.0.2");
    private static final List<TcpOption> SYN_OPTIONS = List.of(new MaxSegmentSize(1460), TcpOption.SACK_PERMITTED,
            new Timestamps(1, 0), TcpOption.NOP, new WindowScale(7));

    @Test
    void synWithLinuxOptionsPrintsAbsoluteSeqAndOptions() {
        TcpRepr syn = new TcpRepr(5432, 80, 1, 0, TcpPacket.SYN, 64240, 0, SYN_OPTIONS, TcpRepr.NO_PAYLOAD);
        assertEquals("IP 10.0.0.1.5432 > 10.0.0.2.80: Flags [S], seq 1, win 64240, "
                + "options [mss 1460,sackOK,TS val 1 ecr 0,nop,wscale 7], length 0", TcpdumpFormatter.absolute(tcp(A, B, syn)));
    }

    @Test
    void relativeNumberingStartsAfterTheSynAck() {
        TcpdumpFormatter formatter = new TcpdumpFormatter();
        int clientIsn = (int) 2239453442L;
        int serverIsn = 9920001;
        String[] lines = {
            formatter.format(tcp(A, B, segment(44188, 43, clientIsn, 0, TcpPacket.SYN, ""))),
            formatter.format(tcp(B, A, segment(43, 44188, serverIsn, clientIsn + 1, TcpPacket.SYN | TcpPacket.ACK, ""))),
            formatter.format(tcp(A, B, segment(44188, 43, clientIsn + 1, serverIsn + 1, TcpPacket.ACK, ""))),
            formatter.format(tcp(A, B, segment(44188, 43, clientIsn + 1, serverIsn + 1, TcpPacket.ACK | TcpPacket.PSH,
                    "example.com\r\n"))),
            formatter.format(tcp(B, A, segment(43, 44188, serverIsn + 1, clientIsn + 14, TcpPacket.ACK | TcpPacket.FIN, ""))),
        };
        assertEquals(List.of(
                "IP 10.0.0.1.44188 > 10.0.0.2.43: Flags [S], seq 2239453442, win 1000, length 0",
                "IP 10.0.0.2.43 > 10.0.0.1.44188: Flags [S.], seq 9920001, ack 2239453443, win 1000, length 0",
                "IP 10.0.0.1.44188 > 10.0.0.2.43: Flags [.], ack 1, win 1000, length 0",
                "IP 10.0.0.1.44188 > 10.0.0.2.43: Flags [P.], seq 1:14, ack 1, win 1000, length 13",
                "IP 10.0.0.2.43 > 10.0.0.1.44188: Flags [F.], seq 1, ack 14, win 1000, length 0"), List.of(lines));
    }

    @Test
    void flagLettersFollowTcpdumpsTableOrder() {
        assertEquals("IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [FS], seq 1, win 1000, length 0",
                TcpdumpFormatter.absolute(tcp(A, B, segment(40000, 80, 1, 0, TcpPacket.SYN | TcpPacket.FIN, ""))));
        assertEquals("IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [none], win 1000, length 0",
                TcpdumpFormatter.absolute(tcp(A, B, segment(40000, 80, 1, 0, 0, ""))));
        TcpRepr all = new TcpRepr(40000, 80, 1, 5, 0xff, 1000, 7, List.of(), TcpRepr.NO_PAYLOAD);
        assertEquals("IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [FSRP.UEW], seq 1, ack 5, win 1000, urg 7, length 0",
                TcpdumpFormatter.absolute(tcp(A, B, all)));
        assertEquals("IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [SEW], seq 1, win 1000, length 0",
                TcpdumpFormatter.absolute(tcp(A, B, segment(40000, 80, 1, 0, 0xc2, ""))));
    }

    @Test
    void sackBlocksAreRelativeToThePeersInitialSequence() {
        TcpdumpFormatter formatter = new TcpdumpFormatter();
        formatter.format(tcp(B, A, segment(80, 40000, 1000, 0, TcpPacket.SYN, "")));
        formatter.format(tcp(A, B, segment(40000, 80, 5000, 1001, TcpPacket.SYN | TcpPacket.ACK, "")));
        TcpRepr dupAck = new TcpRepr(40000, 80, 5001, 1001, TcpPacket.ACK, 1000, 0,
                List.of(TcpOption.NOP, TcpOption.NOP, new Sack(List.of(new SackBlock(2001, 3001)))), TcpRepr.NO_PAYLOAD);
        assertEquals("IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [.], ack 1, win 1000, "
                + "options [nop,nop,sack 1 {1001:2001}], length 0", formatter.format(tcp(A, B, dupAck)));
    }

    @Test
    void unusualOptionsPrintAsTcpdumpDoes() {
        assertEquals("IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [.], ack 5, win 1000, "
                + "options [unknown-99 0x01020304,nop,nop], length 0", withOptions("6306 0102 0304 0101"));
        assertEquals("IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [.], ack 5, win 1000, "
                + "options [mss 1280[len 3]], length 0", withOptions("0203 0500"));
        assertEquals("IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [.], ack 5, win 1000, "
                + "options [tfo  cookie 0102030405060708,nop,nop], length 0", withOptions("220a 0102 0304 0506 0708 0101"));
        assertEquals("IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [.], ack 5, win 1000, "
                + "options [exp-tfo cookiereq], length 0", withOptions("fe04 f989"));
        assertEquals("IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [.], ack 5, win 1000, "
                + "options [sack invalid sack,nop,nop], length 0", withOptions("0506 0000 0001 0101"));
        assertEquals("IP 10.0.0.1.40000 > 10.0.0.2.80: Flags [.], ack 5, win 1000, options [[bad opt]",
                withOptions("0500 0000"));
    }

    @Test
    void quietModePrintsTcpAndTheDataLength() {
        assertEquals("IP 10.0.0.1.44188 > 10.0.0.2.43: tcp 5",
                TcpdumpFormatter.quiet(tcp(A, B, segment(44188, 43, 1, 1, TcpPacket.ACK, "hello"))));
    }

    @Test
    void icmpMessagesPrintTheirTcpdumpNames() {
        byte[] quoted = Arrays.copyOf(Vectors.bytes(Vectors.LINUX_SYN), 28);
        assertEquals("IP 10.0.0.1 > 10.0.0.2: ICMP echo request, id 1, seq 2, length 64",
                TcpdumpFormatter.absolute(icmp(A, B, new Icmpv4Repr.EchoRequest(1, 2, new byte[56]))));
        assertEquals("IP 10.0.0.2 > 10.0.0.1: ICMP echo reply, id 1, seq 2, length 64",
                TcpdumpFormatter.absolute(icmp(B, A, new Icmpv4Repr.EchoReply(1, 2, new byte[56]))));
        assertEquals("IP 10.0.0.2 > 10.0.0.1: ICMP 127.0.0.1 tcp port 80 unreachable, length 36",
                TcpdumpFormatter.absolute(icmp(B, A, new Icmpv4Repr.DestinationUnreachable(3, 0, quoted))));
        assertEquals("IP 10.0.0.2 > 10.0.0.1: ICMP 127.0.0.1 unreachable - need to frag (mtu 1400), length 36",
                TcpdumpFormatter.absolute(icmp(B, A, new Icmpv4Repr.DestinationUnreachable(4, 1400, quoted))));
        assertEquals("IP 10.0.0.2 > 10.0.0.1: ICMP host 127.0.0.1 unreachable - admin prohibited filter, length 36",
                TcpdumpFormatter.absolute(icmp(B, A, new Icmpv4Repr.DestinationUnreachable(13, 0, quoted))));
        assertEquals("IP 10.0.0.2 > 10.0.0.1: ICMP time exceeded in-transit, length 36",
                TcpdumpFormatter.absolute(icmp(B, A, new Icmpv4Repr.TimeExceeded(0, quoted))));
        assertEquals("IP 10.0.0.2 > 10.0.0.1:  [|icmp]",
                TcpdumpFormatter.absolute(icmp(B, A, new Icmpv4Repr.DestinationUnreachable(3, 0, new byte[2]))));
    }

    @Test
    void udpAndOtherProtocolsGetOneLine() {
        byte[] udp = Vectors.bytes("9c40 270f 001c 0000");
        assertEquals("IP 10.0.0.1.40000 > 10.0.0.2.9999: UDP, length 20",
                TcpdumpFormatter.absolute(ipv4(A, B, Ipv4Packet.PROTO_UDP, Arrays.copyOf(udp, 28))));
        assertEquals("IP 10.0.0.1 > 10.0.0.2:  ip-proto-253 4",
                TcpdumpFormatter.absolute(ipv4(A, B, 253, new byte[4])));
    }

    /** The lines tcpdump 4.99 printed for the same datagrams (built with scapy, read with tcpdump -n). */
    @Test
    void udpLengthFieldOddities_printAsTcpdumpDoes() {
        assertEquals("IP 10.0.0.1.40000 > 10.0.0.2.9: UDP, length 0",
                TcpdumpFormatter.absolute(ipv4(A, B, Ipv4Packet.PROTO_UDP, Vectors.bytes("9c40 0009 0008 0000"))));
        assertEquals("IP 10.0.0.1.40000 > 10.0.0.2.13: truncated-udplength 4", TcpdumpFormatter.absolute(
                ipv4(A, B, Ipv4Packet.PROTO_UDP, Vectors.bytes("9c40 000d 0004 0000 6162 6364"))));
        assertEquals("IP 10.0.0.1.40000 > 10.0.0.2.19: UDP, bad length 92 > 4", TcpdumpFormatter.absolute(
                ipv4(A, B, Ipv4Packet.PROTO_UDP, Vectors.bytes("9c40 0013 0064 0000 6162 6364"))));
        assertEquals("IP 10.0.0.1.40000 > 10.0.0.2.5000: UDP, length 2", TcpdumpFormatter.absolute(
                ipv4(A, B, Ipv4Packet.PROTO_UDP, Vectors.bytes("9c40 1388 000a 0000 6162 6364 6566 6768"))));
        assertEquals("IP 10.0.0.1.40000 > 10.0.0.2.13: truncated-udplength 4", TcpdumpFormatter.quiet(
                ipv4(A, B, Ipv4Packet.PROTO_UDP, Vectors.bytes("9c40 000d 0004 0000 6162 6364"))));
    }

    @Test
    void portUnreachableQuotingUdpNamesTheUdpPort() {
        byte[] quoted = Vectors.bytes("4500 0024 0001 0000 4011 0000 0a00 0001 0a00 0002 9c40 1388 0010 0000");
        assertEquals("IP 10.0.0.2 > 10.0.0.1: ICMP 10.0.0.2 udp port 5000 unreachable, length 36",
                TcpdumpFormatter.absolute(icmp(B, A, new Icmpv4Repr.DestinationUnreachable(3, 0, quoted))));
    }

    @Test
    void laterFragmentPrintsItsProtocolOnly() {
        Ipv4Repr fragment = new Ipv4Repr(A, B, Ipv4Packet.PROTO_TCP, 64, 16, 77, false, false, 32, 0, 0);
        MemorySegment packet = MemorySegment.ofArray(new byte[fragment.bufferLength()]);
        fragment.emit(packet);
        assertEquals("IP 10.0.0.1 > 10.0.0.2: ip-proto-6", TcpdumpFormatter.absolute(packet));
    }

    @Test
    void capturedBytesShorterThanTotalLengthPrintTruncatedIp() {
        MemorySegment packet = tcp(A, B, segment(1, 2, 3, 4, TcpPacket.ACK, "x".repeat(20)));
        assertEquals("IP truncated-ip - 20 bytes missing! 10.0.0.1.1 > 10.0.0.2.2: Flags [.], seq 3:23, ack 4, "
                + "win 1000, length 20", TcpdumpFormatter.absolute(packet.asSlice(0, 40)));
    }

    @Test
    void ipv6LinesNameExtensionHeaders() {
        byte[] tcp = Arrays.copyOfRange(Vectors.bytes(Vectors.IPV6_SYN), 40, 80);
        assertEquals("IP6 2001:618:400::5199:cc70.35997 > 2001:618:1:8000::5.80: Flags [S], seq 1792126180, win 5680, "
                + "options [mss 1420,sackOK,TS val 14491345 ecr 0,nop,wscale 2], length 0",
                TcpdumpFormatter.absolute(Vectors.segment(Vectors.IPV6_SYN)));
        assertEquals("IP6 2001:db8::1 > 2001:db8::2: HBH 35997 > 80: Flags [S], seq 1792126180, win 5680, "
                + "options [mss 1420,sackOK,TS val 14491345 ecr 0,nop,wscale 2], length 0",
                TcpdumpFormatter.absolute(ipv6(0, concat(Vectors.bytes("0600 0104 0000 0000"), tcp))));
        assertEquals("IP6 2001:db8::1 > 2001:db8::2: frag (8|16)",
                TcpdumpFormatter.absolute(ipv6(44, concat(Vectors.bytes("0600 0008 0000 0009"), new byte[16]))));
        assertEquals("IP6 2001:db8::1 > 2001:db8::2: no next header", TcpdumpFormatter.absolute(ipv6(59, new byte[0])));
        assertEquals("IP6 2001:db8::1 > 2001:db8::2: ICMP6, echo request, id 1, seq 2, length 16",
                TcpdumpFormatter.absolute(ipv6(58, Vectors.bytes("8000 0000 0001 0002 7070 7070 7070 7070"))));
    }

    @Test
    void badTcpDataOffsetPrintsTcpdumpsBadHeaderNote() {
        byte[] segment = new byte[24];
        MemorySegment tcp = MemorySegment.ofArray(segment);
        segment(40000, 80, 1, 5, TcpPacket.ACK, "abcd").emit(TcpPacket.unchecked(tcp), A, B);
        segment[12] = 0x40;
        assertEquals("IP 10.0.0.1.40000 > 10.0.0.2.80:  tcp 8 [bad hdr length 16 - too short, < 20]",
                TcpdumpFormatter.absolute(ipv4(A, B, Ipv4Packet.PROTO_TCP, segment)));
    }

    /** The formatter's own wording (tcpdump prints "IP bad-hlen 16", "unknown ip 7"). */
    @Test
    void malformedIpPrintsTheReason() {
        byte[] packet = Vectors.bytes(Vectors.LINUX_SYN);
        packet[0] = 0x44;
        assertEquals("IP 127.0.0.1 > 127.0.0.1: [malformed: IPv4 IHL below 5 (20 bytes)]",
                TcpdumpFormatter.absolute(MemorySegment.ofArray(packet)));
        assertEquals("[malformed: IP version is neither 4 nor 6]",
                TcpdumpFormatter.absolute(MemorySegment.ofArray(new byte[] {0x75, 0})));
        assertEquals("[malformed: buffer shorter than the fixed header]",
                new TcpdumpFormatter().format(MemorySegment.ofArray(new byte[0])));
        assertEquals("IP [malformed: buffer shorter than the fixed header]",
                TcpdumpFormatter.absolute(MemorySegment.ofArray(new byte[] {0x45, 0, 0})));
    }

    private static TcpRepr segment(int srcPort, int dstPort, int seq, int ack, int flags, String data) {
        return new TcpRepr(srcPort, dstPort, seq, ack, flags, 1000, 0, List.of(), MemorySegment.ofArray(data.getBytes()));
    }

    private static String withOptions(String options) {
        byte[] bytes = Vectors.bytes(options);
        byte[] segment = new byte[20 + bytes.length];
        segment(40000, 80, 1, 5, TcpPacket.ACK, "").emit(TcpPacket.unchecked(MemorySegment.ofArray(segment).asSlice(0, 20)), A, B);
        segment[12] = (byte) ((20 + bytes.length) / 4 << 4);
        System.arraycopy(bytes, 0, segment, 20, bytes.length);
        return TcpdumpFormatter.absolute(ipv4(A, B, Ipv4Packet.PROTO_TCP, segment));
    }

    static MemorySegment tcp(int src, int dst, TcpRepr repr) {
        byte[] segment = new byte[repr.bufferLength()];
        repr.emit(TcpPacket.unchecked(MemorySegment.ofArray(segment)), src, dst);
        return ipv4(src, dst, Ipv4Packet.PROTO_TCP, segment);
    }

    private static MemorySegment icmp(int src, int dst, Icmpv4Repr repr) {
        byte[] message = new byte[repr.bufferLength()];
        repr.emit(Icmpv4Packet.unchecked(MemorySegment.ofArray(message)));
        return ipv4(src, dst, Ipv4Packet.PROTO_ICMP, message);
    }

    private static MemorySegment ipv4(int src, int dst, int protocol, byte[] payload) {
        Ipv4Repr ip = Ipv4Repr.of(src, dst, protocol, 64, payload.length);
        MemorySegment packet = MemorySegment.ofArray(new byte[ip.bufferLength()]);
        ip.emit(packet);
        MemorySegment.copy(MemorySegment.ofArray(payload), 0, packet, ip.headerLength(), payload.length);
        return packet;
    }

    private static MemorySegment ipv6(int nextHeader, byte[] payload) {
        Ipv6Repr ip = new Ipv6Repr(Ipv6Address.parse("2001:db8::1"), Ipv6Address.parse("2001:db8::2"), nextHeader, 64,
                payload.length, 0, 0);
        MemorySegment packet = MemorySegment.ofArray(new byte[ip.bufferLength()]);
        ip.emit(Ipv6Packet.unchecked(packet));
        MemorySegment.copy(MemorySegment.ofArray(payload), 0, packet, ip.headerLength(), payload.length);
        return packet;
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] out = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, out, first.length, second.length);
        return out;
    }
}
