package io.tcpsim.link.tun;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcpsim.tcp.TcpConnection;
import io.tcpsim.tcp.TcpState;
import io.tcpsim.testsupport.Captures;
import io.tcpsim.testsupport.RequiresTun;
import io.tcpsim.wire.Ipv4Address;
import io.tcpsim.wire.Ipv4Packet;
import io.tcpsim.wire.TcpPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import jdk.net.ExtendedSocketOptions;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keep-alives and urgent data between tcpsim and the Linux kernel through a TUN, each test in a
 * namespace of its own, checked in tcpsim's capture: the kernel answers tcpsim's probes (SND.UNA
 * - 1, no data), tcpsim answers the kernel's, and both put the urgent pointer one past the urgent
 * byte.
 */
@RequiresTun
class KeepAliveAndUrgentOverTunTest {
    private static final int STACK = Ipv4Address.parse(LiveStack.STACK);
    private static final int KERNEL = Ipv4Address.parse(LiveStack.KERNEL);
    /** Long enough for three probes one second apart; an unanswered schedule would have failed by 3 s. */
    private static final long OBSERVE_MILLIS = 3500;

    @Test
    void tcpsimKeepAliveProbesAreAnsweredByTheKernel(@TempDir Path dir) throws Exception {
        Path pcap = dir.resolve("keepalive.pcap");
        int sndUna;
        try (LiveStack live = LiveStack.start(pcap)) {
            ServerSocket server = live.kernel(() -> new ServerSocket(5101, 4, InetAddress.getByName(LiveStack.KERNEL)));
            TcpConnection c = live.onStack((tcp, now) -> {
                TcpConnection conn = tcp.connect(STACK, KERNEL, 5101, now);
                conn.setKeepAliveIdle(Duration.ofSeconds(1), now);
                conn.setKeepAliveInterval(Duration.ofSeconds(1));
                conn.setKeepAliveProbes(2);
                conn.setKeepAlive(true, now);
                return conn;
            });
            Socket accepted = live.kernel(server::accept);
            Thread.sleep(OBSERVE_MILLIS);
            assertEquals(TcpState.ESTABLISHED, live.onStack((tcp, now) -> c.state()));
            sndUna = live.onStack((tcp, now) -> c.sndUna());
            accepted.close();
            server.close();
        }
        List<TcpPacket> probes = new ArrayList<>();
        List<TcpPacket> answers = new ArrayList<>();
        for (TcpPacket[] p : segments(pcap)) {
            if (p[0] != null && bareAck(p[0]) && p[0].seqNumber() == sndUna - 1) {
                probes.add(p[0]);
            } else if (p[1] != null && bareAck(p[1]) && p[1].ackNumber() == sndUna) {
                answers.add(p[1]);
            }
        }
        assertTrue(probes.size() >= 3, "a probe about every second: " + probes.size());
        assertEquals(probes.size(), answers.size(), "the kernel answers every probe");
    }

    @Test
    void kernelKeepAliveProbesAreAnsweredByTcpsim(@TempDir Path dir) throws Exception {
        Path pcap = dir.resolve("kernel-keepalive.pcap");
        try (LiveStack live = LiveStack.start(pcap)) {
            live.onStack((tcp, now) -> tcp.listen(STACK, 5102, 4));
            live.kernel(() -> {
                try (Socket socket = new Socket()) {
                    socket.setKeepAlive(true);
                    socket.setOption(ExtendedSocketOptions.TCP_KEEPIDLE, 1);
                    socket.setOption(ExtendedSocketOptions.TCP_KEEPINTERVAL, 1);
                    socket.setOption(ExtendedSocketOptions.TCP_KEEPCOUNT, 1);
                    socket.connect(new InetSocketAddress(LiveStack.STACK, 5102), 2000);
                    socket.setSoTimeout((int) OBSERVE_MILLIS);
                    // One unanswered probe would have ended the connection (ETIMEDOUT) after 2 s.
                    assertThrows(SocketTimeoutException.class, () -> socket.getInputStream().read());
                }
                return null;
            });
        }
        List<TcpPacket[]> segments = segments(pcap);
        int kernelIss = segments.stream().filter(p -> p[1] != null && p[1].syn()).findFirst().orElseThrow()[1].seqNumber();
        int probes = 0;
        int answers = 0;
        for (TcpPacket[] p : segments) {
            if (p[1] != null && bareAck(p[1]) && p[1].seqNumber() == kernelIss) {
                probes++; // SND.UNA - 1: no data was sent after the SYN
            } else if (p[0] != null && bareAck(p[0]) && p[0].ackNumber() == kernelIss + 1) {
                answers++;
            }
        }
        assertTrue(probes >= 3, "the kernel probed about every second: " + probes);
        assertEquals(probes, answers, "tcpsim answers every probe");
    }

    @Test
    void urgentPointerPointsOnePastTheUrgentByteBothWays(@TempDir Path dir) throws Exception {
        Path pcap = dir.resolve("urgent.pcap");
        CompletableFuture<TcpConnection> accepted = new CompletableFuture<>();
        try (LiveStack live = LiveStack.start(pcap)) {
            live.onStack((tcp, now) -> {
                tcp.listen(STACK, 5103, 4).setAcceptHandler(l -> accepted.complete(l.accept()));
                return null;
            });
            Socket socket = live.kernel(() -> {
                Socket s = new Socket(LiveStack.STACK, 5103);
                s.setTcpNoDelay(true);
                s.setOOBInline(true);
                s.getOutputStream().write("ab".getBytes(StandardCharsets.US_ASCII));
                s.sendUrgentData('c'); // send(fd, "c", 1, MSG_OOB)
                return s;
            });
            TcpConnection c = accepted.get(5, TimeUnit.SECONDS);
            Awaitility.await().atMost(Duration.ofSeconds(5)).until(() -> live.onStack((tcp, now) -> c.urgentPending()));
            String read = live.onStack((tcp, now) -> {
                byte[] buf = new byte[8];
                int n = c.read(buf, 0, buf.length, now);
                return new String(buf, 0, n, StandardCharsets.US_ASCII) + (char) c.readUrgent(false);
            });
            assertEquals("abc", read, "the stream up to the mark, then the urgent byte out of band");
            live.onStack((tcp, now) -> c.write("xyz".getBytes(StandardCharsets.US_ASCII), 0, 3, true, false, now));
            byte[] got = live.kernel(() -> socket.getInputStream().readNBytes(3));
            assertArrayEquals("xyz".getBytes(StandardCharsets.US_ASCII), got, "SO_OOBINLINE on the kernel's side");
            socket.close();
        }
        TcpPacket fromKernel = null;
        TcpPacket fromTcpsim = null;
        for (TcpPacket[] p : segments(pcap)) {
            if (p[1] != null && p[1].urg()) {
                fromKernel = p[1];
            } else if (p[0] != null && p[0].urg()) {
                fromTcpsim = p[0];
            }
        }
        assertEquals(1, fromKernel.payload().byteSize());
        assertEquals(1, fromKernel.urgentPointer(), "Linux: one past the urgent byte (tcp_stdurg = 0)");
        assertEquals(3, fromTcpsim.payload().byteSize());
        assertEquals(3, fromTcpsim.urgentPointer(), "tcpsim the same");
    }

    private static boolean bareAck(TcpPacket p) {
        return p.flags() == TcpPacket.ACK && p.payload().byteSize() == 0;
    }

    /** Every TCP segment of the capture as {from tcpsim, from the kernel}, one of them null. */
    private static List<TcpPacket[]> segments(Path pcap) {
        List<TcpPacket[]> out = new ArrayList<>();
        for (Captures.Frame frame : Captures.read(pcap)) {
            if (frame.ipPacket() instanceof Captures.LinkPayload.Ip(var packet)) {
                Ipv4Packet ip = Ipv4Packet.checked(packet);
                if (ip.protocol() == 6) {
                    TcpPacket tcp = TcpPacket.checked(ip.payload());
                    out.add(ip.srcAddr() == STACK ? new TcpPacket[] {tcp, null} : new TcpPacket[] {null, tcp});
                }
            }
        }
        return out;
    }
}
