package io.tcpsim.udp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcpsim.wire.IpAddress;
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
    private static final IpAddress STACK = IpAddress.parse("10.0.0.2");
    private static final IpAddress PEER = IpAddress.parse("10.0.0.1");
    private static final IpAddress OTHER = IpAddress.parse("10.0.0.3");
    private static final IpAddress ANY = IpAddress.ANY_IPV4;
    private static final IpAddress STACK6 = IpAddress.parse("fd00::2");

    private final List<String> sent = new ArrayList<>();
    private final List<String> events = new ArrayList<>();
    private final UdpLayer udp = new UdpLayer(STACK, STACK6, 32768, 60999, (src, dst, d) ->
            sent.add(src + "." + d.srcPort() + " > " + dst + "." + d.dstPort()
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

    private UdpEndpoint bound(IpAddress addr, int port) {
        UdpEndpoint e = udp.open(listener, false);
        assertTrue(udp.bind(e, addr, port), "bind " + port);
        return e;
    }

    private boolean deliver(IpAddress src, int srcPort, int dstPort, String data) {
        return udp.input(src, STACK, new UdpRepr(srcPort, dstPort,
                MemorySegment.ofArray(data.getBytes(StandardCharsets.US_ASCII))), 0);
    }

    private static String next(UdpEndpoint e) {
        Datagram d = e.take();
        return d == null ? null : new String(d.data(), StandardCharsets.US_ASCII);
    }

    @Test
    void noEndpointOnThePort_inputRefusedAndCountedNoPorts() {
        bound(ANY, 5000);
        assertFalse(deliver(PEER, 40000, 5001, "x"));
        assertEquals(1, udp.counters().noPorts());
    }

    @Test
    void endpointBoundToTheAddressWinsOverTheWildcardWhateverTheOrder() {
        UdpEndpoint exact = udp.open(listener, false);
        UdpEndpoint wildcard = udp.open(listener, false);
        exact.setReuseAddress(true);
        wildcard.setReuseAddress(true);
        assertTrue(udp.bind(exact, STACK, 5000));
        assertTrue(udp.bind(wildcard, ANY, 5000));
        deliver(PEER, 40000, 5000, "a");
        assertEquals("a", next(exact));
        assertNull(next(wildcard));
    }

    @Test
    void connectedEndpointWinsOverUnconnectedAndFiltersOtherSources() {
        UdpEndpoint open = udp.open(listener, false);
        UdpEndpoint connected = udp.open(listener, false);
        open.setReuseAddress(true);
        connected.setReuseAddress(true);
        udp.bind(open, ANY, 5000);
        udp.bind(connected, ANY, 5000);
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
        UdpEndpoint e = bound(ANY, 5000);
        udp.connect(e, PEER, 40000);
        assertFalse(deliver(OTHER, 40000, 5000, "x"));
        assertTrue(deliver(PEER, 40000, 5000, "y"));
    }

    @Test
    void twoReuseaddrWildcardEndpoints_theNewestGetsTheDatagrams() {
        UdpEndpoint first = udp.open(listener, false);
        UdpEndpoint second = udp.open(listener, false);
        first.setReuseAddress(true);
        second.setReuseAddress(true);
        udp.bind(first, ANY, 5000);
        udp.bind(second, ANY, 5000);
        deliver(PEER, 40000, 5000, "x");
        assertEquals("x", next(second));
        assertNull(next(first));
    }

    @Test
    void reuseportGroup_eachFlowStaysOnOneEndpointAndFlowsAreSpread() {
        List<UdpEndpoint> group = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            UdpEndpoint e = udp.open(listener, false);
            e.setReusePort(true);
            assertTrue(udp.bind(e, ANY, 5000));
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
        UdpEndpoint e = udp.open(listener, false);
        e.setReuseAddress(spec.contains("+addr"));
        e.setReusePort(spec.contains("+port"));
        return e;
    }

    private static IpAddress address(String spec) {
        return spec.startsWith("any") ? ANY : STACK;
    }

    @Test
    void portZero_picksAFreeEphemeralPortAroundTakenOnes() {
        UdpLayer narrow = new UdpLayer(STACK, STACK6, 50000, 50002, (src, dst, d) -> { });
        Set<Integer> ports = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            UdpEndpoint e = narrow.open(listener, false);
            assertTrue(narrow.bind(e, ANY, 0));
            ports.add(e.localPort());
        }
        assertEquals(Set.of(50000, 50001, 50002), ports);
        assertFalse(narrow.bind(narrow.open(listener, false), ANY, 0), "the range is exhausted");
        assertFalse(narrow.autobind(narrow.open(listener, false)));
    }

    @Test
    void sendFromWildcardUsesTheStackAddressAndCountsOutDatagrams() {
        UdpEndpoint e = bound(ANY, 5000);
        byte[] data = "xhellox".getBytes(StandardCharsets.US_ASCII);
        udp.send(e, PEER, 7, data, 1, 5);
        assertEquals(List.of("10.0.0.2.5000 > 10.0.0.1.7 hello"), sent);
        assertEquals(1, udp.counters().outDatagrams());
    }

    /** Linux 6.18: queued while the truesize fits the buffer, or when the queue is empty. */
    @Test
    void receiveQueue_acceptsWhatFitsItsTruesizeThenDropsAndCountsRcvbufErrors() {
        UdpEndpoint e = bound(ANY, 5000);
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
        UdpEndpoint e = bound(ANY, 5000);
        e.setRcvBuf(2304);
        String big = "x".repeat(3000);
        deliver(PEER, 40000, 5000, big);
        deliver(PEER, 40000, 5000, "small");
        assertEquals(1, e.queuedDatagrams());
        assertEquals(big, next(e));
    }

    @Test
    void inDatagramsCountsReadsNotArrivalsOrPeeks() {
        UdpEndpoint e = bound(ANY, 5000);
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
        UdpEndpoint e = bound(ANY, 5000);
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
        UdpEndpoint e = bound(ANY, 5000);
        udp.connect(e, PEER, 7);
        udp.icmpError(STACK, 5000, PEER, 7, UdpError.ofUnreachableCode(code));
        assertTrue(e.hasError());
        assertEquals(List.of("error 5000"), events);
        assertEquals(expected, e.takeError());
        assertFalse(e.hasError(), "sock_error() clears it");
    }

    @ParameterizedTest(name = "code {0}")
    @CsvSource({"0", "1", "5", "11", "12", "16"})
    void softIcmpErrors_areIgnoredWithoutIpRecverr(int code) {
        UdpEndpoint e = bound(ANY, 5000);
        udp.connect(e, PEER, 7);
        udp.icmpError(STACK, 5000, PEER, 7, UdpError.ofUnreachableCode(code));
        assertFalse(e.hasError());
    }

    @Test
    void portUnreachable_unconnectedOrOtherPeer_isIgnored() {
        UdpEndpoint unconnected = bound(ANY, 5000);
        udp.icmpError(STACK, 5000, PEER, 7, UdpError.ofUnreachableCode(3));
        assertFalse(unconnected.hasError());
        UdpEndpoint connected = bound(ANY, 5001);
        udp.connect(connected, PEER, 7);
        udp.icmpError(STACK, 5001, PEER, 8, UdpError.ofUnreachableCode(3));
        assertFalse(connected.hasError(), "the quote names another peer port");
    }

    @Test
    void disconnect_releasesWhatAutobindChoseAndKeepsWhatBindChose() {
        UdpEndpoint auto = udp.open(listener, false);
        assertTrue(udp.autobind(auto));
        udp.connect(auto, PEER, 7);
        assertEquals(STACK, auto.localAddr(), "connect takes the route's source address");
        udp.disconnect(auto);
        assertEquals(ANY, auto.localAddr());
        assertEquals(0, auto.localPort());
        assertFalse(auto.isBound());
        assertFalse(auto.isConnected());

        UdpEndpoint port = bound(ANY, 5000);
        udp.connect(port, PEER, 7);
        udp.disconnect(port);
        assertEquals(ANY, port.localAddr());
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
        UdpEndpoint e = bound(ANY, 5000);
        deliver(PEER, 40000, 5000, "x");
        udp.close(e);
        assertEquals(0, e.queuedDatagrams());
        assertEquals(0, e.rmemAlloc());
        assertTrue(udp.bind(udp.open(listener, false), ANY, 5000), "the port is free again");
        assertEquals(1, udp.endpoints().size());
    }

    // Both families: IPv4 held IPv4-mapped, AF_INET6 endpoints on ::

    /** Linux inet_rcv_saddr_equal(): :: covers IPv4 unless IPV6_V6ONLY; 0.0.0.0 never covers IPv6. */
    @ParameterizedTest(name = "{0} then {1}: {2}")
    @CsvSource({
        "v4 any,      v6 any,      false",
        "v6 any,      v4 any,      false",
        "v6only any,  v4 any,      true",
        "v4 any,      v6only any,  true",
        "v6 any,      v6only any,  false",
        "v4 stack,    v6 any,      false",
        "v6 stack6,   v4 any,      true",
        "v6 stack6,   v6 any,      false",
        "v6 mapped,   v4 stack,    false",
    })
    void bindRulesAcrossFamilies(String first, String second, boolean bothBind) {
        UdpEndpoint a = familyEndpoint(first);
        UdpEndpoint b = familyEndpoint(second);
        assertTrue(udp.bind(a, familyAddress(first), 5000));
        assertEquals(bothBind, udp.bind(b, familyAddress(second), 5000));
    }

    private UdpEndpoint familyEndpoint(String spec) {
        UdpEndpoint e = udp.open(listener, spec.startsWith("v6"));
        e.setIpv6Only(spec.startsWith("v6only"));
        return e;
    }

    private static IpAddress familyAddress(String spec) {
        return switch (spec.substring(spec.indexOf(' ') + 1)) {
            case "any" -> spec.startsWith("v4") ? ANY : IpAddress.ANY_IPV6;
            case "stack6" -> STACK6;
            default -> STACK;
        };
    }

    @Test
    void dualStackWildcard_takesBothFamilies_anAfInetWildcardWinsForIpv4() {
        UdpEndpoint six = udp.open(listener, true);
        six.setReuseAddress(true);
        assertTrue(udp.bind(six, IpAddress.ANY_IPV6, 5000));
        assertTrue(udp.input(IpAddress.parse("fd00::1"), STACK6, new UdpRepr(40000, 5000, bytes("six")), 0));
        assertTrue(deliver(PEER, 40000, 5000, "four"));
        assertEquals("six", next(six));
        assertEquals("four", next(six));

        UdpEndpoint four = udp.open(listener, false);
        four.setReuseAddress(true);
        assertTrue(udp.bind(four, ANY, 5000));
        deliver(PEER, 40000, 5000, "four again");
        assertEquals("four again", next(four), "compute_score(): an AF_INET socket scores 2, an AF_INET6 one 1");
        assertNull(next(six));
    }

    @Test
    void v6onlyWildcard_takesNoIpv4() {
        UdpEndpoint e = udp.open(listener, true);
        e.setIpv6Only(true);
        assertTrue(udp.bind(e, IpAddress.ANY_IPV6, 5000));
        assertFalse(deliver(PEER, 40000, 5000, "four"));
        assertTrue(udp.input(IpAddress.parse("fd00::1"), STACK6, new UdpRepr(40000, 5000, bytes("six")), 0));
    }

    @Test
    void connectFromTheIpv6Wildcard_takesTheSourceOfThePeersFamily() {
        UdpEndpoint mapped = bound6();
        udp.connect(mapped, PEER, 7);
        assertEquals(STACK, mapped.localAddr());
        UdpEndpoint native6 = bound6();
        udp.connect(native6, IpAddress.parse("fd00::1"), 7);
        assertEquals(STACK6, native6.localAddr());
        udp.disconnect(native6);
        assertEquals(IpAddress.ANY_IPV6, native6.localAddr());
        udp.send(mapped, PEER, 7, "x".getBytes(StandardCharsets.US_ASCII), 0, 1);
        assertEquals(List.of("10.0.0.2." + mapped.localPort() + " > 10.0.0.1.7 x"), sent);
    }

    private UdpEndpoint bound6() {
        UdpEndpoint e = udp.open(listener, true);
        assertTrue(udp.autobind(e));
        return e;
    }

    /** Linux icmpv6_err_convert() and __udp6_lib_err(): which ICMPv6 errors are hard, and their errno. */
    @ParameterizedTest(name = "type {0} code {1}: {2}")
    @CsvSource({"1, 0, ", "1, 1, EACCES", "1, 2, ", "1, 3, ", "1, 4, ECONNREFUSED", "1, 5, EACCES",
        "1, 6, EACCES", "1, 7, EPROTO", "2, 0, EMSGSIZE", "3, 0, ", "4, 1, EPROTO"})
    void icmpv6Errors_asLinuxConvertsThem(int type, int code, UdpError expected) {
        assertEquals(expected, UdpError.ofIcmpv6(type, code));
    }

    private static MemorySegment bytes(String text) {
        return MemorySegment.ofArray(text.getBytes(StandardCharsets.US_ASCII));
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
}
