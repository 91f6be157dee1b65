package io.tcpsim.socket;

import static io.tcpsim.socket.SocketConstants.AF_INET;
import static io.tcpsim.socket.SocketConstants.POLLIN;
import static io.tcpsim.socket.SocketConstants.POLLOUT;
import static io.tcpsim.socket.SocketConstants.SHUT_WR;
import static io.tcpsim.socket.SocketConstants.SOCK_NONBLOCK;
import static io.tcpsim.socket.SocketConstants.SOCK_STREAM;
import static io.tcpsim.socket.SocketConstants.SOL_SOCKET;
import static io.tcpsim.socket.SocketConstants.SO_ERROR;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.UnixOperatingSystemMXBean;
import io.tcpsim.app.SampleServers;
import io.tcpsim.app.Service;
import io.tcpsim.testsupport.RequiresTun;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Ten thousand connections from the Linux kernel (libc sockets made on a thread inside the test's
 * namespace, so that none of them is on the Java heap) held open at once to tcpsim's echo service,
 * whose server side is a virtual thread per connection blocked in {@link SocketApi#read}: each
 * connection sends a message and gets it echoed while all are open, then every one closes cleanly
 * (FIN both ways, no RST, tcpsim forgets them all).
 *
 * <p>The kernel works in waves of {@link #IN_FLIGHT} connections: a wave connects and has a first
 * message echoed (so tcpsim's accept loop has taken it) before the next starts; the echo round
 * with all open and the close go in waves too. Unpaced, the kernel outruns tcpsim: a burst of
 * thousands of segments overflows the TUN's queue (txqueuelen 500) and the kernel recovers by
 * retransmission timeouts, and connects faster than the accept loop drains a backlog of 128
 * overflow the accept queue, so SYNs are dropped and resent a second later (as against Linux).
 *
 * <p>Prints the time of each phase and the used heap per open connection (after a full GC, with
 * all open, minus before): tcpsim's stack, socket and echo thread. {@code -Dtcpsim.connections=N}
 * and {@code -Dtcpsim.connections.inFlight=N} change the counts.
 */
@RequiresTun
class ConcurrentConnectionsTest {

    private static final int CONNECTIONS = Integer.getInteger("tcpsim.connections", 10_000);
    private static final int IN_FLIGHT = Integer.getInteger("tcpsim.connections.inFlight", 100);
    private static final int ECHO = 7;
    private static final int MESSAGE = 16;
    /** Each phase (connect, echo, close) must end within this. */
    private static final Duration PHASE = Duration.ofSeconds(60);

    @Test
    void tenThousandKernelClientsOpenAtOnceEachGetsItsEchoThenAllCloseCleanly() throws Exception {
        requireDescriptors(CONNECTIONS + 256);
        try (SocketStack live = SocketStack.start(CONNECTIONS + 64);
                SampleServers echo = SampleServers.start(live.api(), SocketStack.STACK,
                        List.of(new Service.On(Service.ECHO, ECHO)))) {
            long heapBefore = usedHeapAfterGc();
            long start = System.nanoTime();
            int[] fds = live.inside(() -> connectAll(live));
            long connected = System.nanoTime();
            live.inside(() -> echoOnEach(fds));
            long echoed = System.nanoTime();
            assertEquals(CONNECTIONS, (long) live.onStack(tcp -> tcp.counters().currEstab()),
                    "tcpsim holds every connection open at once");
            long heapPerConnection = (usedHeapAfterGc() - heapBefore) / CONNECTIONS;

            closeAll(live, fds);
            long closed = System.nanoTime();
            Map<String, Long> tcpsim = live.onStack(tcp -> tcp.counters().snapshot());
            assertEquals(CONNECTIONS, tcpsim.get("TcpPassiveOpens"), "every connection went through accept");
            assertEquals(0, tcpsim.get("TcpOutRsts"), "no connection ended with a RST: " + tcpsim);
            assertEquals(0, tcpsim.get("TcpEstabResets"), "no connection was reset: " + tcpsim);
            System.out.printf("%d connections, %d at a time: connected (and echoed) in %.1f s, echoed with all open "
                    + "in %.1f s, closed in %.1f s; heap %d bytes per open connection (the kernel's slab objects "
                    + "per socket: %s bytes); tcpsim retransmitted %d, accept queue overflows %d; kernel "
                    + "retransmitted %s, TUN queue drops %s%n",
                    CONNECTIONS, IN_FLIGHT, seconds(start, connected), seconds(connected, echoed),
                    seconds(echoed, closed), heapPerConnection, kernelSlabBytesPerSocket(), tcpsim.get("TcpRetransSegs"),
                    tcpsim.get("TcpExtListenOverflows"), kernelCounter(live, "nstat", "-asz", "TcpRetransSegs"),
                    kernelCounter(live, "cat", "/sys/class/net/tun0/statistics/tx_dropped"));
        }
    }

    /** Connects every socket, a wave at a time; each wave has a first message echoed before the next. */
    private static int[] connectAll(SocketStack live) throws Exception {
        LinuxSockets kernel = new LinuxSockets();
        int[] fds = new int[CONNECTIONS];
        long deadline = System.nanoTime() + PHASE.toNanos();
        for (int first = 0; first < CONNECTIONS; first += IN_FLIGHT) {
            int last = Math.min(CONNECTIONS, first + IN_FLIGHT);
            for (int i = first; i < last; i++) {
                fds[i] = kernel.socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
                assertTrue(fds[i] >= 0, "socket " + i + ": errno " + kernel.errno());
                int r = kernel.connect(fds[i], SocketStack.STACK, ECHO);
                assertTrue(r == 0 || kernel.errno() == Errno.EINPROGRESS, "connect " + i + ": errno " + kernel.errno());
            }
            for (int i = first; i < last; i++) {
                int revents = awaitEvent(kernel, fds[i], POLLOUT, deadline);
                if ((revents & POLLOUT) == 0) {
                    Map<String, Long> counters = live.onStack(tcp -> tcp.counters().snapshot());
                    throw new AssertionError("connection " + i + " of " + CONNECTIONS + " not established within "
                            + PHASE.toSeconds() + " s (poll " + revents + "); tcpsim: " + counters);
                }
                assertEquals(0, kernel.getsockopt(fds[i], SOL_SOCKET, SO_ERROR), "connection " + i + " SO_ERROR");
            }
            echo(kernel, fds, first, last, deadline);
        }
        return fds;
    }

    /** With all of them open, every connection sends its message again and reads it back, a wave at a time. */
    private static Void echoOnEach(int[] fds) {
        LinuxSockets kernel = new LinuxSockets();
        long deadline = System.nanoTime() + PHASE.toNanos();
        for (int first = 0; first < fds.length; first += IN_FLIGHT) {
            echo(kernel, fds, first, Math.min(fds.length, first + IN_FLIGHT), deadline);
        }
        return null;
    }

    /** Sends each of fds[first, last) its own message, then reads every echo back. */
    private static void echo(LinuxSockets kernel, int[] fds, int first, int last, long deadline) {
        for (int i = first; i < last; i++) {
            byte[] message = message(i);
            assertEquals(MESSAGE, kernel.send(fds[i], message, MESSAGE, 0), "send " + i + ": errno " + kernel.errno());
        }
        byte[] buffer = new byte[MESSAGE];
        for (int i = first; i < last; i++) {
            int got = 0;
            while (got < MESSAGE) {
                assertTrue((awaitEvent(kernel, fds[i], POLLIN, deadline) & POLLIN) != 0,
                        "echo on connection " + i + " within " + PHASE.toSeconds() + " s");
                byte[] part = new byte[MESSAGE - got];
                long n = kernel.recv(fds[i], part, part.length, 0);
                assertTrue(n > 0, "recv " + i + ": " + n + ", errno " + kernel.errno());
                System.arraycopy(part, 0, buffer, got, (int) n);
                got += (int) n;
            }
            assertArrayEquals(message(i), buffer, "connection " + i + " got its own message back");
        }
    }

    /**
     * A wave at a time: half-closes each kernel socket, reads tcpsim's FIN (end of file), closes
     * it; then waits until tcpsim has forgotten every connection (its LAST_ACK acknowledged).
     */
    private static void closeAll(SocketStack live, int[] fds) throws Exception {
        LinuxSockets kernel = new LinuxSockets();
        long deadline = System.nanoTime() + PHASE.toNanos();
        byte[] buffer = new byte[1];
        for (int first = 0; first < fds.length; first += IN_FLIGHT) {
            int last = Math.min(fds.length, first + IN_FLIGHT);
            for (int i = first; i < last; i++) {
                assertEquals(0, kernel.shutdown(fds[i], SHUT_WR), "shutdown " + i + ": errno " + kernel.errno());
            }
            for (int i = first; i < last; i++) {
                assertTrue((awaitEvent(kernel, fds[i], POLLIN, deadline) & POLLIN) != 0,
                        "tcpsim's FIN on connection " + i + " within " + PHASE.toSeconds() + " s");
                assertEquals(0, kernel.recv(fds[i], buffer, 1, 0), "end of file on connection " + i);
                assertEquals(0, kernel.close(fds[i]), "close " + i);
            }
        }
        int left;
        while ((left = live.onStack(tcp -> tcp.connections().size())) > 0) {
            assertTrue(System.nanoTime() < deadline, "tcpsim still holds " + left + " connections after "
                    + PHASE.toSeconds() + " s");
            Thread.sleep(50);
        }
    }

    private static byte[] message(int i) {
        return String.format("echo me %07d\n", i).getBytes(StandardCharsets.US_ASCII);
    }

    /** The number a command prints last in the namespace (a counter), or its output when there is none. */
    private static String kernelCounter(SocketStack live, String... command) throws Exception {
        String[] fields = live.exec(command).stdout().trim().split("\\s+");
        return fields.length >= 2 ? fields[fields.length - 2] : fields[0];
    }

    /** poll(2) on one descriptor until the deadline, again after EINTR; revents, or 0 on timeout. */
    private static int awaitEvent(LinuxSockets kernel, int fd, int events, long deadline) {
        int revents;
        while ((revents = kernel.poll(fd, events, remainingMillis(deadline))) < 0) {
            assertEquals(Errno.EINTR, kernel.errno(), "poll: errno " + kernel.errno());
        }
        return revents;
    }

    /**
     * What the kernel allocates for one idle TCP socket, from {@code /proc/slabinfo}'s object sizes:
     * tcp_sock (TCP), socket inode, file and dentry; buffers come per segment, freed when read.
     */
    private static String kernelSlabBytesPerSocket() throws IOException {
        List<String> caches = List.of("TCP", "sock_inode_cache", "filp", "dentry");
        long bytes = 0;
        int found = 0;
        for (String line : Files.readAllLines(Path.of("/proc/slabinfo"))) {
            String[] fields = line.split("\\s+");
            if (fields.length > 3 && caches.contains(fields[0])) {
                bytes += Long.parseLong(fields[3]);
                found++;
            }
        }
        return found == caches.size() ? Long.toString(bytes) : "unknown";
    }

    private static int remainingMillis(long deadline) {
        return (int) Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
    }

    private static double seconds(long from, long to) {
        return (to - from) / 1e9;
    }

    /** Used heap after full collections (System.gc() is a full GC with G1, the default). */
    private static long usedHeapAfterGc() throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    /** The kernel side holds one descriptor per connection in this JVM: RLIMIT_NOFILE must allow them. */
    private static void requireDescriptors(long needed) {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof UnixOperatingSystemMXBean os) {
            long max = os.getMaxFileDescriptorCount();
            assertTrue(max >= needed, "RLIMIT_NOFILE is " + max + ", the test needs " + needed + " (ulimit -n)");
        }
    }
}
