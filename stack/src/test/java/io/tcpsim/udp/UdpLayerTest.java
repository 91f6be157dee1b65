package io.tcpsim.udp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcpsim.wire.Icmpv4Quote;
import io.tcpsim.wire.Ipv4Address;
import io.tcpsim.wire.Ipv4Packet;
import io.tcpsim.wire.UdpRepr;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The UDP layer alone: demultiplexing, binding rules, the receive queue's limit, ICMP errors. */
class UdpLayerTest {
    private static final int STACK = Ipv4Address.parse("10.0.0.2");
    private static final int PEER = Ipv4Address.parse("10.0.0.1");
    private static final int OTHER = Ipv4Address.parse("10.0.0.3");

    private final List<String> sent = new ArrayList<>();
    private final List<String> events = new ArrayList<>();
    private final UdpLayer udp = new UdpLayer(STACK, 32768, 60999, (src, dst, d) ->
            sent.add(Ipv4Address.format(src) + "." + d.srcPort() + " > " + Ipv4Address.format(dst) + "." + d.dstPort()
                    + " " + new String(d.payloadBytes(), StandardCharsets.US_ASCII)));
    private final DatagramListener listener = new DatagramListener() {
        @Override
        public void readable(UdpEndpoint e) {
            events.add("readable " + e.localPort());
        }

        @Override
        public void errorReported(UdpEndpoint e) {
            events.add("error " + e.localPort());
        }
    };

    private UdpEndpoint bound(int addr, int port) {
        UdpEndpoint e = udp.open(listener);
        assertTrue(udp.bind(e, addr, port), "bind " + port);
        return e;
    }

    private boolean deliver(int src, int srcPort, int dstPort, String data) {
        return udp.input(src, STACK, new UdpRepr(srcPort, dstPort,
                MemorySegment.ofArray(data.getBytes(StandardCharsets.US_ASCII))), 0);
    }

    private static String next(UdpEndpoint e) {
        Datagram d = e.take();
        return d == null ? null : new String(d.data(), StandardCharsets.US_ASCII);
    }

    @Test
    void noEndpointOnThePort_inputRefusedAndCountedNoPorts() {
        bound(0, 5000);
        assertFalse(deliver(PEER, 40000, 5001, "x"));
        assertEquals(1, udp.counters().noPorts());
    }

    @Test
    void endpointBoundToTheAddressWinsOverTheWildcardWhateverTheOrder() {
        UdpEndpoint exact = udp.open(listener);
        UdpEndpoint wildcard = udp.open(listener);
        exact.setReuseAddress(true);
        wildcard.setReuseAddress(true);
        assertTrue(udp.bind(exact, STACK, 5000));
        assertTrue(udp.bind(wildcard, 0, 5000));
        deliver(PEER, 40000, 5000, "a");
        assertEquals("a", next(exact));
        assertNull(next(wildcard));
    }

    @Test
    void connectedEndpointWinsOverUnconnectedAndFiltersOtherSources() {
        UdpEndpoint open = udp.open(listener);
        UdpEndpoint connected = udp.open(listener);
        open.setReuseAddress(true);
        connected.setReuseAddress(true);
        udp.bind(open, 0, 5000);
        udp.bind(connected, 0, 5000);
        udp.connect(connected, PEER, 40000);
        deliver(PEER, 40000, 5000, "from peer");
        deliver(OTHER, 40000, 5000, "from other");
        deliver(PEER, 40001, 5000, "other port");
        assertEquals("from peer", next(connected));
        assertNull(next(connected));
        assertEquals("from other", next(open));
        assertEquals("other port", next(open));
    }

    @Test
    void connectedEndpointAlone_otherSourceHasNoPort() {
        UdpEndpoint e = bound(0, 5000);
        udp.connect(e, PEER, 40000);
        assertFalse(deliver(OTHER, 40000, 5000, "x"));
        assertTrue(deliver(PEER, 40000, 5000, "y"));
    }

    @Test
    void twoReuseaddrWildcardEndpoints_theNewestGetsTheDatagrams() {
        UdpEndpoint first = udp.open(listener);
        UdpEndpoint second = udp.open(listener);
        first.setReuseAddress(true);
        second.setReuseAddress(true);
        udp.bind(first, 0, 5000);
        udp.bind(second, 0, 5000);
        deliver(PEER, 40000, 5000, "x");
        assertEquals("x", next(second));
        assertNull(next(first));
    }

    @Test
    void reuseportGroup_eachFlowStaysOnOneEndpointAndFlowsAreSpread() {
        List<UdpEndpoint> group = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            UdpEndpoint e = udp.open(listener);
            e.setReusePort(true);
            assertTrue(udp.bind(e, 0, 5000));
            group.add(e);
        }
        Set<UdpEndpoint> used = new HashSet<>();
        for (int port = 40000; port < 40064; port++) {
            deliver(PEER, port, 5000, "1");
            deliver(PEER, port, 5000, "2");
            UdpEndpoint taker = group.stream().filter(e -> e.queuedDatagrams() > 0).findFirst().orElseThrow();
            assertEquals(2, taker.queuedDatagrams(), "both datagrams of flow " + port + " on one endpoint");
            taker.take();
            taker.take();
            used.add(taker);
        }
        assertTrue(used.size() > 1, "flows spread over the group");
    }

    /** Linux udp_lib_lport_inuse(): conflict unless both SO_REUSEADDR or both SO_REUSEPORT. */
    @ParameterizedTest(name = "{0} then {1}: {2}")
    @CsvSource({
        "any,          any,          false",
        "any+addr,     any+addr,     true",
        "any+addr,     any,          false",
        "any+port,     any+port,     true",
        "any+port,     any+addr,     false",
        "stack,        any,          false",
        "any,          stack,        false",
        "stack+addr,   any+addr,     true",
        "any+addr+port, any+port,    true",
        "10.0.0.2,     10.0.0.2,     false",
    })
    void bindRules(String first, String second, boolean bothBind) {
        UdpEndpoint a = configured(first);
        UdpEndpoint b = configured(second);
        assertTrue(udp.bind(a, address(first), 5000));
        assertEquals(bothBind, udp.bind(b, address(second), 5000));
    }

    private UdpEndpoint configured(String spec) {
        UdpEndpoint e = udp.open(listener);
        e.setReuseAddress(spec.contains("+addr"));
        e.setReusePort(spec.contains("+port"));
        return e;
    }

    private static int address(String spec) {
        return spec.startsWith("any") ? 0 : STACK;
    }

    @Test
    void portZero_picksAFreeEphemeralPortAroundTakenOnes() {
        UdpLayer narrow = new UdpLayer(STACK, 50000, 50002, (src, dst, d) -> { });
        Set<Integer> ports = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            UdpEndpoint e = narrow.open(listener);
            assertTrue(narrow.bind(e, 0, 0));
            ports.add(e.localPort());
        }
        assertEquals(Set.of(50000, 50001, 50002), ports);
        assertFalse(narrow.bind(narrow.open(listener), 0, 0), "the range is exhausted");
        assertFalse(narrow.autobind(narrow.open(listener)));
    }

    @Test
    void sendFromWildcardUsesTheStackAddressAndCountsOutDatagrams() {
        UdpEndpoint e = bound(0, 5000);
        byte[] data = "xhellox".getBytes(StandardCharsets.US_ASCII);
        udp.send(e, PEER, 7, data, 1, 5);
        assertEquals(List.of("10.0.0.2.5000 > 10.0.0.1.7 hello"), sent);
        assertEquals(1, udp.counters().outDatagrams());
    }

    /** Linux 6.18: queued while the truesize fits the buffer, or when the queue is empty. */
    @Test
    void receiveQueue_acceptsWhatFitsItsTruesizeThenDropsAndCountsRcvbufErrors() {
        UdpEndpoint e = bound(0, 5000);
        e.setRcvBuf(4000);
        for (int i = 0; i < 8; i++) {
            deliver(PEER, 40000, 5000, "hello");
        }
        assertEquals(4, e.queuedDatagrams(), "4 x 832 <= 4000 < 5 x 832");
        assertEquals(4 * 832, e.rmemAlloc());
        assertEquals(4, udp.counters().rcvbufErrors());
        assertEquals(4, udp.counters().inErrors());
        e.take();
        deliver(PEER, 40000, 5000, "hello");
        assertEquals(4, e.queuedDatagrams(), "a read makes room at once");
    }

    @Test
    void receiveQueue_oneDatagramLargerThanTheBufferGetsInWhenTheQueueIsEmpty() {
        UdpEndpoint e = bound(0, 5000);
        e.setRcvBuf(2304);
        String big = "x".repeat(3000);
        deliver(PEER, 40000, 5000, big);
        deliver(PEER, 40000, 5000, "small");
        assertEquals(1, e.queuedDatagrams());
        assertEquals(big, next(e));
    }

    @Test
    void inDatagramsCountsReadsNotArrivalsOrPeeks() {
        UdpEndpoint e = bound(0, 5000);
        deliver(PEER, 40000, 5000, "a");
        deliver(PEER, 40000, 5000, "b");
        assertEquals(0, udp.counters().inDatagrams());
        assertEquals("a", new String(e.peek().data(), StandardCharsets.US_ASCII));
        assertEquals(0, udp.counters().inDatagrams());
        next(e);
        assertEquals(1, udp.counters().inDatagrams());
        assertEquals(List.of("readable 5000", "readable 5000"), events);
    }

    @Test
    void datagramKeepsItsSourceAndACopyOfItsBytes() {
        UdpEndpoint e = bound(0, 5000);
        byte[] payload = "abc".getBytes(StandardCharsets.US_ASCII);
        udp.input(PEER, STACK, new UdpRepr(40000, 5000, MemorySegment.ofArray(payload)), 0);
        payload[0] = 'z';
        Datagram d = e.take();
        assertEquals(PEER, d.srcAddr());
        assertEquals(40000, d.srcPort());
        assertArrayEquals("abc".getBytes(StandardCharsets.US_ASCII), d.data());
    }

    /** Linux icmp_err_convert[]: the hard codes become the pending error of a connected endpoint. */
    @ParameterizedTest(name = "code {0}: {1}")
    @CsvSource({"3, ECONNREFUSED", "2, ENOPROTOOPT", "4, EMSGSIZE", "6, ENETUNREACH", "9, ENETUNREACH",
        "7, EHOSTDOWN", "8, ENONET", "10, EHOSTUNREACH", "13, EHOSTUNREACH", "15, EHOSTUNREACH"})
    void hardIcmpErrors_becomeTheConnectedEndpointsPendingError(int code, UdpError expected) {
        UdpEndpoint e = bound(0, 5000);
        udp.connect(e, PEER, 7);
        udp.icmpUnreachable(quote(STACK, 5000, PEER, 7), code);
        assertTrue(e.hasError());
        assertEquals(List.of("error 5000"), events);
        assertEquals(expected, e.takeError());
        assertFalse(e.hasError(), "sock_error() clears it");
    }

    @ParameterizedTest(name = "code {0}")
    @CsvSource({"0", "1", "5", "11", "12", "16"})
    void softIcmpErrors_areIgnoredWithoutIpRecverr(int code) {
        UdpEndpoint e = bound(0, 5000);
        udp.connect(e, PEER, 7);
        udp.icmpUnreachable(quote(STACK, 5000, PEER, 7), code);
        assertFalse(e.hasError());
    }

    @Test
    void portUnreachable_unconnectedOrOtherPeer_isIgnored() {
        UdpEndpoint unconnected = bound(0, 5000);
        udp.icmpUnreachable(quote(STACK, 5000, PEER, 7), 3);
        assertFalse(unconnected.hasError());
        UdpEndpoint connected = bound(0, 5001);
        udp.connect(connected, PEER, 7);
        udp.icmpUnreachable(quote(STACK, 5001, PEER, 8), 3);
        assertFalse(connected.hasError(), "the quote names another peer port");
    }

    @Test
    void disconnect_releasesWhatAutobindChoseAndKeepsWhatBindChose() {
        UdpEndpoint auto = udp.open(listener);
        assertTrue(udp.autobind(auto));
        udp.connect(auto, PEER, 7);
        assertEquals(STACK, auto.localAddr(), "connect takes the route's source address");
        udp.disconnect(auto);
        assertEquals(0, auto.localAddr());
        assertEquals(0, auto.localPort());
        assertFalse(auto.isBound());
        assertFalse(auto.isConnected());

        UdpEndpoint port = bound(0, 5000);
        udp.connect(port, PEER, 7);
        udp.disconnect(port);
        assertEquals(0, port.localAddr());
        assertEquals(5000, port.localPort());
        assertSame(port, lookupBy(5000));

        UdpEndpoint address = bound(STACK, 0);
        udp.connect(address, PEER, 7);
        udp.disconnect(address);
        assertEquals(STACK, address.localAddr());
        assertEquals(0, address.localPort());
    }

    @Test
    void close_releasesThePortAndDropsTheQueue() {
        UdpEndpoint e = bound(0, 5000);
        deliver(PEER, 40000, 5000, "x");
        udp.close(e);
        assertEquals(0, e.queuedDatagrams());
        assertEquals(0, e.rmemAlloc());
        assertTrue(udp.bind(udp.open(listener), 0, 5000), "the port is free again");
        assertEquals(1, udp.endpoints().size());
    }

    /** The truesize table against the values measured on Linux 6.18 over loopback. */
    @ParameterizedTest(name = "{0} bytes: {1}")
    @CsvSource({"0, 832", "197, 832", "198, 1280", "645, 1280", "646, 2304", "1472, 2304", "1669, 2304",
        "1670, 4352", "3718, 8448", "7814, 16640", "16004, 16640", "16005, 16837", "65507, 66339"})
    void truesizeMatchesLinux(int payload, int truesize) {
        assertEquals(truesize, Truesize.of(payload));
    }

    private UdpEndpoint lookupBy(int port) {
        deliver(PEER, 40000, port, "probe");
        return udp.endpoints().stream().filter(e -> e.queuedDatagrams() > 0).findFirst().orElse(null);
    }

    private static Icmpv4Quote quote(int src, int srcPort, int dst, int dstPort) {
        return new Icmpv4Quote(src, dst, Ipv4Packet.PROTO_UDP, 33, srcPort, dstPort, 0);
    }
}
