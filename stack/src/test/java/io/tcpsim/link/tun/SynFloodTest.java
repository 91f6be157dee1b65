package io.tcpsim.link.tun;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcpsim.app.EchoServer;
import io.tcpsim.tcp.TcpCounters;
import io.tcpsim.tcp.TcpListener;
import io.tcpsim.testsupport.RequiresTun;
import io.tcpsim.wire.Ipv4Address;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Issue 9 (a): hping3 floods a tcpsim listener with SYNs from random source addresses and ports,
 * inside the test's namespace (the SYN-ACKs to those addresses reach the namespace's kernel, which
 * does not forward, and end there), while Linux clients connect. The SYN queue stays at its
 * bound, the overflow is answered with SYN cookies (RFC 4987 §3.6) and the legitimate clients get
 * in through them. Bounded: {@value #FLOOD_SYNS} SYNs, at most {@value #FLOOD_SECONDS} s.
 */
@RequiresTun
class SynFloodTest {
    static final String NAMESPACE_PREFIX = "tcpsim-rb";
    private static final int PORT = 5000;
    private static final int BACKLOG = 128;
    private static final int FLOOD_SYNS = 200_000;
    private static final int FLOOD_SECONDS = 80;
    private static final int CLIENTS = 200;
    private static final int BATCHES = 10;
    private static final long CONNECT_WAIT_MILLIS = 15_000;
    /** The stack's whole heap may grow by this much (200 connections and the SYN queue; nothing per flooding SYN). */
    private static final long MAX_HEAP_GROWTH = 64L << 20;

    @Test
    void synFloodLeavesRoomForLegitimateClientsThroughCookies() throws Exception {
        try (LiveStack live = LiveStack.start(NAMESPACE_PREFIX, null, 1500, UnaryOperator.identity(),
                UnaryOperator.identity())) {
            live.onStack((tcp, now) -> EchoServer.listen(tcp, LiveStack.clock(), Ipv4Address.parse(LiveStack.STACK),
                    PORT, BACKLOG));
            TcpListener listener = live.onStack((tcp, now) -> tcp.listeners().getFirst());
            long heapBefore = usedHeapAfterGc();
            long started = System.nanoTime();
            Process flood = live.command("hping3", "-q", "-S", "-p", Integer.toString(PORT), "--rand-source",
                    "-c", Integer.toString(FLOOD_SYNS), "-i", "u1", LiveStack.STACK).redirectErrorStream(true).start();
            int maxSynQueue = 0;
            int maxConnections = 0;
            List<SocketChannel> clients = new ArrayList<>();
            try {
                Thread.sleep(500); // the flood has filled the SYN queue
                for (int batch = 0; batch < BATCHES; batch++) {
                    clients.addAll(live.kernel(() -> connectBatch(CLIENTS / BATCHES)));
                    Thread.sleep(300);
                    maxSynQueue = Math.max(maxSynQueue, live.onStack((tcp, now) -> listener.synQueueLength()));
                    maxConnections = Math.max(maxConnections, live.onStack((tcp, now) -> tcp.connections().size()));
                }
                boolean floodEnded = flood.waitFor(FLOOD_SECONDS, TimeUnit.SECONDS);
                String hping = new String(flood.getInputStream().readAllBytes());
                assertTrue(floodEnded, "hping3 ended within " + FLOOD_SECONDS + " s");
                // hping3 exits 1 when no reply came back, as none does to random sources.
                assertTrue(hping.contains(FLOOD_SYNS + " packets transmitted"), hping);
                double floodSeconds = (System.nanoTime() - started) / 1e9;
                int echoed = awaitEchoes(clients);
                TcpCounters counters = live.onStack((tcp, now) -> tcp.counters());
                long inSegs = counters.inSegs();
                long heapGrowth = usedHeapAfterGc() - heapBefore;
                String figures = String.format(
                        "flood %d SYNs in %.1f s (%s); tcpsim took %d segments; clients %d/%d echoed, %d passive opens;"
                                + " max SYN queue %d, max connections %d; SyncookiesSent %d Recv %d Failed %d,"
                                + " ListenDrops %d, ListenOverflows %d; heap growth %d KiB",
                        FLOOD_SYNS, floodSeconds, hping.strip().replace('\n', ' '), inSegs, echoed, CLIENTS,
                        counters.passiveOpens(), maxSynQueue, maxConnections, counters.syncookiesSent(),
                        counters.syncookiesRecv(), counters.syncookiesFailed(), counters.listenDrops(),
                        counters.listenOverflows(), heapGrowth / 1024);
                System.out.println("SynFloodTest: " + figures);
                assertTrue(echoed * 100 >= CLIENTS * 99, "at least 99 % connect and are echoed: " + figures);
                assertTrue(maxSynQueue <= BACKLOG + 1, "the SYN queue is bounded: " + figures);
                assertTrue(maxConnections <= BACKLOG + 1 + CLIENTS, "no state per flooding SYN: " + figures);
                assertTrue(counters.syncookiesSent() > inSegs / 2, "the flood was answered with cookies: " + figures);
                assertTrue(heapGrowth < MAX_HEAP_GROWTH, "memory stays bounded: " + figures);
                assertTrue(counters.syncookiesRecv() > 0, "clients came in through cookies: " + figures);
            } finally {
                flood.destroy();
                flood.waitFor(10, TimeUnit.SECONDS);
                for (SocketChannel c : clients) {
                    c.close();
                }
            }
        }
    }

    private static long usedHeapAfterGc() {
        System.gc();
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }

    /** Opens {@code n} non-blocking connections from the kernel (called inside the namespace). */
    private static List<SocketChannel> connectBatch(int n) throws IOException {
        List<SocketChannel> batch = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            SocketChannel channel = SocketChannel.open();
            channel.configureBlocking(false);
            channel.connect(new InetSocketAddress(LiveStack.STACK, PORT));
            batch.add(channel);
        }
        return batch;
    }

    /**
     * Each client, once connected, sends a line and waits for the echo: a client whose final ACK
     * was lost thinks it is connected, and its data segment is the one that completes the cookie
     * handshake (as with Linux's cookies). Returns how many got their line back.
     */
    private static int awaitEchoes(List<SocketChannel> clients) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CONNECT_WAIT_MILLIS);
        Map<SocketChannel, ByteBuffer> replies = new HashMap<>();
        int echoed = 0;
        while (echoed < clients.size() && System.nanoTime() < deadline) {
            echoed = 0;
            for (int i = 0; i < clients.size(); i++) {
                echoed += step(clients.get(i), "client " + i + "\n", replies) ? 1 : 0;
            }
            Thread.sleep(50);
        }
        return echoed;
    }

    /** One step of a client: connect, send its line once, read; true once the whole line is back. */
    private static boolean step(SocketChannel c, String line, Map<SocketChannel, ByteBuffer> replies) {
        byte[] bytes = line.getBytes(StandardCharsets.US_ASCII);
        try {
            if (!c.isConnected() && !c.finishConnect()) {
                return false;
            }
            ByteBuffer reply = replies.get(c);
            if (reply == null) {
                c.write(ByteBuffer.wrap(bytes));
                reply = ByteBuffer.allocate(bytes.length);
                replies.put(c, reply);
            }
            if (reply.hasRemaining()) {
                c.read(reply);
            }
            return !reply.hasRemaining() && Arrays.equals(reply.array(), bytes);
        } catch (IOException refusedResetOrTimedOut) {
            return false;
        }
    }
}
