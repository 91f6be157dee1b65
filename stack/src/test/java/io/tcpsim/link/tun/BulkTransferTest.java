package io.tcpsim.link.tun;

import static io.tcpsim.socket.SocketConstants.AF_INET;
import static io.tcpsim.socket.SocketConstants.SOCK_STREAM;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcpsim.socket.SockAddrIn;
import io.tcpsim.socket.SocketApi;
import io.tcpsim.testsupport.RequiresTun;
import io.tcpsim.wire.Ipv4Address;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bulk data between the Linux kernel and tcpsim's socket API through a real TUN, each way, with
 * SHA-256 compared on both sides; with random loss on the kernel side (nftables) the bytes must
 * still all arrive, in order, once, and tcpsim must have retransmitted, with SACK-based recovery
 * (SACK is negotiated with the kernel).
 */
@RequiresTun
class BulkTransferTest {

    private static final int STACK = Ipv4Address.parse(LiveStack.STACK);
    private static final long MIB = 1 << 20;
    private static final int CHUNK = 64 * 1024;

    @ParameterizedTest(name = "{0} % loss on the kernel side")
    @ValueSource(ints = {0, 1, 5})
    void kernelToTcpsimAndBackHashesMatch(int lossPercent) throws Exception {
        long bytes = switch (lossPercent) {
            case 0 -> 256 * MIB;
            case 1 -> 32 * MIB;
            default -> 8 * MIB;
        };
        try (LiveStack live = LiveStack.start(null)) {
            if (lossPercent > 0) {
                dropOnTheKernelSide(live, lossPercent);
            }
            SocketApi api = new SocketApi(live.stack(), LiveStack.clock(), STACK);
            assertEquals(sha256Of(bytes, 1), kernelSendsTcpsimReceives(live, api, bytes, 1), "kernel -> tcpsim");
            assertEquals(sha256Of(bytes, 2), tcpsimSendsKernelReceives(live, api, bytes, 2), "tcpsim -> kernel");
            if (lossPercent > 0) {
                long retransmitted = live.onStack((tcp, now) -> tcp.counters().retransSegs());
                assertTrue(retransmitted > 0, "tcpsim retransmitted under loss");
                // SACK is negotiated with the kernel: its ACKs carry SACK blocks and tcpsim's losses
                // are repaired by RFC 6675 recovery.
                long sackRecoveries = live.onStack((tcp, now) -> tcp.counters().sackRecovery());
                assertTrue(sackRecoveries > 0, "tcpsim recovered with SACK");
            }
        }
    }

    /**
     * Losses of the kernel's data (dropped as tcpsim receives them) are repaired by the kernel's
     * SACK recovery from the SACK blocks tcpsim sends: never NewReno, no SACK block discarded.
     */
    @Test
    void kernelRepairsItsLossesWithTcpsimsSackBlocks() throws Exception {
        long bytes = 4 * MIB;
        DropOnReceive[] drop = new DropOnReceive[1];
        try (LiveStack live = LiveStack.start(null, 1500, UnaryOperator.identity(),
                link -> drop[0] = new DropOnReceive(link, 0.03, 42))) {
            SocketApi api = new SocketApi(live.stack(), LiveStack.clock(), STACK);
            assertEquals(sha256Of(bytes, 3), kernelSendsTcpsimReceives(live, api, bytes, 3), "kernel -> tcpsim");
            long dropped = live.onStack((tcp, now) -> drop[0].dropped());
            assertTrue(dropped > 0, "packets were dropped");
            assertTrue(kernelCounter(live, "TCPSackRecovery") > 0, "the kernel recovered with SACK");
            assertEquals(0, kernelCounter(live, "TCPRenoRecovery"), "the kernel never fell back to NewReno");
            assertEquals(0, kernelCounter(live, "TCPSACKDiscard"), "the kernel found every SACK block valid");
        }
    }

    /** A TcpExt counter of the kernel in the namespace, from /proc/net/netstat (what nstat reads). */
    private static long kernelCounter(LiveStack live, String name) throws IOException {
        List<String[]> tcpExt = live.exec("cat", "/proc/net/netstat").stdout().lines()
                .filter(line -> line.startsWith("TcpExt:")).map(line -> line.split(" ")).toList();
        int column = List.of(tcpExt.get(0)).indexOf(name);
        assertTrue(column > 0, "no TcpExt counter " + name);
        return Long.parseLong(tcpExt.get(1)[column]);
    }

    /** Kernel writes {@code bytes} of seeded data to a tcpsim listener; returns what tcpsim hashed. */
    private static String kernelSendsTcpsimReceives(LiveStack live, SocketApi api, long bytes, int seed) throws Exception {
        int listener = api.socket(AF_INET, SOCK_STREAM, 0);
        check(api.bind(listener, SockAddrIn.of(STACK, 6001)), "bind");
        check(api.listen(listener, 4), "listen");
        CompletableFuture<String> received = onVirtualThread(() -> {
            int fd = api.accept(listener, new SockAddrIn());
            check(fd, "accept");
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[CHUNK];
            long n;
            while ((n = api.read(fd, buffer, 0, buffer.length)) > 0) {
                sha.update(buffer, 0, (int) n);
            }
            check(n, "read");
            api.close(fd);
            return HexFormat.of().formatHex(sha.digest());
        });
        live.kernel(() -> {
            try (Socket socket = new Socket(LiveStack.STACK, 6001)) {
                writeSeeded(socket.getOutputStream(), bytes, seed);
            }
            return null;
        });
        String hash = received.get(5, TimeUnit.MINUTES);
        api.close(listener);
        return hash;
    }

    /** tcpsim writes {@code bytes} of seeded data to a kernel listener; returns what the kernel hashed. */
    private static String tcpsimSendsKernelReceives(LiveStack live, SocketApi api, long bytes, int seed) throws Exception {
        ServerSocket server = live.kernel(() -> new ServerSocket(6002, 4, java.net.InetAddress.getByName(LiveStack.KERNEL)));
        CompletableFuture<String> received = onVirtualThread(() -> {
            try (Socket peer = server.accept(); InputStream in = peer.getInputStream()) {
                MessageDigest sha = MessageDigest.getInstance("SHA-256");
                byte[] buffer = new byte[CHUNK];
                int n;
                while ((n = in.read(buffer)) > 0) {
                    sha.update(buffer, 0, n);
                }
                return HexFormat.of().formatHex(sha.digest());
            }
        });
        int fd = api.socket(AF_INET, SOCK_STREAM, 0);
        check(api.connect(fd, SockAddrIn.of(Ipv4Address.parse(LiveStack.KERNEL), 6002)), "connect");
        Random random = new Random(seed);
        byte[] chunk = new byte[CHUNK];
        for (long sent = 0; sent < bytes; sent += CHUNK) {
            random.nextBytes(chunk);
            check(api.write(fd, chunk, 0, chunk.length), "write");
        }
        check(api.close(fd), "close");
        String hash = received.get(5, TimeUnit.MINUTES);
        server.close();
        return hash;
    }

    private static void writeSeeded(OutputStream out, long bytes, int seed) throws IOException {
        Random random = new Random(seed);
        byte[] chunk = new byte[CHUNK];
        for (long sent = 0; sent < bytes; sent += CHUNK) {
            random.nextBytes(chunk);
            out.write(chunk);
        }
    }

    private static String sha256Of(long bytes, int seed) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        Random random = new Random(seed);
        byte[] chunk = new byte[CHUNK];
        for (long done = 0; done < bytes; done += CHUNK) {
            random.nextBytes(chunk);
            sha.update(chunk);
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    /** nftables in the namespace: drop this share of the packets crossing the TUN, both ways. */
    private static void dropOnTheKernelSide(LiveStack live, int percent) throws Exception {
        live.exec("nft", "add", "table", "inet", "imp").orThrow();
        live.exec("nft", "add", "chain", "inet", "imp", "out", "{ type filter hook output priority 0; }").orThrow();
        live.exec("nft", "add", "chain", "inet", "imp", "in", "{ type filter hook input priority 0; }").orThrow();
        live.exec("nft", "add", "rule", "inet", "imp", "out", "oifname", "tun0", "numgen", "random", "mod", "100",
                "<", Integer.toString(percent), "drop").orThrow();
        live.exec("nft", "add", "rule", "inet", "imp", "in", "iifname", "tun0", "numgen", "random", "mod", "100",
                "<", Integer.toString(percent), "drop").orThrow();
    }

    private static <T> CompletableFuture<T> onVirtualThread(Callable<T> task) {
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try {
                result.complete(task.call());
            } catch (Exception | AssertionError e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    private static void check(long result, String call) {
        if (result < 0) {
            throw new AssertionError(call + " failed: errno " + SocketApi.errno());
        }
    }
}
