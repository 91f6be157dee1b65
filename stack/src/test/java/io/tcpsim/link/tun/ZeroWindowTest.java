package io.tcpsim.link.tun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcpsim.tcp.TcpConnection;
import io.tcpsim.tcp.TcpError;
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
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 9 (c): tcpsim writes as fast as it may to a Linux reader that never reads (its window
 * shuts and stays shut). The persist timer probes with exponential backoff, the buffered bytes
 * never exceed the send buffer, and TCP_USER_TIMEOUT (RFC 5482) ends the connection with
 * ETIMEDOUT, as Linux tcp_probe_timer() does even though every probe is answered. Bounded:
 * {@value #USER_TIMEOUT_SECONDS} s of timeout, {@value #WAIT_SECONDS} s at most.
 */
@RequiresTun
class ZeroWindowTest {
    private static final int PORT = 5200;
    private static final int USER_TIMEOUT_SECONDS = 6;
    private static final int WAIT_SECONDS = 20;

    @Test
    void zeroWindowForeverBacksOffHoldsMemoryAndEndsOnTheUserTimeout(@TempDir Path dir) throws Exception {
        Path pcap = dir.resolve("zero.pcap");
        int sendBuffer;
        int wmemMax;
        List<Long> times = new ArrayList<>();
        TcpError error;
        int maxQueued = 0;
        long written = 0;
        long shutAt = 0;
        long closedAt = 0;
        try (LiveStack live = LiveStack.start(SynFloodTest.NAMESPACE_PREFIX, pcap, 1500, UnaryOperator.identity(),
                UnaryOperator.identity())) {
            int stack = Ipv4Address.parse(LiveStack.STACK);
            int kernel = Ipv4Address.parse(LiveStack.KERNEL);
            ServerSocket server = live.kernel(() -> {
                ServerSocket s = new ServerSocket();
                s.setReceiveBufferSize(4096);
                s.bind(new InetSocketAddress(InetAddress.getByName(LiveStack.KERNEL), PORT), 4);
                return s;
            });
            TcpConnection c = live.onStack((tcp, now) -> {
                TcpConnection conn = tcp.connect(stack, kernel, PORT, now);
                conn.setUserTimeout(Duration.ofSeconds(USER_TIMEOUT_SECONDS));
                return conn;
            });
            Socket neverRead = live.kernel(server::accept);
            sendBuffer = 0;
            wmemMax = live.onStack((tcp, now) -> tcp.config().tcpWmem().max());
            byte[] chunk = new byte[16_384];
            long deadline = System.nanoTime() + Duration.ofSeconds(WAIT_SECONDS).toNanos();
            while (System.nanoTime() < deadline && live.onStack((tcp, now) -> c.state()) != TcpState.CLOSED) {
                written += live.onStack((tcp, now) -> c.state() == TcpState.ESTABLISHED
                        ? Math.max(0, c.write(chunk, 0, chunk.length, now)) : 0);
                maxQueued = Math.max(maxQueued, live.onStack((tcp, now) -> c.sendQueueLength()));
                // Autotuning (Linux tcp_sndbuf_expand()) may grow the buffer while the window is open.
                sendBuffer = Math.max(sendBuffer, live.onStack((tcp, now) -> c.sendBufferSize()));
                if (shutAt == 0 && live.onStack((tcp, now) -> c.state() == TcpState.ESTABLISHED && c.sndWnd() == 0)) {
                    shutAt = System.nanoTime();
                }
                Thread.sleep(20);
            }
            closedAt = System.nanoTime();
            error = live.onStack((tcp, now) -> c.error());
            neverRead.close();
            server.close();
        }
        List<Instant> probes = probes(pcap);
        for (int i = 1; i < probes.size(); i++) {
            times.add(Duration.between(probes.get(i - 1), probes.get(i)).toMillis());
        }
        long shutFor = (closedAt - shutAt) / 1_000_000;
        String figures = String.format("written %d bytes, max queued %d (send buffer %d); %d probes, gaps %s ms;"
                + " window shut to closed %d ms; error %s", written, maxQueued, sendBuffer, probes.size(), times, shutFor,
                error);
        System.out.println("ZeroWindowTest: " + figures);
        assertEquals(TcpError.ETIMEDOUT, error, figures);
        assertTrue(maxQueued <= sendBuffer && sendBuffer <= wmemMax, "bounded memory: " + figures);
        assertTrue(probes.size() >= 3, figures);
        for (int i = 1; i < times.size() - 1; i++) {
            assertTrue(times.get(i) >= times.get(i - 1) * 3 / 2, "exponential backoff: " + figures);
        }
        // Linux counts the user timeout from the first probe timer (icsk_probes_tstamp), one RTO after the window shut.
        assertTrue(shutFor >= USER_TIMEOUT_SECONDS * 1000L && shutFor <= USER_TIMEOUT_SECONDS * 1000L + 1500,
                "ends on the user timeout: " + figures);
    }

    /** The window probes tcpsim sent: pure ACKs without data after the handshake's own ACK. */
    private static List<Instant> probes(Path pcap) {
        int stack = Ipv4Address.parse(LiveStack.STACK);
        List<Instant> probes = new ArrayList<>();
        boolean handshakeAckSeen = false;
        for (Captures.Frame frame : Captures.read(pcap)) {
            if (!(frame.ipPacket() instanceof Captures.LinkPayload.Ip(var packet))) {
                continue;
            }
            Ipv4Packet ip = Ipv4Packet.checked(packet);
            TcpPacket tcp = TcpPacket.checked(ip.payload());
            boolean pureAck = tcp.flags() == TcpPacket.ACK && tcp.payload().byteSize() == 0;
            if (ip.srcAddr() != stack || !pureAck) {
                continue;
            } else if (!handshakeAckSeen) {
                handshakeAckSeen = true;
            } else {
                probes.add(frame.timestamp());
            }
        }
        return probes;
    }
}
