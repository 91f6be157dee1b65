package io.tcpsim.link.tun;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcpsim.NetStack;
import io.tcpsim.StackConfig;
import io.tcpsim.StackShards;
import io.tcpsim.app.SampleServers;
import io.tcpsim.app.Service;
import io.tcpsim.socket.SockAddrIn;
import io.tcpsim.socket.SocketApi;
import io.tcpsim.socket.SocketConstants;
import io.tcpsim.socket.SocketLimits;
import io.tcpsim.socket.Timeval;
import io.tcpsim.tcp.TcpConnection;
import io.tcpsim.testsupport.RequiresTun;
import io.tcpsim.time.Clock;
import io.tcpsim.time.SystemClock;
import io.tcpsim.tun.ProcessResult;
import io.tcpsim.wire.IpAddress;
import io.tcpsim.wire.Ipv4Address;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * tcpsim sharded over a TUN of two queues (IFF_MULTI_QUEUE), a stack thread per queue, the echo
 * service on every shard: Linux clients in the namespace, IPv4 and IPv6, are each served by
 * exactly one shard, both shards serve some, every byte comes back, and no segment needed a hand-off
 * (the tun driver kept each flow on the queue its SYN-ACK was written from, tun_flow_update()).
 */
@RequiresTun
class MultiQueueTunTest {

    private static final String PREFIX = LiveStack.NAMESPACE_PREFIX;
    private static final String KERNEL = "10.0.0.1";
    private static final String STACK = "10.0.0.2";
    private static final String KERNEL6 = "fd00::1";
    private static final String STACK6 = "fd00::2";
    private static final int ECHO = 7;
    private static final int CLIENTS = 64;
    private static final int BYTES = 20_000;
    private static final int TIMEOUT_MILLIS = 10_000;
    private static final int ACTIVE_PORT = 5000;
    /** Past TUN_FLOW_EXPIRE (3 s) and the garbage-collection timer that enforces it, rounded up. */
    private static final long FLOW_AGED_OUT_MILLIS = 7_000;
    private static final Clock CLOCK = new SystemClock();

    @Test
    void sixtyFourLinuxClientsAreEchoedEachByExactlyOneOfTwoShards() throws Exception {
        try (Host host = Host.start(2)) {
            List<Socket> clients = host.network.callInside(MultiQueueTunTest::connectAndEcho);
            try {
                List<Set<String>> served = new ArrayList<>();
                for (NetStack shard : host.shards.stacks()) {
                    served.add(onStack(shard, () -> peers(shard)));
                }
                Set<String> expected = new HashSet<>();
                clients.forEach(s -> expected.add(peer(s)));
                Set<String> union = new HashSet<>(served.get(0));
                union.addAll(served.get(1));
                assertEquals(expected, union, "every client's connection is on a shard");
                assertEquals(CLIENTS, served.get(0).size() + served.get(1).size(), "and on one shard only");
                assertFalse(served.get(0).isEmpty(), "shard 0 served none of " + CLIENTS);
                assertFalse(served.get(1).isEmpty(), "shard 1 served none of " + CLIENTS);
                assertEquals(0, host.shards.handedOff(), "a segment arrived on the queue of a shard that did not own it");
            } finally {
                for (Socket s : clients) {
                    s.close();
                }
            }
        }
    }

    @Test
    void pingUdpAndIpv6AreAnsweredWhicheverQueueTheyArriveOn() throws Exception {
        try (Host host = Host.start(2)) {
            ProcessResult ping = host.network.exec("ping", "-c", "4", "-i", "0.2", "-W", "2", STACK);
            assertTrue(ping.success(), ping.stdout() + ping.stderr());
            ProcessResult ping6 = host.network.exec("ping", "-6", "-c", "4", "-i", "0.2", "-W", "2", STACK6);
            assertTrue(ping6.success(), ping6.stdout() + ping6.stderr());
            int echoed = host.network.callInside(MultiQueueTunTest::udpEchoes);
            assertEquals(16, echoed, "UDP datagrams echoed of 16, from 16 source ports");
        }
    }

    /**
     * Connections tcpsim opens from shard 1 to a Linux server, in three phases that show how the tun
     * driver steers them. The SYN-ACKs go by hash alone, to queue 0 for about half of the flows:
     * tun_get_user() records the flow (tun_flow_update()) only after netif_receive_skb() has run the
     * kernel's TCP, which sends the SYN-ACK within that call. Then, the flows learned, the server's
     * next segments all come to queue 1. After a silence past the flow ageing (TUN_FLOW_EXPIRE, 3 s,
     * tun_flow_cleanup()) they go by hash again. Each time shard 0 hands them to shard 1, never a RST.
     * With 16 flows, the chance that none hashes to queue 0 is 2^-16.
     */
    @Test
    void tcpsimsOwnConnectionsSurviveTheSegmentsTheKernelSteersToTheOtherQueue() throws Exception {
        int flows = 16;
        try (Host host = Host.start(2);
                ServerSocket server = host.network.callInside(
                        () -> new ServerSocket(ACTIVE_PORT, flows, InetAddress.getByName(KERNEL)))) {
            SocketApi api = host.apis.get(1);
            List<Integer> fds = new ArrayList<>();
            List<Socket> accepted = new ArrayList<>();
            try {
                for (int i = 0; i < flows; i++) {
                    int fd = api.socket(SocketConstants.AF_INET, SocketConstants.SOCK_STREAM, 0);
                    fds.add(fd);
                    assertEquals(0, api.setsockopt(fd, SocketConstants.SOL_SOCKET,
                            SocketConstants.SO_RCVTIMEO, new Timeval(5, 0)));
                    assertEquals(0, api.connect(fd, SockAddrIn.of(Ipv4Address.parse(KERNEL), ACTIVE_PORT)));
                    Socket s = server.accept();
                    s.setSoTimeout(TIMEOUT_MILLIS);
                    accepted.add(s);
                }
                long synAcks = host.shards.handedOff();
                assertTrue(synAcks > 0, "no SYN-ACK came on queue 0: the kernel steered them by the flow table");
                exchange(api, fds, accepted);
                assertEquals(synAcks, host.shards.handedOff(), "a learned flow came on the other queue");
                Thread.sleep(FLOW_AGED_OUT_MILLIS);
                exchange(api, fds, accepted);
                assertTrue(host.shards.handedOff() > synAcks, "no aged-out flow came on queue 0");
                assertEquals(0, host.shards.shard(0).tcp().counters().outRsts());
            } finally {
                fds.forEach(api::close);
                for (Socket s : accepted) {
                    s.close();
                }
            }
        }
    }

    /** The kernel's end of each flow writes a byte, tcpsim's reads it and writes it back. */
    private static void exchange(SocketApi api, List<Integer> fds, List<Socket> accepted) throws IOException {
        for (Socket s : accepted) {
            s.getOutputStream().write('?');
        }
        byte[] one = new byte[1];
        for (int i = 0; i < fds.size(); i++) {
            assertEquals(1, api.read(fds.get(i), one, 0, 1), "flow " + i + " read its byte");
            assertEquals(1, api.write(fds.get(i), one, 0, 1));
            assertEquals('?', accepted.get(i).getInputStream().read(), "flow " + i + " answered");
        }
    }

    /** CLIENTS connections, alternately IPv4 and IPv6, each sends BYTES of its own and reads them back. */
    private static List<Socket> connectAndEcho() throws IOException {
        List<Socket> clients = new ArrayList<>();
        try {
            for (int i = 0; i < CLIENTS; i++) {
                Socket s = new Socket();
                clients.add(s);
                s.setSoTimeout(TIMEOUT_MILLIS);
                s.connect(new InetSocketAddress(InetAddress.getByName(i % 2 == 0 ? STACK : STACK6), ECHO),
                        TIMEOUT_MILLIS);
            }
            for (int i = 0; i < CLIENTS; i++) {
                byte[] data = pattern(i);
                clients.get(i).getOutputStream().write(data);
                assertArrayEquals(data, clients.get(i).getInputStream().readNBytes(data.length),
                        "the echo of client " + i);
            }
            return clients;
        } catch (IOException | RuntimeException | Error e) {
            for (Socket s : clients) {
                s.close();
            }
            throw e;
        }
    }

    /** Datagrams from 16 sockets (16 flows) to the UDP echo; how many came back intact. */
    private static int udpEchoes() throws IOException {
        int echoed = 0;
        for (int i = 0; i < 16; i++) {
            try (DatagramSocket s = new DatagramSocket()) {
                s.setSoTimeout(TIMEOUT_MILLIS);
                byte[] data = ("datagram " + i).getBytes(StandardCharsets.US_ASCII);
                s.send(new DatagramPacket(data, data.length, InetAddress.getByName(STACK), ECHO));
                DatagramPacket reply = new DatagramPacket(new byte[100], 100);
                s.receive(reply);
                if (new String(reply.getData(), 0, reply.getLength(), StandardCharsets.US_ASCII)
                        .equals("datagram " + i)) {
                    echoed++;
                }
            }
        }
        return echoed;
    }

    private static byte[] pattern(int client) {
        byte[] data = new byte[BYTES];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) (client * 31 + i);
        }
        return data;
    }

    /** The established peers of {@code shard}'s echo service, as "family port". */
    private static Set<String> peers(NetStack shard) {
        Set<String> peers = new HashSet<>();
        for (TcpConnection c : shard.tcp().connections()) {
            if (c.tuple().localPort() == ECHO) {
                peers.add((c.tuple().remoteAddr().isIpv4() ? "v4 " : "v6 ") + c.tuple().remotePort());
            }
        }
        return peers;
    }

    private static String peer(Socket s) {
        return (s.getLocalAddress() instanceof Inet4Address ? "v4 " : "v6 ") + s.getLocalPort();
    }

    private static <T> T onStack(NetStack stack, Supplier<T> action) throws Exception {
        return CompletableFuture.supplyAsync(action, stack).get(10, TimeUnit.SECONDS);
    }

    /** The namespace, the TUN of N queues, the shards and an echo service (TCP and UDP, on ::) on each. */
    private static final class Host implements AutoCloseable {
        final TunNetwork network;
        final StackShards shards;
        final List<SampleServers> servers = new ArrayList<>();
        final List<SocketApi> apis = new ArrayList<>();

        private Host(TunNetwork network, StackShards shards) {
            this.network = network;
            this.shards = shards;
        }

        static Host start(int queues) throws IOException {
            TunNetwork.reapStale(PREFIX);
            TunNetwork network = TunNetwork.create(new TunNetwork.Config(TunNetwork.uniqueNamespace(PREFIX), "tun0",
                    Ipv4Address.parse(KERNEL), Ipv4Address.parse(STACK), 1500)
                    .withIpv6(IpAddress.parse(KERNEL6), IpAddress.parse(STACK6)).withQueues(queues));
            Host host = null;
            try {
                assertEquals(queues, network.links().size());
                StackConfig config = StackConfig.linuxDefaults(Ipv4Address.parse(STACK), 1500)
                        .withAddress6(IpAddress.parse(STACK6));
                host = new Host(network, StackShards.start(network.links(), config, CLOCK));
                for (NetStack shard : host.shards.stacks()) {
                    SocketApi api = new SocketApi(shard, CLOCK, config.address(), config.address6(),
                            SocketLimits.LINUX_DEFAULTS);
                    host.apis.add(api);
                    host.servers.add(SampleServers.start(api, 0, true, List.of(new Service.On(Service.ECHO, ECHO))));
                }
                return host;
            } catch (IOException | RuntimeException | Error e) {
                if (host != null) {
                    host.close();
                } else {
                    network.close();
                }
                throw e;
            }
        }

        /** Stops the servers and the shards, then deletes the namespace, whatever fails first. */
        @Override
        public void close() throws IOException {
            try {
                servers.forEach(SampleServers::close);
                shards.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                network.close();
            }
        }
    }
}
