package io.tcpsim.link.tun;

import static io.tcpsim.socket.SocketConstants.AF_INET;
import static io.tcpsim.socket.SocketConstants.AF_INET6;
import static io.tcpsim.socket.SocketConstants.SOCK_STREAM;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.tcpsim.link.FaultInjector;
import io.tcpsim.link.FaultInjector.Faults;
import io.tcpsim.link.LinkDevice;
import io.tcpsim.socket.SockAddr;
import io.tcpsim.socket.SockAddrIn;
import io.tcpsim.socket.SockAddrIn6;
import io.tcpsim.socket.SocketApi;
import io.tcpsim.socket.SocketLimits;
import io.tcpsim.testsupport.RequiresTun;
import io.tcpsim.wire.IpAddress;
import io.tcpsim.wire.Ipv4Address;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.Pcaps;

/**
 * Bulk data between the Linux kernel and tcpsim's socket API through a real TUN, each way, with
 * the SHA-256 of what one side wrote compared with the SHA-256 of what the other read. The lossy
 * runs drop packets at random on the kernel side (nftables, both ways) and reorder and duplicate
 * them on tcpsim's side (a seeded {@link FaultInjector}, both ways): every byte must still arrive,
 * in order, once, without a stall, and both sides must have retransmitted.
 *
 * <p>Sizes: {@code -Dtcpsim.bulk.mib=N} for the clean run (256 MiB each way by default),
 * {@code -Dtcpsim.bulk.lossyMib=N} for both lossy runs (see {@link #lossyMib}); long runs need a
 * longer JUnit timeout, see docs/testing.md.
 */
@RequiresTun
class BulkTransferTest {

    private static final int STACK = Ipv4Address.parse(LiveStack.STACK);
    private static final long MIB = 1 << 20;
    private static final int CHUNK = 64 * 1024;
    /** No byte delivered for this long is a stall (Linux's RTO backs off 1, 2, 4, 8 s: far less). */
    private static final Duration STALL = Duration.ofSeconds(30);
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** tcpsim's side of the lossy runs: 1 % duplicated, 1 % held back up to 1 ms (the RTT is ~0.1 ms). */
    private static final Faults REORDER_AND_DUPLICATE = Faults.NONE.withDuplicate(0.01)
            .withReorder(0.01, TimeUnit.MILLISECONDS.toNanos(1));

    /** What one side wrote or read: the byte count and their SHA-256. */
    private record Digest(long bytes, String sha256) {
    }

    /**
     * Also runs the same transfer kernel to kernel over a veth pair ({@link KernelPair}), with the
     * same Java code on both ends, and prints each direction's rate against it.
     */
    @Test
    void cleanTransferBothWaysHashesMatch() throws Exception {
        long bytes = Long.getLong("tcpsim.bulk.mib", 256) * MIB;
        double toTcpsim;
        double fromTcpsim;
        try (LiveStack live = LiveStack.start(null)) {
            SocketApi api = new SocketApi(live.stack(), LiveStack.clock(), STACK);
            toTcpsim = kernelSendsTcpsimReceives(live, api, bytes, 1);
            fromTcpsim = tcpsimSendsKernelReceives(live, api, bytes, 2);
        }
        double kernelToKernel = kernelToKernel(bytes, 3);
        System.out.printf("rate / kernel-to-kernel rate over veth: kernel -> tcpsim %.2f, tcpsim -> kernel %.2f%n",
                kernelToKernel / toTcpsim, kernelToKernel / fromTcpsim);
    }

    /**
     * The clean transfer over IPv6 (issue 10): an AF_INET6 listener on fd00::2 and an AF_INET6
     * connect to the kernel's fd00::1, MSS 1440, the same hashes compared.
     */
    @Test
    void cleanTransferOverIpv6BothWaysHashesMatch() throws Exception {
        long bytes = Long.getLong("tcpsim.bulk.mib", 256) * MIB;
        try (LiveStack live = LiveStack.startWithIpv6(null)) {
            SocketApi api = new SocketApi(live.stack(), LiveStack.clock(), STACK, IpAddress.parse(LiveStack.STACK6),
                    SocketLimits.LINUX_DEFAULTS);
            kernelSendsTcpsimReceives(live, api, bytes, 4, Endpoints.IPV6);
            tcpsimSendsKernelReceives(live, api, bytes, 5, Endpoints.IPV6);
        }
    }

    /**
     * The clean transfer on a TUN with offloads (IFF_VNET_HDR; TUN_F_CSUM, TSO4, TSO6), over IPv4
     * and IPv6: the kernel hands tcpsim its TSO packets whole (up to 64 KiB, checksum left partial,
     * which tcpsim must not verify) and takes tcpsim's coalesced GSO packets, which it cuts; the
     * hashes match and both kinds of large packet crossed the TUN. 64 MiB each way
     * ({@code -Dtcpsim.bulk.offloadMib=N}).
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"IPV4", "IPV6"})
    void transferWithOffloadsBothWaysHashesMatch(String family) throws Exception {
        Endpoints ends = Endpoints.valueOf(family);
        long bytes = Long.getLong("tcpsim.bulk.offloadMib", 64) * MIB;
        try (LiveStack live = LiveStack.startWithOffloads(null)) {
            SocketApi api = new SocketApi(live.stack(), LiveStack.clock(), STACK, IpAddress.parse(LiveStack.STACK6),
                    SocketLimits.LINUX_DEFAULTS);
            kernelSendsTcpsimReceives(live, api, bytes, 6, ends);
            long received = live.onStack((tcp, now) -> live.tunLink().gsoReceived());
            tcpsimSendsKernelReceives(live, api, bytes, 7, ends);
            long sent = live.onStack((tcp, now) -> live.tunLink().gsoSent());
            System.out.printf("offloads over %s: %d GSO packets received, %d sent%n", ends, received, sent);
            assertTrue(received > 0, "the kernel handed over TSO packets whole");
            assertTrue(sent > 0, "tcpsim sent GSO packets");
        }
    }

    /**
     * With offloads, a pcap taken between tcpsim and the TUN holds what crosses it: packets longer
     * than the MTU each way, and tcpdump reads the file.
     */
    @Test
    void withOffloadsThePcapHoldsTheLargePacketsThatCrossTheTun(@TempDir Path dir) throws Exception {
        Path pcap = dir.resolve("offloads.pcap");
        try (LiveStack live = LiveStack.startWithOffloads(pcap)) {
            SocketApi api = new SocketApi(live.stack(), LiveStack.clock(), STACK);
            kernelSendsTcpsimReceives(live, api, 8 * MIB, 8);
            tcpsimSendsKernelReceives(live, api, 8 * MIB, 9);
        }
        Map<Integer, Integer> longest = new HashMap<>();
        PcapHandle handle = Pcaps.openOffline(pcap.toString());
        try {
            byte[] packet;
            while ((packet = handle.getNextRawPacket()) != null) {
                if ((packet[0] & 0xF0) == 0x40) {
                    longest.merge(ByteBuffer.wrap(packet).getInt(12), packet.length, Math::max);
                }
            }
        } finally {
            handle.close();
        }
        assertTrue(longest.get(Ipv4Address.parse(LiveStack.KERNEL)) > 1500, "kernel -> tcpsim: " + longest);
        assertTrue(longest.get(STACK) > 1500, "tcpsim -> kernel: " + longest);
        Process tcpdump = new ProcessBuilder("tcpdump", "-n", "-r", pcap.toString()).redirectErrorStream(true).start();
        String text = new String(tcpdump.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(tcpdump.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, tcpdump.exitValue(), text.lines().limit(5).toList().toString());
        assertTrue(text.contains("IP 10.0.0.2.") && text.contains("> 10.0.0.1.6002: Flags [.]"),
                text.lines().limit(5).toList().toString());
    }

    /** 256 MiB each way at 5 % loss takes about two minutes on the 2-core machine: past JUnit's default 120 s. */
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    @ParameterizedTest(name = "{0} % loss on the kernel side, reordering and duplication on tcpsim's")
    @ValueSource(ints = {1, 5})
    void lossyTransferBothWaysHashesMatchAndBothSidesRetransmit(int lossPercent) throws Exception {
        long bytes = lossyMib(lossPercent) * MIB;
        FaultInjector[] injector = new FaultInjector[1];
        UnaryOperator<LinkDevice> impair = wire -> injector[0] =
                new FaultInjector(wire, LiveStack.clock(), REORDER_AND_DUPLICATE, REORDER_AND_DUPLICATE, 40 + lossPercent);
        try (LiveStack live = LiveStack.start(null, 1500, UnaryOperator.identity(), impair)) {
            dropOnTheKernelSide(live, lossPercent);
            SocketApi api = new SocketApi(live.stack(), LiveStack.clock(), STACK);
            kernelSendsTcpsimReceives(live, api, bytes, 1);
            tcpsimSendsKernelReceives(live, api, bytes, 2);

            long tcpsimRetransmitted = live.onStack((tcp, now) -> tcp.counters().retransSegs());
            long duplicated = live.onStack((tcp, now) -> injector[0].duplicated());
            long reordered = live.onStack((tcp, now) -> injector[0].reordered());
            Map<String, Long> kernel = nstat(live, "TcpRetransSegs", "TcpExtTCPOFOQueue");
            System.out.printf("%d %% loss: tcpsim TcpRetransSegs %d, kernel %s, injector duplicated %d, reordered %d%n",
                    lossPercent, tcpsimRetransmitted, kernel, duplicated, reordered);
            assertTrue(tcpsimRetransmitted > 0, "tcpsim retransmitted under loss");
            assertTrue(kernel.get("TcpRetransSegs") > 0, "the kernel retransmitted under loss: " + kernel);
            assertTrue(duplicated > 0 && reordered > 0, "tcpsim's side duplicated and reordered packets");
            // SACK is negotiated with the kernel: its ACKs carry SACK blocks, and tcpsim repairs its
            // losses with SACK-based recovery.
            long sackRecoveries = live.onStack((tcp, now) -> tcp.counters().sackRecovery());
            assertTrue(sackRecoveries > 0, "tcpsim recovered with SACK");
        }
    }

    /**
     * Losses of the kernel's data (dropped as tcpsim receives them) are repaired by the kernel's
     * SACK recovery from the SACK blocks tcpsim sends: never NewReno, no SACK block discarded.
     * (nftables on the kernel's output cannot do this: TCP sends a packet dropped there again at once.)
     */
    @Test
    void kernelRepairsItsLossesWithTcpsimsSackBlocks() throws Exception {
        long bytes = 4 * MIB;
        FaultInjector[] injector = new FaultInjector[1];
        UnaryOperator<LinkDevice> dropInbound = wire -> injector[0] =
                new FaultInjector(wire, LiveStack.clock(), Faults.NONE, Faults.NONE.withLoss(0.03), 42);
        try (LiveStack live = LiveStack.start(null, 1500, UnaryOperator.identity(), dropInbound)) {
            SocketApi api = new SocketApi(live.stack(), LiveStack.clock(), STACK);
            kernelSendsTcpsimReceives(live, api, bytes, 3);
            long dropped = live.onStack((tcp, now) -> injector[0].dropped());
            assertTrue(dropped > 0, "packets were dropped");
            Map<String, Long> kernel = nstat(live, "TcpExtTCPSackRecovery", "TcpExtTCPRenoRecovery",
                    "TcpExtTCPSACKDiscard");
            assertTrue(kernel.get("TcpExtTCPSackRecovery") > 0, "the kernel recovered with SACK: " + kernel);
            assertEquals(0, kernel.get("TcpExtTCPRenoRecovery"), "the kernel never fell back to NewReno");
            assertEquals(0, kernel.get("TcpExtTCPSACKDiscard"), "the kernel found every SACK block valid");
        }
    }

    /** The lossy size: {@code tcpsim.bulk.lossyMib}, else 256 MiB, the clean size. */
    private static long lossyMib(int lossPercent) {
        return Long.getLong("tcpsim.bulk.lossyMib", 256);
    }

    /** The kernel writes {@code bytes} of seeded data to a tcpsim listener, tcpsim reads them all; returns the seconds. */
    private static double kernelSendsTcpsimReceives(LiveStack live, SocketApi api, long bytes, int seed) throws Exception {
        return kernelSendsTcpsimReceives(live, api, bytes, seed, Endpoints.IPV4);
    }

    /** Which family a transfer uses: tcpsim's and the kernel's address in it. */
    private enum Endpoints {
        IPV4(LiveStack.STACK, LiveStack.KERNEL), IPV6(LiveStack.STACK6, LiveStack.KERNEL6);

        final String tcpsim;
        final String kernel;

        Endpoints(String tcpsim, String kernel) {
            this.tcpsim = tcpsim;
            this.kernel = kernel;
        }

        int family() {
            return this == IPV4 ? AF_INET : AF_INET6;
        }

        SockAddr address(String text, int port) {
            IpAddress addr = IpAddress.parse(text);
            return this == IPV4 ? SockAddrIn.of(addr.ipv4(), port) : SockAddrIn6.of(addr.bytes(), port);
        }

        SockAddr empty() {
            return this == IPV4 ? new SockAddrIn() : new SockAddrIn6();
        }
    }

    private static double kernelSendsTcpsimReceives(LiveStack live, SocketApi api, long bytes, int seed,
                                                    Endpoints ends) throws Exception {
        int listener = api.socket(ends.family(), SOCK_STREAM, 0);
        check(api.bind(listener, ends.address(ends.tcpsim, 6001)), "bind");
        check(api.listen(listener, 4), "listen");
        AtomicLong progress = new AtomicLong();
        CompletableFuture<Digest> received = onVirtualThread(() -> {
            int fd = api.accept(listener, ends.empty());
            check(fd, "accept");
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[CHUNK];
            long n;
            while ((n = api.read(fd, buffer, 0, buffer.length)) > 0) {
                sha.update(buffer, 0, (int) n);
                progress.addAndGet(n);
            }
            check(n, "read");
            api.close(fd);
            return new Digest(progress.get(), HexFormat.of().formatHex(sha.digest()));
        });
        Socket socket = live.kernel(() -> new Socket(ends.tcpsim, 6001));
        try (socket) {
            CompletableFuture<Digest> sent = onVirtualThread(() -> {
                try (OutputStream out = socket.getOutputStream()) {
                    return writeSeeded((chunk, n) -> out.write(chunk, 0, n), bytes, seed);
                }
            });
            return assertArrivedWithoutStall("kernel -> tcpsim over " + ends, bytes, sent, received, progress);
        } finally {
            api.close(listener);
        }
    }

    /** tcpsim writes {@code bytes} of seeded data to a kernel listener, the kernel reads them all; returns the seconds. */
    private static double tcpsimSendsKernelReceives(LiveStack live, SocketApi api, long bytes, int seed) throws Exception {
        return tcpsimSendsKernelReceives(live, api, bytes, seed, Endpoints.IPV4);
    }

    private static double tcpsimSendsKernelReceives(LiveStack live, SocketApi api, long bytes, int seed,
                                                    Endpoints ends) throws Exception {
        ServerSocket server = live.kernel(() -> new ServerSocket(6002, 4, InetAddress.getByName(ends.kernel)));
        try (server) {
            AtomicLong progress = new AtomicLong();
            CompletableFuture<Digest> received = onVirtualThread(() -> {
                try (Socket peer = server.accept()) {
                    return readAll(peer.getInputStream(), progress);
                }
            });
            CompletableFuture<Digest> sent = onVirtualThread(() -> {
                int fd = api.socket(ends.family(), SOCK_STREAM, 0);
                check(api.connect(fd, ends.address(ends.kernel, 6002)), "connect");
                Digest digest = writeSeeded((chunk, n) -> {
                    long written = api.write(fd, chunk, 0, n);
                    check(written, "write");
                    assertEquals(n, written, "a blocking write takes every byte");
                }, bytes, seed);
                check(api.close(fd), "close");
                return digest;
            });
            return assertArrivedWithoutStall("tcpsim -> kernel over " + ends, bytes, sent, received, progress);
        }
    }

    /** The kernel's client writes {@code bytes} to the kernel's server over a veth pair; returns the seconds. */
    private static double kernelToKernel(long bytes, int seed) throws Exception {
        try (KernelPair pair = KernelPair.create();
                ServerSocket server = pair.onServer(() -> new ServerSocket(6003, 4, InetAddress.getByName(KernelPair.SERVER)))) {
            AtomicLong progress = new AtomicLong();
            CompletableFuture<Digest> received = onVirtualThread(() -> {
                try (Socket peer = server.accept()) {
                    return readAll(peer.getInputStream(), progress);
                }
            });
            Socket socket = pair.onClient(() -> new Socket(KernelPair.SERVER, 6003));
            try (socket) {
                CompletableFuture<Digest> sent = onVirtualThread(() -> {
                    try (OutputStream out = socket.getOutputStream()) {
                        return writeSeeded((chunk, n) -> out.write(chunk, 0, n), bytes, seed);
                    }
                });
                return assertArrivedWithoutStall("kernel -> kernel (veth)", bytes, sent, received, progress);
            }
        }
    }

    /** Reads a kernel socket to its end, counting into {@code progress}; returns the count and SHA-256. */
    private static Digest readAll(InputStream in, AtomicLong progress) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        byte[] buffer = new byte[CHUNK];
        int n;
        while ((n = in.read(buffer)) > 0) {
            sha.update(buffer, 0, n);
            progress.addAndGet(n);
        }
        return new Digest(progress.get(), HexFormat.of().formatHex(sha.digest()));
    }

    /**
     * Waits for both ends of one direction; fails at once when {@link #STALL} passes without a byte
     * delivered, then compares the byte counts and the hashes. Prints the rate; returns the seconds.
     */
    private static double assertArrivedWithoutStall(String direction, long bytes, CompletableFuture<Digest> sent,
            CompletableFuture<Digest> received, AtomicLong progress) throws Exception {
        long start = System.nanoTime();
        long lastSeen = -1;
        long lastChange = start;
        CompletableFuture<Void> both = CompletableFuture.allOf(sent, received);
        while (!both.isDone()) {
            try {
                both.get(200, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                long now = System.nanoTime();
                long seen = progress.get();
                if (seen != lastSeen) {
                    lastSeen = seen;
                    lastChange = now;
                } else if (now - lastChange > STALL.toNanos()) {
                    fail(direction + " stalled: no byte delivered for " + STALL.toSeconds() + " s, at " + seen
                            + " of " + bytes + " bytes, " + TimeUnit.NANOSECONDS.toSeconds(now - start) + " s in");
                }
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Digest wrote = sent.join();
        Digest read = received.join();
        assertEquals(bytes, wrote.bytes(), direction + ": bytes written");
        assertEquals(bytes, read.bytes(), direction + ": bytes read");
        assertEquals(wrote.sha256(), read.sha256(), direction + ": SHA-256 of what was read against what was written");
        System.out.printf("%s: %d MiB in %.1f s (%.1f MiB/s)%n", direction, bytes / MIB, seconds, bytes / MIB / seconds);
        return seconds;
    }

    /** Writes a chunk of {@code n} bytes, all of them. */
    @FunctionalInterface
    private interface ChunkWriter {
        void write(byte[] chunk, int n) throws Exception;
    }

    /** Writes {@code bytes} of data seeded by {@code seed}; returns their count and SHA-256. */
    private static Digest writeSeeded(ChunkWriter out, long bytes, int seed) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        SplittableRandom random = new SplittableRandom(seed);
        byte[] chunk = new byte[CHUNK];
        long sent = 0;
        while (sent < bytes) {
            for (int i = 0; i < CHUNK; i += Long.BYTES) {
                LONGS.set(chunk, i, random.nextLong());
            }
            int n = (int) Math.min(CHUNK, bytes - sent);
            out.write(chunk, n);
            sha.update(chunk, 0, n);
            sent += n;
        }
        return new Digest(sent, HexFormat.of().formatHex(sha.digest()));
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

    /** The kernel's counters in the namespace ({@code nstat -asz}: absolute, zeros too, history left alone). */
    private static Map<String, Long> nstat(LiveStack live, String... names) throws Exception {
        String[] command = new String[names.length + 2];
        command[0] = "nstat";
        command[1] = "-asz";
        System.arraycopy(names, 0, command, 2, names.length);
        Map<String, Long> counters = new HashMap<>();
        for (String line : live.exec(command).orThrow().stdout().lines().toList()) {
            String[] fields = line.trim().split("\\s+");
            if (fields.length >= 2 && !line.startsWith("#")) {
                counters.put(fields[0], Long.parseLong(fields[1]));
            }
        }
        assertEquals(names.length, counters.size(), "nstat printed every counter asked for: " + counters);
        return counters;
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
