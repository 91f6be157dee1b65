package io.tcpsim.tun;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@RequiresTun
@ExtendWith(FreshNamespace.class)
class TunDeviceTest {
    private static final byte[] LOCAL = {10, 0, 0, 1};
    private static final byte[] PEER = {10, 0, 0, 2};
    private static final int PEER_PORT = 9999;
    private static final int PACKET_BUFFER = 65_535 + VnetHeader.SIZE;

    @Test
    void kernelPicksTunNameAndMtuCanBeChanged(NetNamespace ns) throws IOException {
        try (TunDevice tun = ns.call(() -> TunDevice.open(TunConfig.kernelNamed()))) {
            assertTrue(tun.name().matches("tun\\d+"), tun.name());
            NetInterface interfaces = NetInterface.in(ns);
            assertEquals(List.of("lo", tun.name()), interfaces.links());
            assertEquals(1500, interfaces.mtu(tun.name()));
            interfaces.setMtu(tun.name(), 1400);
            assertEquals(1400, interfaces.mtu(tun.name()));
        }
    }

    @Test
    void requestedNameIsUsed(NetNamespace ns) throws IOException {
        try (TunDevice tun = ns.call(() -> TunDevice.open(TunConfig.named("tcpsim0")))) {
            assertEquals("tcpsim0", tun.name());
            assertFalse(tun.vnetHeader());
            assertTrue(NetInterface.in(ns).links().contains("tcpsim0"));
        }
    }

    @Test
    void readsTheIpv4PacketOfADatagramSentInsideTheNamespace(NetNamespace ns) throws IOException {
        byte[] payload = "hello from the kernel".getBytes(StandardCharsets.US_ASCII);
        try (TunDevice tun = openConfigured(ns, TunConfig.named("tcpsim0")); Arena arena = Arena.ofConfined()) {
            sendUdp(ns, payload);
            byte[] packet = readUdp(tun, arena.allocate(PACKET_BUFFER), 0);
            assertEquals(4, Ipv4Udp.version(packet));
            assertEquals(Ipv4Udp.PROTOCOL_UDP, Ipv4Udp.protocol(packet));
            assertArrayEquals(PEER, Ipv4Udp.destination(packet));
            assertArrayEquals(payload, Arrays.copyOfRange(packet, packet.length - payload.length, packet.length));
        }
    }

    @Test
    void writtenPacketReachesASocketInsideTheNamespace(NetNamespace ns) throws IOException {
        byte[] payload = "hello from user space".getBytes(StandardCharsets.US_ASCII);
        try (TunDevice tun = openConfigured(ns, TunConfig.named("tcpsim0"))) {
            DatagramPacket received = ns.call(() -> {
                try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getByAddress(LOCAL), 7777))) {
                    socket.setSoTimeout(5000);
                    byte[] packet = Ipv4Udp.build(PEER, LOCAL, 40000, 7777, payload);
                    assertEquals(packet.length, tun.write(MemorySegment.ofArray(packet)));
                    DatagramPacket datagram = new DatagramPacket(new byte[1500], 1500);
                    socket.receive(datagram);
                    return datagram;
                }
            });
            assertArrayEquals(payload, Arrays.copyOf(received.getData(), received.getLength()));
            assertEquals(new InetSocketAddress(InetAddress.getByAddress(PEER), 40000), received.getSocketAddress());
        }
    }

    @Test
    void awaitReadableTimesOutWhenNothingArrives(NetNamespace ns) throws IOException {
        try (TunDevice tun = openConfigured(ns, TunConfig.named("tcpsim0"))) {
            long start = System.nanoTime();
            assertFalse(tun.awaitReadable(Duration.ofMillis(200)));
            assertTrue(System.nanoTime() - start >= Duration.ofMillis(190).toNanos());
            assertFalse(tun.awaitReadable(0));
        }
    }

    @Test
    void nonBlockingReadReturnsWouldBlockThenAPacket(NetNamespace ns) throws IOException {
        try (TunDevice tun = openConfigured(ns, TunConfig.named("tcpsim0").withNonBlocking(true));
                Arena arena = Arena.ofConfined()) {
            assertTrue(tun.nonBlocking());
            assertEquals(TunDevice.WOULD_BLOCK, tun.read(arena.allocate(2048)));
            MemorySegment heap = MemorySegment.ofArray(new byte[2048]);
            assertEquals(TunDevice.WOULD_BLOCK, tun.read(heap));
            sendUdp(ns, new byte[] {42});
            byte[] packet = readUdp(tun, heap, 0);
            assertEquals(42, packet[packet.length - 1]);
        }
    }

    @Test
    void setNonBlockingSwitchesTheDescriptorMode(NetNamespace ns) throws IOException {
        try (TunDevice tun = ns.call(() -> TunDevice.open(TunConfig.named("tcpsim0"))); Arena arena = Arena.ofConfined()) {
            assertFalse(tun.nonBlocking());
            tun.setNonBlocking(true);
            assertTrue(tun.nonBlocking());
            assertEquals(TunDevice.WOULD_BLOCK, tun.read(arena.allocate(2048)));
            tun.setNonBlocking(false);
            assertFalse(tun.nonBlocking());
        }
    }

    @Test
    void vnetHeaderPrecedesEveryPacketAndReportsChecksumOffload(NetNamespace ns) throws IOException {
        try (TunDevice tun = openConfigured(ns, TunConfig.named("tcpsim0").withVnetHeader(true));
                Arena arena = Arena.ofConfined()) {
            assertTrue(tun.vnetHeader());
            MemorySegment buffer = arena.allocate(PACKET_BUFFER);
            sendUdp(ns, new byte[] {1, 2, 3});
            byte[] plain = readUdp(tun, buffer, VnetHeader.SIZE);
            assertEquals(VnetHeader.NONE, VnetHeader.parse(MemorySegment.ofArray(plain)));
            assertEquals(4, plain[VnetHeader.SIZE] >> 4);

            tun.setOffload(TunDevice.TUN_F_CSUM);
            sendUdp(ns, new byte[] {4, 5, 6});
            VnetHeader partial = VnetHeader.parse(MemorySegment.ofArray(readUdp(tun, buffer, VnetHeader.SIZE)));
            assertTrue(partial.needsChecksum(), partial.toString());
            assertEquals(VnetHeader.GSO_NONE, partial.gsoKind());
            assertEquals(Ipv4Udp.IPV4_HEADER, partial.csumStart());
            assertEquals(6, partial.csumOffset());
        }
    }

    @Test
    void readIntoTwoSegmentsPutsTheVnetHeaderInTheFirstAndThePacketInTheSecond(NetNamespace ns) throws IOException {
        try (TunDevice tun = openConfigured(ns, TunConfig.named("tcpsim0").withVnetHeader(true));
                Arena arena = Arena.ofConfined()) {
            MemorySegment header = arena.allocate(VnetHeader.SIZE);
            MemorySegment packet = arena.allocate(PACKET_BUFFER);
            sendUdp(ns, new byte[] {7, 8, 9});
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            byte[] ip = null;
            while (ip == null && tun.awaitReadable(Duration.ofNanos(deadline - System.nanoTime()))) {
                int n = tun.read(header, packet);
                byte[] bytes = packet.asSlice(0, n - VnetHeader.SIZE).toArray(ValueLayout.JAVA_BYTE);
                if (Ipv4Udp.isIpv4Udp(bytes) && Ipv4Udp.destinationPort(bytes) == PEER_PORT) {
                    ip = bytes;
                }
            }
            assertNotNull(ip, "the UDP packet came out");
            assertEquals(VnetHeader.NONE, VnetHeader.parse(header));
            assertEquals(4, ip[0] >> 4, "the packet starts the second segment");
            assertArrayEquals(new byte[] {7, 8, 9}, Arrays.copyOfRange(ip, ip.length - 3, ip.length));
            assertThrows(IllegalArgumentException.class, () -> tun.read(header, MemorySegment.ofArray(new byte[64])));
        }
    }

    @Test
    void writeWithVnetHeaderReachesASocket(NetNamespace ns) throws IOException {
        byte[] payload = {7, 7, 7};
        try (TunDevice tun = openConfigured(ns, TunConfig.named("tcpsim0").withVnetHeader(true));
                Arena arena = Arena.ofShared()) {
            byte[] ip = Ipv4Udp.build(PEER, LOCAL, 40000, 7778, payload);
            MemorySegment frame = arena.allocate(VnetHeader.SIZE + ip.length);
            VnetHeader.NONE.emit(frame);
            MemorySegment.copy(ip, 0, frame, ValueLayout.JAVA_BYTE, VnetHeader.SIZE, ip.length);
            int length = ns.call(() -> {
                try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getByAddress(LOCAL), 7778))) {
                    socket.setSoTimeout(5000);
                    assertEquals(frame.byteSize(), tun.write(frame));
                    DatagramPacket datagram = new DatagramPacket(new byte[1500], 1500);
                    socket.receive(datagram);
                    return datagram.getLength();
                }
            });
            assertEquals(payload.length, length);
        }
    }

    @Test
    void offloadNeedsVnetHeaderAndKnownBits(NetNamespace ns) throws IOException {
        try (TunDevice plain = ns.call(() -> TunDevice.open(TunConfig.named("tcpsim0")));
                TunDevice vnet = ns.call(() -> TunDevice.open(TunConfig.named("tcpsim1").withVnetHeader(true)))) {
            assertThrows(IllegalStateException.class, () -> plain.setOffload(TunDevice.TUN_F_CSUM));
            plain.setOffload(0);
            assertThrows(IllegalArgumentException.class, () -> vnet.setOffload(0x1000));
            NativeException e = assertThrows(NativeException.class, () -> vnet.setOffload(TunDevice.TUN_F_TSO4));
            assertEquals(Errno.EINVAL, e.errno());
            assertTrue(e.getMessage().startsWith("the kernel rejected these offloads"), e.getMessage());
            vnet.setOffload(TunDevice.TUN_F_CSUM | TunDevice.TUN_F_TSO4 | TunDevice.TUN_F_TSO6);
        }
    }

    @Test
    void takenNameIsAClearError(NetNamespace ns) throws IOException {
        try (TunDevice first = ns.call(() -> TunDevice.open(TunConfig.named("tcpsimdup0")))) {
            NativeException e = assertThrows(NativeException.class,
                    () -> ns.call(() -> TunDevice.open(TunConfig.named("tcpsimdup0"))));
            assertEquals(Errno.EBUSY, e.errno());
            assertTrue(e.getMessage().startsWith("TUN device name tcpsimdup0 is already in use; ioctl(TUNSETIFF, tcpsimdup0): "),
                    e.getMessage());
            assertTrue(e.getMessage().endsWith("(errno 16)"), e.getMessage());
        }
    }

    @Test
    void nameOfANonTunInterfaceIsAClearError(NetNamespace ns) {
        NativeException e = assertThrows(NativeException.class, () -> ns.call(() -> TunDevice.open(TunConfig.named("lo"))));
        assertEquals(Errno.EINVAL, e.errno());
        assertTrue(e.getMessage().startsWith("interface lo exists but is not a TUN"), e.getMessage());
    }

    @Test
    void multiQueueAttachesSeveralDescriptorsToOneName(NetNamespace ns) throws IOException {
        TunConfig config = TunConfig.named("tcpsimmq0").withMultiQueue(true);
        try (TunDevice first = ns.call(() -> TunDevice.open(config));
                TunDevice second = ns.call(() -> TunDevice.open(config))) {
            assertTrue(first.multiQueue());
            assertEquals(first.name(), second.name());
            assertTrue(first.fd() != second.fd());
        }
    }

    /**
     * The tun driver's queue choice, which a stack sharded over the queues relies on: each flow's
     * packets come out of one queue, chosen by the symmetric flow hash while the flow is unknown
     * (tun_automq_select_queue()), so 32 flows use both queues; once user space has written a packet
     * of a flow on a queue (tun_get_user() -> tun_flow_update()), the flow's next packets come out
     * of that queue. With 32 flows, the chance that all hash to one queue is 2^-31.
     */
    @Test
    void multiQueueKeepsAFlowOnOneQueueAndFollowsTheQueueItWasLastWrittenFrom(NetNamespace ns) throws IOException {
        int flows = 32;
        TunConfig config = TunConfig.named("tcpsimmq0").withMultiQueue(true).withNonBlocking(true);
        try (TunDevice first = openConfigured(ns, config);
                TunDevice second = ns.call(() -> TunDevice.open(config));
                Arena arena = Arena.ofConfined()) {
            List<TunDevice> queues = List.of(first, second);
            List<DatagramSocket> sockets = ns.call(() -> {
                List<DatagramSocket> opened = new ArrayList<>();
                for (int i = 0; i < flows; i++) {
                    opened.add(new DatagramSocket(new InetSocketAddress(InetAddress.getByAddress(LOCAL), 0)));
                }
                return opened;
            });
            try {
                Map<Integer, Set<Integer>> seen = new HashMap<>();
                for (int round = 0; round < 3; round++) {
                    sendFromEach(sockets);
                    collect(queues, arena.allocate(PACKET_BUFFER), flows, seen);
                }
                assertTrue(seen.values().stream().allMatch(q -> q.size() == 1), "a flow on both queues: " + seen);
                assertEquals(Set.of(0, 1), seen.values().stream().map(q -> q.iterator().next())
                        .collect(Collectors.toSet()), "both queues used: " + seen);

                Map<Integer, Set<Integer>> expected = new HashMap<>();
                for (DatagramSocket s : sockets) {
                    int other = 1 - seen.get(s.getLocalPort()).iterator().next();
                    byte[] reply = Ipv4Udp.build(PEER, LOCAL, PEER_PORT, s.getLocalPort(), new byte[] {1});
                    assertEquals(reply.length, queues.get(other).write(MemorySegment.ofArray(reply)));
                    expected.put(s.getLocalPort(), Set.of(other));
                }
                Map<Integer, Set<Integer>> after = new HashMap<>();
                sendFromEach(sockets);
                collect(queues, arena.allocate(PACKET_BUFFER), flows, after);
                assertEquals(expected, after, "each flow follows the queue it was written from");
            } finally {
                for (DatagramSocket s : sockets) {
                    s.close();
                }
            }
        }
    }

    private static void sendFromEach(List<DatagramSocket> sockets) throws IOException {
        for (DatagramSocket s : sockets) {
            s.send(new DatagramPacket(new byte[] {0}, 1, InetAddress.getByAddress(PEER), PEER_PORT));
        }
    }

    /** Reads {@code count} UDP packets to PEER_PORT from the queues, noting each source port's queue. */
    private static void collect(List<TunDevice> queues, MemorySegment buffer, int count,
                                Map<Integer, Set<Integer>> seen) throws IOException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        int got = 0;
        while (got < count) {
            assertTrue(System.nanoTime() < deadline, "only " + got + " of " + count + " packets came out");
            boolean idle = true;
            for (int q = 0; q < queues.size(); q++) {
                int n = queues.get(q).read(buffer);
                if (n == TunDevice.WOULD_BLOCK) {
                    continue;
                }
                idle = false;
                byte[] ip = buffer.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE);
                if (Ipv4Udp.isIpv4Udp(ip) && Ipv4Udp.destinationPort(ip) == PEER_PORT) {
                    seen.computeIfAbsent(Ipv4Udp.sourcePort(ip), port -> new HashSet<>()).add(q);
                    got++;
                }
            }
            if (idle) {
                queues.getFirst().awaitReadable(1);
            }
        }
    }

    @Test
    void tooLongNameIsRejectedBeforeAnySystemCall() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TunDevice.open(TunConfig.named("tcpsim-too-long0")));
        assertTrue(e.getMessage().contains("at most 15"), e.getMessage());
    }

    @Test
    void writingToADownInterfaceSaysToBringItUp(NetNamespace ns) throws IOException {
        try (TunDevice tun = ns.call(() -> TunDevice.open(TunConfig.named("tcpsim0")))) {
            byte[] packet = Ipv4Udp.build(PEER, LOCAL, 1, 2, new byte[0]);
            NativeException e = assertThrows(NativeException.class, () -> tun.write(MemorySegment.ofArray(packet)));
            assertEquals(Errno.EIO, e.errno());
            assertTrue(e.getMessage().startsWith("TUN device tcpsim0 is down: bring it up first"), e.getMessage());
        }
    }

    @Test
    void closingRemovesTheInterfaceAndIsIdempotent(NetNamespace ns) throws IOException {
        TunDevice tun = ns.call(() -> TunDevice.open(TunConfig.named("tcpsim0")));
        assertTrue(NetInterface.in(ns).links().contains("tcpsim0"));
        tun.close();
        tun.close();
        assertEquals(List.of("lo"), NetInterface.in(ns).links());
        IOException e = assertThrows(IOException.class, () -> tun.read(MemorySegment.ofArray(new byte[100])));
        assertEquals("TUN device tcpsim0 is closed", e.getMessage());
    }

    @Test
    void deletingTheNamespaceLeavesNoInterfaceAnywhere() throws IOException {
        String name = NetNamespace.uniqueName(FreshNamespace.PREFIX);
        try (NetNamespace ns = NetNamespace.create(name)) {
            TunDevice tun = ns.call(() -> TunDevice.open(TunConfig.named("tcpsimdel0")));
            assertEquals(List.of("lo", "tcpsimdel0"), NetInterface.in(ns).links());
            ns.delete();
            assertFalse(ns.exists());
            tun.close();
        }
        assertFalse(NetNamespace.list().contains(name));
        String rootLinks = Commands.check(List.of("ip", "-o", "link", "show")).stdout();
        assertFalse(rootLinks.contains("tcpsimdel0"), rootLinks);
        IOException e = assertThrows(IOException.class, () -> NetInterface.in(NetNamespace.existing(name)).links());
        assertEquals("network namespace " + name + " does not exist", e.getMessage());
    }

    /** Opens a TUN with 10.0.0.1 peer 10.0.0.2, up, in a namespace without IPv6 (no RS/MLD noise). */
    private static TunDevice openConfigured(NetNamespace ns, TunConfig config) throws IOException {
        ns.sysctl("net.ipv6.conf.all.disable_ipv6", "1");
        TunDevice tun = ns.call(() -> TunDevice.open(config));
        try {
            NetInterface interfaces = NetInterface.in(ns);
            interfaces.addPeerAddress(tun.name(), "10.0.0.1", "10.0.0.2/32");
            interfaces.up(tun.name());
            return tun;
        } catch (IOException | RuntimeException e) {
            tun.close();
            throw e;
        }
    }

    /** Sends one datagram to 10.0.0.2:9999 from a socket created inside {@code ns}. */
    private static void sendUdp(NetNamespace ns, byte[] payload) throws IOException {
        ns.call(() -> {
            try (DatagramSocket socket = new DatagramSocket()) {
                socket.send(new DatagramPacket(payload, payload.length, InetAddress.getByAddress(PEER), PEER_PORT));
            }
            return null;
        });
    }

    /**
     * Reads until an IPv4/UDP packet to port 9999 arrives (at {@code ipOffset}, after the vnet
     * header if any) and returns everything read, skipping any other packet.
     */
    private static byte[] readUdp(TunDevice tun, MemorySegment buffer, int ipOffset) throws IOException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (tun.awaitReadable(Duration.ofNanos(deadline - System.nanoTime()))) {
            int n = tun.read(buffer);
            byte[] bytes = buffer.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE);
            byte[] ip = Arrays.copyOfRange(bytes, ipOffset, n);
            if (Ipv4Udp.isIpv4Udp(ip) && Ipv4Udp.destinationPort(ip) == PEER_PORT) {
                return bytes;
            }
        }
        return fail("no UDP packet to port " + PEER_PORT + " came out of " + tun.name() + " within 5 s");
    }
}
