package io.tcpsim.tcp;

import static io.tcpsim.testsupport.RawPacket.ACK;
import static io.tcpsim.testsupport.RawPacket.FIN;
import static io.tcpsim.testsupport.RawPacket.RST;
import static io.tcpsim.testsupport.RawPacket.SYN;
import static io.tcpsim.testsupport.RawPacket.URG;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcpsim.ip.IpDrop;
import io.tcpsim.testsupport.RawPacket;
import io.tcpsim.wire.Icmpv4Packet;
import io.tcpsim.wire.Ipv4Address;
import io.tcpsim.wire.Ipv4Packet;
import java.lang.foreign.MemorySegment;
import io.tcpsim.wire.Malformed;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The malformed-input table of docs/robustness.md, one test per class of bad input, each sent
 * through the whole stack (IP layer up) next to an established connection: what Linux does (the
 * function is named in the table), what tcpsim does, and the counter that records it. After each,
 * the stack caught no exception of its own ({@link LiveStack#internalErrors}) and the connection's
 * invariants hold ({@link TcbInvariants}).
 */
class MalformedInputTest {
    private static final byte[] TEN = "0123456789".getBytes(StandardCharsets.US_ASCII);

    private final LiveStack live = new LiveStack();
    private final TcpConnection c = live.establish();

    @AfterEach
    void soundAfterwards() {
        assertEquals(0, live.internalErrors(), "no exception inside the stack");
        assertEquals(List.of(), TcbInvariants.violations(c));
        live.close();
    }

    // IPv4 header

    @Test
    void ipVersionNeitherFourNorSix() {
        byte[] p = data().bytes();
        p[0] = 0x55;
        assertMalformed(p, Malformed.IPV4_BAD_VERSION);
    }

    @Test
    void ihlBelowFive() {
        assertMalformed(data().ihl(4).bytes(), Malformed.IPV4_BAD_IHL);
    }

    @Test
    void totalLengthBelowTwenty() {
        byte[] p = data().bytes();
        assertMalformed(withTotalLength(p, 19), Malformed.IPV4_TOTAL_LENGTH_TOO_SHORT);
    }

    @Test
    void totalLengthLongerThanTheBuffer() {
        assertMalformed(data().totalLengthDelta(1).bytes(), Malformed.IPV4_TOTAL_LENGTH_PAST_BUFFER);
    }

    @Test
    void totalLengthShorterThanTheBufferTrimsTheTail() {
        byte[] p = data().bytes();
        byte[] padded = Arrays.copyOf(p, p.length + 6); // Ethernet-style padding after the datagram
        assertTrue(live.input(padded).size() <= 1);
        assertReceived(TEN);
    }

    @Test
    void ihlPastTheTotalLength() {
        assertMalformed(LiveStack.next(c).ihl(15).bytes(), Malformed.IPV4_IHL_PAST_TOTAL_LENGTH);
    }

    @Test
    void ipHeaderChecksumWrong() {
        assertMalformed(data().badIpChecksum().bytes(), Malformed.IPV4_BAD_CHECKSUM);
    }

    @Test
    void fragmentWithMoreFragmentsSet_queuedThenTimeExceededAfter30s() {
        int before = c.rcvNxt();
        assertEquals(List.of(), live.input(data().fragment(0x2000).bytes()), "queued, nothing sent back");
        assertEquals(before, c.rcvNxt());
        List<byte[]> out = live.advance(TimeUnit.SECONDS.toNanos(30));
        assertEquals(1, out.stream().filter(MalformedInputTest::isReassemblyTimeExceeded).count(),
                "ip_expire(): time exceeded code 1 when the first fragment came");
        assertEquals(1, live.ipCounters().reassembly4().timeouts());
        assertEquals(before, c.rcvNxt());
    }

    @Test
    void fragmentWithAnOffset_queuedThenTimedOutQuietly() {
        int before = c.rcvNxt();
        assertEquals(List.of(), live.input(data().fragment(0x0010).bytes()), "queued, nothing sent back");
        List<byte[]> out = live.advance(TimeUnit.SECONDS.toNanos(30));
        assertEquals(0, out.stream().filter(MalformedInputTest::isReassemblyTimeExceeded).count(),
                "no first fragment, no time exceeded");
        assertEquals(1, live.ipCounters().reassembly4().timeouts());
        assertEquals(before, c.rcvNxt());
    }

    @Test
    void segmentInTwoFragments_reassembledAndDelivered() {
        byte[] whole = data().bytes();
        live.input(fragmentOf(whole, 0, 24, true));
        live.input(fragmentOf(whole, 24, whole.length - 20, false));
        assertReceived(TEN);
        assertEquals(1, live.ipCounters().reassembly4().oks());
    }

    /** Bytes {@code [from, to)} of {@code whole}'s payload as a fragment with {@code whole}'s header. */
    private static byte[] fragmentOf(byte[] whole, int from, int to, boolean more) {
        byte[] out = new byte[20 + to - from];
        System.arraycopy(whole, 0, out, 0, 20);
        System.arraycopy(whole, 20 + from, out, 20, to - from);
        Ipv4Packet ip = Ipv4Packet.unchecked(MemorySegment.ofArray(out));
        ip.setTotalLength(out.length);
        ip.setFlagsAndFragmentOffset(false, more, from);
        ip.fillChecksum();
        return out;
    }

    private static boolean isReassemblyTimeExceeded(byte[] packet) {
        Ipv4Packet ip = Ipv4Packet.unchecked(MemorySegment.ofArray(packet));
        return ip.protocol() == Ipv4Packet.PROTO_ICMP
                && Byte.toUnsignedInt(packet[ip.headerLength()]) == Icmpv4Packet.TYPE_TIME_EXCEEDED
                && packet[ip.headerLength() + 1] == 1;
    }

    @Test
    void ttlZeroIsDeliveredAsLinuxDoes() {
        live.input(data().ttl(0).bytes());
        assertReceived(TEN);
        assertEquals(0, live.ipCounters().totalDropped());
    }

    @Test
    void multicastSource() {
        assertIpDropped(data().src(Ipv4Address.parse("224.0.0.5")).bytes(), IpDrop.BAD_SOURCE);
    }

    @Test
    void broadcastSource() {
        assertIpDropped(data().src(Ipv4Address.parse("255.255.255.255")).bytes(), IpDrop.BAD_SOURCE);
    }

    @Test
    void loopbackSource() {
        assertIpDropped(data().src(Ipv4Address.parse("127.0.0.1")).bytes(), IpDrop.BAD_SOURCE);
    }

    @Test
    void zeroSource() {
        assertIpDropped(data().src(0).bytes(), IpDrop.BAD_SOURCE);
    }

    @Test
    void landSourceEqualsDestination() {
        byte[] land = new RawPacket(LiveStack.LOCAL, LiveStack.PORT, LiveStack.LOCAL, LiveStack.PORT).seq(1)
                .flags(SYN).bytes();
        assertIpDropped(land, IpDrop.BAD_SOURCE);
        assertEquals(1, live.tcp().connections().size(), "no half-open connection to itself");
    }

    @Test
    void destinationNotOurs() {
        assertIpDropped(data().dst(Ipv4Address.parse("10.0.0.9")).bytes(), IpDrop.NOT_OUR_ADDRESS);
    }

    @Test
    void broadcastDestination() {
        assertIpDropped(data().dst(Ipv4Address.parse("255.255.255.255")).bytes(), IpDrop.NOT_OUR_ADDRESS);
    }

    @Test
    void unknownProtocol() {
        assertIpDropped(data().protocol(253).bytes(), IpDrop.UNKNOWN_PROTOCOL);
    }

    @Test
    void ipv6WithNoIpv6AddressConfigured() {
        byte[] p = new byte[40];
        p[0] = 0x60;
        assertIpDropped(p, IpDrop.IPV6_NOT_CONFIGURED);
    }

    // TCP header

    @Test
    void tcpHeaderCutShortIsDiscardedWithoutInErrs() {
        byte[] p = withTotalLength(Arrays.copyOf(data().bytes(), 20 + 12), 32);
        assertMalformed(p, Malformed.TRUNCATED);
        assertEquals(0, live.tcpCounters().inErrs(), "Linux: discard_it, no TcpInErrs");
    }

    @Test
    void dataOffsetBelowFive() {
        assertMalformed(data().dataOffset(4).bytes(), Malformed.TCP_BAD_DATA_OFFSET);
        assertEquals(1, live.tcpCounters().inErrs(), "Linux: bad_packet, TcpInErrs");
    }

    @Test
    void dataOffsetPastThePacket() {
        assertMalformed(LiveStack.next(c).dataOffset(15).bytes(), Malformed.TCP_DATA_OFFSET_PAST_PACKET);
        assertEquals(0, live.tcpCounters().inErrs(), "Linux: discard_it, no TcpInErrs");
    }

    @Test
    void tcpChecksumWrong() {
        assertMalformed(data().badTcpChecksum().bytes(), Malformed.TCP_BAD_CHECKSUM);
        assertEquals(1, live.tcpCounters().inErrs());
        assertEquals(1, live.tcpCounters().snapshot().get("TcpInCsumErrors"));
    }

    // TCP options: Linux tcp_parse_options() stops or skips, and the segment is processed

    @Test
    void optionLengthZero() {
        assertOptionsIgnored(new byte[] {8, 0, 1, 1}, Malformed.TCP_OPTION_LENGTH_INVALID);
    }

    @Test
    void optionLengthOne() {
        assertOptionsIgnored(new byte[] {(byte) 0xFE, 1, 1, 1}, Malformed.TCP_OPTION_LENGTH_INVALID);
    }

    @Test
    void optionPastTheHeader() {
        assertOptionsIgnored(new byte[] {1, 1, (byte) 0xFE, 9}, Malformed.TCP_OPTION_PAST_HEADER);
    }

    @Test
    void timestampsOptionOfTheWrongLength() {
        assertOptionsIgnored(new byte[] {8, 6, 0, 0, 0, 1}, Malformed.TCP_OPTION_BAD_TIMESTAMPS_LENGTH);
    }

    @Test
    void sackOptionOfTheWrongLength() {
        assertOptionsIgnored(new byte[] {1, 1, 5, 7, 0, 0, 0, 0, 0}, Malformed.TCP_OPTION_BAD_SACK_LENGTH);
    }

    @Test
    void mssOptionOfTheWrongLengthInASynIsIgnored() {
        TcpConnection other = openFrom(40_001, new byte[] {2, 3, 5, 1, 1, 1, 3, 3, 7});
        assertEquals(536, other.sndMss(), "no usable MSS option: RFC 9293 §3.7.1's 536");
        assertEquals(7, other.sndWscale(), "the options after it are read");
        assertEquals(1, live.ipCounters().optionsIgnored(Malformed.TCP_OPTION_BAD_MSS_LENGTH));
    }

    @Test
    void windowScaleOptionOfTheWrongLengthInASynIsIgnored() {
        TcpConnection other = openFrom(40_002, new byte[] {2, 4, 5, (byte) 0xB4, 3, 4, 7, 0});
        assertEquals(0, other.sndWscale());
        assertEquals(1460, other.sndMss());
        assertEquals(1, live.ipCounters().optionsIgnored(Malformed.TCP_OPTION_BAD_WINDOW_SCALE_LENGTH));
    }

    @Test
    void windowScaleAboveFourteenIsUsedAsFourteen() {
        TcpConnection other = openFrom(40_003, new byte[] {2, 4, 5, (byte) 0xB4, 1, 3, 3, 15});
        assertEquals(TcpConfig.MAX_WINDOW_SCALE, other.sndWscale());
        assertEquals(0, live.ipCounters().totalDropped());
    }

    // TCP flags

    @Test
    void synFinToAListener() {
        long before = live.tcpCounters().dropped(TcpDrop.TCP_FLAGS);
        assertEquals(List.of(), live.input(fromPort(40_010).seq(1).flags(SYN | FIN).bytes()));
        assertEquals(before + 1, live.tcpCounters().dropped(TcpDrop.TCP_FLAGS));
        assertEquals(1, live.tcp().connections().size());
    }

    @Test
    void synFinOnAnEstablishedConnectionGetsAChallengeAck() {
        long before = live.tcpCounters().challengeAcks();
        assertEquals(1, live.input(LiveStack.next(c).flags(SYN | FIN).bytes()).size());
        assertEquals(before + 1, live.tcpCounters().challengeAcks());
        assertEquals(TcpState.ESTABLISHED, c.state());
    }

    @Test
    void synRstToAListener() {
        assertEquals(List.of(), live.input(fromPort(40_011).seq(1).flags(SYN | RST).bytes()));
        assertEquals(1, live.tcpCounters().dropped(TcpDrop.TCP_RESET));
    }

    @Test
    void synRstAtRcvNxtResetsAsARst() {
        live.input(LiveStack.next(c).flags(SYN | RST).bytes());
        assertEquals(TcpState.CLOSED, c.state(), "Linux tcp_validate_incoming(): the RST check comes first");
        assertEquals(1, live.tcpCounters().estabResets());
    }

    @Test
    void noFlagsOnAnEstablishedConnection() {
        assertEquals(List.of(), live.input(data().flags(0).bytes()));
        assertEquals(1, live.tcpCounters().dropped(TcpDrop.TCP_FLAGS));
        assertEquals(0, c.readable());
    }

    @Test
    void noFlagsToAListener() {
        assertEquals(List.of(), live.input(fromPort(40_012).seq(1).flags(0).bytes()));
        assertEquals(1, live.tcpCounters().dropped(TcpDrop.TCP_FLAGS));
    }

    @Test
    void noFlagsToAClosedPortGetsARst() {
        List<byte[]> out = live.input(fromPort(40_013).dstPort(81).seq(1).flags(0).bytes());
        assertEquals(1, out.size());
        assertEquals(RST | ACK, out.getFirst()[33] & 0xFF);
        assertEquals(1, live.tcpCounters().dropped(TcpDrop.NO_SOCKET));
    }

    @Test
    void rstToAClosedPortIsNotAnswered() {
        assertEquals(List.of(), live.input(fromPort(40_014).dstPort(81).seq(1).flags(RST).bytes()));
        assertEquals(1, live.tcpCounters().dropped(TcpDrop.NO_SOCKET));
        assertEquals(0, live.tcpCounters().outRsts());
    }

    @Test
    void destinationPortZeroFindsNoSocket() {
        List<byte[]> out = live.input(fromPort(40_015).dstPort(0).seq(1).flags(SYN).bytes());
        assertEquals(1, out.size(), "a RST, as for any port without a socket");
        assertEquals(1, live.tcpCounters().dropped(TcpDrop.NO_SOCKET));
    }

    @Test
    void urgentPointerPastTheData() {
        live.input(data().flags(ACK | URG).urgentPointer(5000).bytes());
        assertReceived(TEN);
        assertEquals(TcpState.ESTABLISHED, c.state());
    }

    // sequence space

    @Test
    void segmentFarOutsideTheWindowGetsADuplicateAck() {
        assertEquals(1, live.input(LiveStack.next(c).seq(c.rcvNxt() + (1 << 30)).payload(TEN).bytes()).size());
        assertEquals(1, live.tcpCounters().dropped(TcpDrop.TCP_INVALID_SEQUENCE));
        assertEquals(0, c.readable());
    }

    @Test
    void ackOfDataNeverSent() {
        assertEquals(List.of(), live.input(data().ack(c.sndNxt() + 100_000).bytes()));
        assertEquals(1, live.tcpCounters().dropped(TcpDrop.TCP_ACK_UNSENT_DATA));
        assertEquals(0, c.readable(), "Linux tcp_ack(): the whole segment is dropped");
    }

    @Test
    void transferAcrossTheSignedAndUnsignedWrapOfSequenceNumbers() {
        int port = 40_100;
        for (int iss : new int[] {0x7FFF_F000, 0xFFFF_F000}) {
            TcpConnection w = openFrom(++port, LiveStack.SYN_OPTIONS, iss);
            byte[] sent = new byte[64 * 1000];
            Arrays.fill(sent, (byte) 7);
            for (int i = 0; i < 64; i++) {
                sent[i * 1000] = (byte) i;
                live.input(LiveStack.next(w).srcPort(port)
                        .payload(Arrays.copyOfRange(sent, i * 1000, (i + 1) * 1000)).bytes());
                byte[] got = new byte[1000];
                assertEquals(1000, w.read(got, 0, got.length, live.now()));
                assertArrayEquals(Arrays.copyOfRange(sent, i * 1000, (i + 1) * 1000), got);
            }
            assertEquals(iss + 1 + 64_000, w.rcvNxt());
            assertEquals(List.of(), TcbInvariants.violations(w));
            w.abort(live.now());
            live.poll(); // the RST
        }
    }

    private RawPacket data() {
        return LiveStack.next(c).payload(TEN);
    }

    private static RawPacket fromPort(int port) {
        return LiveStack.fromPeer().srcPort(port);
    }

    /** A connection from the peer's {@code port} whose SYN carries {@code synOptions}. */
    private TcpConnection openFrom(int port, byte[] synOptions) {
        return openFrom(port, synOptions, 1000);
    }

    private TcpConnection openFrom(int port, byte[] synOptions, int peerIss) {
        List<byte[]> synAck = live.input(fromPort(port).seq(peerIss).flags(SYN).options(synOptions).bytes());
        assertEquals(1, synAck.size(), "a SYN-ACK");
        int iss = RawPacket.get32(synAck.getFirst(), 24);
        live.input(fromPort(port).seq(peerIss + 1).ack(iss + 1).flags(ACK).bytes());
        TcpConnection accepted = live.listener().accept();
        assertEquals(port, accepted.tuple().remotePort());
        return accepted;
    }

    private void assertReceived(byte[] expected) {
        byte[] got = new byte[64];
        int n = c.read(got, 0, got.length, live.now());
        assertArrayEquals(expected, Arrays.copyOf(got, Math.max(n, 0)));
    }

    private void assertOptionsIgnored(byte[] options, Malformed reason) {
        live.input(data().options(options).bytes());
        assertReceived(TEN);
        assertEquals(1, live.ipCounters().optionsIgnored(reason), reason.name());
        assertEquals(0, live.ipCounters().totalDropped(), "the segment was processed");
    }

    private void assertIpDropped(byte[] packet, IpDrop reason) {
        int before = c.rcvNxt();
        assertEquals(List.of(), live.input(packet), "nothing sent back");
        assertEquals(1, live.ipCounters().dropped(reason), reason.name());
        assertEquals(before, c.rcvNxt());
    }

    private void assertMalformed(byte[] packet, Malformed reason) {
        int before = c.rcvNxt();
        assertEquals(List.of(), live.input(packet), "nothing sent back");
        assertEquals(1, live.ipCounters().malformed(reason), reason.name());
        assertEquals(before, c.rcvNxt());
    }

    /** {@code p} with its total length field set to {@code length} and the header checksum refilled. */
    private static byte[] withTotalLength(byte[] p, int length) {
        p[2] = (byte) (length >>> 8);
        p[3] = (byte) length;
        p[10] = 0;
        p[11] = 0;
        int sum = ~RawPacket.onesSum(p, 0, 20, 0) & 0xFFFF;
        p[10] = (byte) (sum >>> 8);
        p[11] = (byte) sum;
        return p;
    }
}
