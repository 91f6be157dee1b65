package io.tcpsim.tun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@RequiresTun
@ExtendWith(FreshNamespace.class)
class NetNamespaceTest {

    @Test
    void createMakesANamespaceWithLoopbackUpAndDeleteIsIdempotent() throws IOException {
        String name = NetNamespace.uniqueName(FreshNamespace.PREFIX);
        NetNamespace ns = NetNamespace.create(name);
        try {
            assertEquals(name, ns.name());
            assertTrue(ns.exists());
            assertTrue(NetNamespace.list().contains(name));
            String lo = Commands.check(List.of("ip", "-n", name, "-o", "link", "show", "lo")).stdout();
            assertTrue(lo.contains(",UP"), lo);
        } finally {
            ns.delete();
        }
        assertFalse(ns.exists());
        assertFalse(ipNetnsList().contains(name));
        ns.delete();
    }

    @Test
    void createFailsClearlyWhenTheNameExists(NetNamespace ns) {
        IOException e = assertThrows(IOException.class, () -> NetNamespace.create(ns.name()));
        assertEquals("network namespace " + ns.name() + " already exists", e.getMessage());
        assertTrue(ns.exists());
    }

    @Test
    void existingFindsOnlyNamespacesThatExist(NetNamespace ns) throws IOException {
        assertEquals(ns.name(), NetNamespace.existing(ns.name()).name());
        String missing = NetNamespace.uniqueName(FreshNamespace.PREFIX);
        IOException e = assertThrows(IOException.class, () -> NetNamespace.existing(missing));
        assertEquals("network namespace " + missing + " does not exist", e.getMessage());
    }

    @Test
    void enteringADeletedNamespaceIsAClearError(NetNamespace ns) throws IOException {
        ns.delete();
        NativeException e = assertThrows(NativeException.class, () -> ns.call(() -> "unreachable"));
        assertEquals(Errno.ENOENT, e.errno());
        assertTrue(e.getMessage().startsWith("network namespace " + ns.name() + " does not exist; open("), e.getMessage());
        AtomicBoolean ran = new AtomicBoolean();
        assertThrows(NativeException.class, () -> ns.startThread("never", () -> ran.set(true)));
        assertFalse(ran.get());
    }

    @Test
    void namespaceIsDeletedEvenWhenTheBodyThrows() throws IOException {
        String name = NetNamespace.uniqueName(FreshNamespace.PREFIX);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> {
            try (NetNamespace ns = NetNamespace.create(name)) {
                assertTrue(ns.exists());
                throw new IllegalStateException("body failed");
            }
        });
        assertEquals("body failed", e.getMessage());
        assertFalse(ipNetnsList().contains(name));
    }

    @Test
    void callRunsInsideAndReturnsTheResult(NetNamespace ns) throws IOException {
        assertEquals(List.of("lo"), ns.call(NetNamespaceTest::threadInterfaces));
        Path netNamespace = Path.of("/proc/thread-self/ns/net");
        Path inside = ns.call(() -> Files.readSymbolicLink(netNamespace));
        assertFalse(inside.equals(Files.readSymbolicLink(netNamespace)), "the calling thread stays where it was");
    }

    @Test
    void callRethrowsTheTaskExceptionUnchanged(NetNamespace ns) {
        IOException checked = new IOException("checked");
        assertSame(checked, assertThrows(IOException.class, () -> ns.call(() -> {
            throw checked;
        })));
        IllegalArgumentException unchecked = new IllegalArgumentException("unchecked");
        assertSame(unchecked, assertThrows(IllegalArgumentException.class, () -> ns.run(() -> {
            throw unchecked;
        })));
    }

    @Test
    void startThreadRunsALongLivedThreadInside(NetNamespace ns) throws Exception {
        CompletableFuture<List<String>> seen = new CompletableFuture<>();
        Thread thread = ns.startThread("stack-loop", () -> {
            try {
                seen.complete(threadInterfaces());
            } catch (IOException e) {
                seen.completeExceptionally(e);
            }
        });
        assertEquals("stack-loop", thread.getName());
        assertFalse(thread.isVirtual());
        assertEquals(List.of("lo"), seen.get(10, TimeUnit.SECONDS));
        thread.join();
    }

    @Test
    void threadFactoryThreadsEnterTheNamespaceBeforeTheirTask(NetNamespace ns) throws Exception {
        CompletableFuture<List<String>> seen = new CompletableFuture<>();
        Thread thread = ns.threadFactory("loop").newThread(() -> {
            try {
                seen.complete(threadInterfaces());
            } catch (IOException e) {
                seen.completeExceptionally(e);
            }
        });
        assertEquals("loop-1", thread.getName());
        assertTrue(thread.isDaemon());
        thread.start();
        assertEquals(List.of("lo"), seen.get(10, TimeUnit.SECONDS));
        thread.join();
    }

    @Test
    void sysctlChangesOnlyTheNamespace(NetNamespace ns) throws IOException {
        String key = "net.ipv6.conf.all.disable_ipv6";
        Path hostFile = Path.of("/proc/sys/net/ipv6/conf/all/disable_ipv6");
        String host = Files.readString(hostFile).strip();
        ns.sysctl(key, "1");
        assertEquals("1", ns.sysctl(key));
        assertEquals("1", ns.exec("cat", hostFile.toString()).orThrow().stdout().strip());
        assertEquals(host, Files.readString(hostFile).strip());
        assertThrows(IllegalArgumentException.class, () -> ns.sysctl("kernel.hostname", "x"));
        IOException e = assertThrows(IOException.class, () -> ns.sysctl("net.ipv4.no_such_key", "1"));
        assertTrue(e.getMessage().startsWith("no sysctl net.ipv4.no_such_key"), e.getMessage());
    }

    @Test
    void execRunsACommandInside(NetNamespace ns) throws IOException {
        ProcessResult links = ns.exec("ip", "-o", "link", "show");
        assertTrue(links.success());
        assertEquals(1, links.stdout().lines().count(), links.stdout());
        ProcessResult failed = ns.exec("ip", "link", "show", "dev", "nosuchdev0");
        assertFalse(failed.success());
        CommandException e = assertThrows(CommandException.class, failed::orThrow);
        assertTrue(e.getMessage().startsWith("`ip netns exec " + ns.name() + " ip link show dev nosuchdev0` failed (exit 1): "),
                e.getMessage());
        assertTrue(e.getMessage().contains("nosuchdev0"), e.getMessage());
    }

    @Test
    void reapStaleDeletesNamespacesOfDeadProcessesOnly() throws Exception {
        Process exited = new ProcessBuilder("true").start();
        exited.waitFor();
        long deadPid = exited.pid();
        assertFalse(Files.exists(Path.of("/proc", Long.toString(deadPid))));
        String prefix = "tcpsim-r";
        String dead = prefix + "-" + deadPid + "-1";
        String live = prefix + "-" + ProcessHandle.current().pid() + "-1";
        try (NetNamespace deadNs = NetNamespace.create(dead); NetNamespace liveNs = NetNamespace.create(live)) {
            assertEquals(1, NetNamespace.reapStale(prefix));
            assertFalse(deadNs.exists());
            assertTrue(liveNs.exists());
            assertEquals(0, NetNamespace.reapStale(prefix));
        }
        assertFalse(ipNetnsList().contains(dead));
        assertFalse(ipNetnsList().contains(live));
    }

    @Test
    void uniqueNamesCarryThePidAndNeverRepeat() {
        String first = NetNamespace.uniqueName("tcpsim-t");
        String second = NetNamespace.uniqueName("tcpsim-t");
        assertTrue(first.matches("tcpsim-t-" + ProcessHandle.current().pid() + "-\\d+"), first);
        assertFalse(first.equals(second));
    }

    @Test
    void unsafeNamesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> NetNamespace.create("../etc"));
        assertThrows(IllegalArgumentException.class, () -> NetNamespace.existing("a b"));
        assertThrows(IllegalArgumentException.class, () -> NetNamespace.uniqueName(""));
    }

    /** @return the interfaces of the calling thread's namespace, from {@code /proc/thread-self/net/dev} */
    private static List<String> threadInterfaces() throws IOException {
        try (Stream<String> lines = Files.lines(Path.of("/proc/thread-self/net/dev"))) {
            return lines.skip(2).map(line -> line.substring(0, line.indexOf(':')).strip()).sorted().toList();
        }
    }

    /** @return the names {@code ip netns list} prints, one a line, each maybe followed by " (id: N)" */
    private static List<String> ipNetnsList() throws IOException {
        return Commands.check(List.of("ip", "netns", "list")).stdout().lines()
                .map(line -> line.split(" ")[0]).toList();
    }
}
