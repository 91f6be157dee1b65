package io.tcpsim.link.tun;

import static io.tcpsim.socket.SocketConstants.AF_INET6;
import static io.tcpsim.socket.SocketConstants.POLLIN;
import static io.tcpsim.socket.SocketConstants.SOCK_DGRAM;
import static io.tcpsim.socket.SocketConstants.SOCK_STREAM;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcpsim.app.SampleServers;
import io.tcpsim.app.Service;
import io.tcpsim.ip.IpDrop;
import io.tcpsim.socket.Errno;
import io.tcpsim.socket.PollFd;
import io.tcpsim.socket.SockAddrIn6;
import io.tcpsim.socket.SocketApi;
import io.tcpsim.socket.SocketConstants;
import io.tcpsim.socket.SocketLimits;
import io.tcpsim.testsupport.RequiresTun;
import io.tcpsim.tun.ProcessResult;
import io.tcpsim.wire.IpAddress;
import io.tcpsim.wire.Ipv4Address;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * IPv6 end to end through a real TUN, in a namespace the test creates and removes: the kernel at
 * fd00::1 (nodad), tcpsim at fd00::2, the IPv4 pair beside them. ping -6, curl -6 and nc -6 to
 * tcpsim's sample servers, tcpsim's AF_INET6 connect to a Linux listener, and one AF_INET6
 * listener on :: taking an IPv4 and an IPv6 client at once with the right names; UDP over IPv6:
 * nc -6 -u and Python to the UDP echo on ::, ICMPv6 port unreachables both ways, a large datagram
 * fragmented for the kernel to reassemble, and one the kernel fragments for tcpsim to reassemble.
 */
@RequiresTun
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class Ipv6OverTunTest {
    private static final int STACK = Ipv4Address.parse(LiveStack.STACK);

    private static SocketApi api(LiveStack live) {
        return new SocketApi(live.stack(), LiveStack.clock(), STACK, IpAddress.parse(LiveStack.STACK6),
                SocketLimits.LINUX_DEFAULTS);
    }

    @Test
    void pingSixGetsEveryReply() throws Exception {
        try (LiveStack live = LiveStack.startWithIpv6(null)) {
            for (int size : List.of(0, 56, 1000, 1452)) {
                ProcessResult ping = live.exec("ping", "-6", "-n", "-c", "2", "-i", "0.2", "-W", "2", "-s",
                        Integer.toString(size), LiveStack.STACK6);
                assertTrue(ping.success() && ping.stdout().contains("2 received"), "size " + size + ": "
                        + ping.stdout() + ping.stderr());
            }
            assertEquals(8L, live.stack().counters().snapshot().get("Icmp6OutEchoReplies"));
            assertEquals(0, live.stack().counters().dropped(IpDrop.INTERNAL_ERROR));
        }
    }

    @Test
    void curlSixAndNcSixReachTheSampleServersOnTheDualStackListener() throws Exception {
        try (LiveStack live = LiveStack.startWithIpv6(null)) {
            SampleServers.start(api(live), 0, true, List.of(new Service.On(Service.HTTP, 8080),
                    new Service.On(Service.ECHO, 7)));
            ProcessResult curl = live.exec("curl", "-6", "-s", "-m", "10", "-o", "/dev/null", "-w", "%{http_code}",
                    "http://[" + LiveStack.STACK6 + "]:8080/");
            assertEquals("200", curl.stdout(), curl.stderr());
            ProcessResult curl4 = live.exec("curl", "-4", "-s", "-m", "10", "-o", "/dev/null", "-w", "%{http_code}",
                    "http://" + LiveStack.STACK + ":8080/");
            assertEquals("200", curl4.stdout(), "the same listener serves IPv4: " + curl4.stderr());
            ProcessResult nc = live.exec("bash", "-c", "printf 'one\\ntwo\\n' | timeout 10 nc -6 -N "
                    + LiveStack.STACK6 + " 7");
            assertEquals("one\ntwo\n", nc.stdout(), nc.stderr());
        }
    }

    @Test
    void tcpsimConnectsToALinuxIpv6ListenerAndExchangesData() throws Exception {
        try (LiveStack live = LiveStack.startWithIpv6(null)) {
            SocketApi api = api(live);
            ServerSocket server = live.kernel(() -> new ServerSocket(6100, 4, InetAddress.getByName(LiveStack.KERNEL6)));
            try (server) {
                CompletableFuture<String> linux = CompletableFuture.supplyAsync(() -> {
                    try (Socket peer = server.accept()) {
                        String got = new String(peer.getInputStream().readNBytes(5), StandardCharsets.US_ASCII);
                        peer.getOutputStream().write(("echo:" + got).getBytes(StandardCharsets.US_ASCII));
                        return peer.getInetAddress().getHostAddress();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                int fd = api.socket(AF_INET6, SOCK_STREAM, 0);
                assertEquals(0, api.connect(fd, SockAddrIn6.of(IpAddress.parse(LiveStack.KERNEL6).bytes(), 6100)),
                        "connect errno " + SocketApi.errno());
                SockAddrIn6 local = new SockAddrIn6();
                assertEquals(0, api.getsockname(fd, local));
                assertEquals(IpAddress.parse(LiveStack.STACK6), IpAddress.ofIpv6(local.address()));
                assertEquals(5, api.write(fd, "hello".getBytes(StandardCharsets.US_ASCII), 0, 5));
                byte[] reply = new byte[10];
                int got = 0;
                while (got < reply.length) {
                    long n = api.read(fd, reply, got, reply.length - got);
                    assertTrue(n > 0, "read " + n);
                    got += (int) n;
                }
                assertEquals("echo:hello", new String(reply, StandardCharsets.US_ASCII));
                assertEquals("fd00:0:0:0:0:0:0:2", linux.get(10, TimeUnit.SECONDS), "Linux saw tcpsim's IPv6 address");
                api.close(fd);
            }
        }
    }

    /** RFC 3493 §3.7: one AF_INET6 socket on :: accepts both families; the IPv4 peer is named ::ffff:10.0.0.1. */
    @Test
    void oneDualStackListenerAcceptsAnIpv4AndAnIpv6ClientAtOnce() throws Exception {
        try (LiveStack live = LiveStack.startWithIpv6(null)) {
            SocketApi api = api(live);
            int listener = api.socket(AF_INET6, SOCK_STREAM, 0);
            assertEquals(0, api.bind(listener, SockAddrIn6.of(SockAddrIn6.ANY, 7100)));
            assertEquals(0, api.listen(listener, 4));
            Socket v4 = live.kernel(() -> new Socket(LiveStack.STACK, 7100));
            Socket v6 = live.kernel(() -> new Socket(LiveStack.STACK6, 7100));
            try (v4; v6) {
                SockAddrIn6 first = new SockAddrIn6();
                SockAddrIn6 second = new SockAddrIn6();
                int a = api.accept(listener, first);
                int b = api.accept(listener, second);
                assertTrue(a >= 0 && b >= 0, "both accepted");
                List<IpAddress> peers = List.of(IpAddress.ofIpv6(first.address()), IpAddress.ofIpv6(second.address()));
                assertTrue(peers.contains(IpAddress.parse("::ffff:10.0.0.1")), "IPv4 peer, mapped: " + peers);
                assertTrue(peers.contains(IpAddress.parse(LiveStack.KERNEL6)), "IPv6 peer: " + peers);
                for (int fd : new int[] {a, b}) {
                    assertEquals(3, api.write(fd, "hi\n".getBytes(StandardCharsets.US_ASCII), 0, 3));
                }
                assertEquals("hi\n", readThree(v4.getInputStream()));
                assertEquals("hi\n", readThree(v6.getInputStream()));
                OutputStream out = v6.getOutputStream();
                out.write('x');
                SockAddrIn6 name = new SockAddrIn6();
                int six = IpAddress.ofIpv6(first.address()).isIpv4() ? b : a;
                assertEquals(0, api.getsockname(six, name));
                assertEquals(IpAddress.parse(LiveStack.STACK6), IpAddress.ofIpv6(name.address()));
                api.close(a);
                api.close(b);
            }
            api.close(listener);
        }
    }

    /** The kernel's UDP to tcpsim's echo on :: over both families, and to a closed port over IPv6. */
    private static final String UDP_CLIENT = """
            import socket
            for family, host in ((socket.AF_INET6, 'fd00::2'), (socket.AF_INET, '10.0.0.2')):
                s = socket.socket(family, socket.SOCK_DGRAM)
                s.settimeout(5)
                s.sendto(b'udp-echo', (host, 7))
                data, sender = s.recvfrom(100)
                print(data.decode(), sender[0], sender[1])
            s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
            s.connect(('fd00::2', 5999))
            s.send(b'probe')
            s.settimeout(5)
            try:
                s.recv(100)
                print('datagram')
            except ConnectionRefusedError:
                print('ECONNREFUSED')
            except TimeoutError:
                print('timeout')
            """;

    @Test
    void udpEchoOnTheDualStackSocketAnswersNcSixAndPythonInBothFamilies() throws Exception {
        try (LiveStack live = LiveStack.startWithIpv6(null)) {
            SampleServers.start(api(live), 0, true, List.of(new Service.On(Service.ECHO, 7)));
            ProcessResult nc = live.exec("bash", "-c", "printf 'over-six\\n' | timeout 10 nc -6 -u -w 2 "
                    + LiveStack.STACK6 + " 7");
            assertEquals("over-six\n", nc.stdout(), nc.stderr());
            ProcessResult py = live.exec("/usr/bin/python3", "-c", UDP_CLIENT);
            assertEquals(List.of("udp-echo fd00::2 7", "udp-echo 10.0.0.2 7", "ECONNREFUSED"),
                    py.stdout().lines().toList(), py.stderr());
            assertEquals(1L, live.stack().counters().snapshot().get("Icmp6OutDestUnreachs"));
            assertEquals(0, live.stack().udp().counters().inCsumErrors());
            assertEquals(0, live.stack().counters().dropped(IpDrop.INTERNAL_ERROR));
        }
    }

    /** The kernel answers tcpsim's datagram to a closed port with an ICMPv6 port unreachable: ECONNREFUSED. */
    @Test
    void tcpsimsConnectedUdpSocketToAClosedKernelPort_isRefusedByIcmpv6() throws Exception {
        try (LiveStack live = LiveStack.startWithIpv6(null)) {
            SocketApi api = api(live);
            int fd = api.socket(AF_INET6, SOCK_DGRAM, 0);
            assertEquals(0, api.connect(fd, SockAddrIn6.of(IpAddress.parse(LiveStack.KERNEL6).bytes(), 5999)),
                    "connect errno " + SocketApi.errno());
            SockAddrIn6 local = new SockAddrIn6();
            assertEquals(0, api.getsockname(fd, local));
            assertEquals(IpAddress.parse(LiveStack.STACK6), IpAddress.ofIpv6(local.address()));
            assertEquals(5, api.send(fd, "probe".getBytes(StandardCharsets.US_ASCII), 0, 5, 0));
            PollFd wait = new PollFd(fd, POLLIN);
            assertEquals(1, api.poll(new PollFd[] {wait}, 5000));
            assertTrue((wait.revents & SocketConstants.POLLERR) != 0, "the error arrived: revents " + wait.revents);
            assertEquals(-1, api.recv(fd, new byte[16], 0, 16, 0));
            assertEquals(Errno.ECONNREFUSED, SocketApi.errno());
            api.close(fd);
        }
    }

    /** RFC 8200 §4.5: a 4000-byte datagram goes in fragments that the kernel reassembles. */
    @Test
    void largeUdpDatagramFromTcpsim_isFragmentedAndTheKernelReassemblesIt() throws Exception {
        try (LiveStack live = LiveStack.startWithIpv6(null)) {
            SocketApi api = api(live);
            DatagramSocket linux = live.kernel(() -> new DatagramSocket(new InetSocketAddress(
                    InetAddress.getByName(LiveStack.KERNEL6), 6200)));
            try (linux) {
                linux.setSoTimeout(5000);
                byte[] data = new byte[4000];
                for (int i = 0; i < data.length; i++) {
                    data[i] = (byte) (i * 13 + 5);
                }
                int fd = api.socket(AF_INET6, SOCK_DGRAM, 0);
                SockAddrIn6 to = SockAddrIn6.of(IpAddress.parse(LiveStack.KERNEL6).bytes(), 6200);
                assertEquals(data.length, api.sendto(fd, data, 0, data.length, 0, to), "errno " + SocketApi.errno());
                DatagramPacket got = new DatagramPacket(new byte[8000], 8000);
                linux.receive(got);
                assertEquals(data.length, got.getLength());
                assertArrayEquals(data, Arrays.copyOf(got.getData(), got.getLength()));
                assertEquals(3L, live.stack().counters().snapshot().get("IpFragCreates"));
                api.close(fd);
            }
        }
    }

    /** 4000 bytes to the UDP echo over both families: the kernel fragments, tcpsim reassembles and echoes. */
    private static final String LARGE_UDP_CLIENT = """
            import socket
            data = bytes((i * 13 + 5) % 256 for i in range(4000))
            for family, host in ((socket.AF_INET6, 'fd00::2'), (socket.AF_INET, '10.0.0.2')):
                s = socket.socket(family, socket.SOCK_DGRAM)
                s.settimeout(5)
                s.sendto(data, (host, 7))
                got, sender = s.recvfrom(8000)
                print(len(got), got == data, sender[0])
            """;

    @Test
    void largeUdpDatagramFromTheKernel_isReassembledByTcpsimAndEchoed() throws Exception {
        try (LiveStack live = LiveStack.startWithIpv6(null)) {
            SampleServers.start(api(live), 0, true, List.of(new Service.On(Service.ECHO, 7)));
            ProcessResult py = live.exec("/usr/bin/python3", "-c", LARGE_UDP_CLIENT);
            assertEquals(List.of("4000 True fd00::2", "4000 True 10.0.0.2"), py.stdout().lines().toList(), py.stderr());
            assertEquals(1L, live.stack().counters().reassembly4().oks());
            assertEquals(1L, live.stack().counters().reassembly6().oks());
            assertEquals(0, live.stack().counters().reassembly4().fails() + live.stack().counters().reassembly6().fails());
        }
    }

    private static String readThree(InputStream in) throws Exception {
        return new String(in.readNBytes(3), StandardCharsets.US_ASCII);
    }
}
