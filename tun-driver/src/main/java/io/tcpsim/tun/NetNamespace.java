package io.tcpsim.tun;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A named network namespace, as {@code ip netns} manages them ({@code ip-netns(8)}): a bind mount
 * of the namespace at {@code /var/run/netns/NAME}.
 *
 * <p>Java code runs inside it on a dedicated platform thread that first calls
 * {@code setns(2)} with {@code CLONE_NEWNET} (virtual threads could hop carriers; a platform
 * thread stays in the namespace until it ends). Sockets and TUN devices created by that thread
 * belong to the namespace for good, whatever thread uses them later.
 *
 * <p>Names built by {@link #uniqueName} look like {@code <prefix>-<pid>-<n>}, so that
 * {@link #reapStale} can delete what a crashed JVM left behind.
 *
 * <p>{@link #delete()} removes the name at once; the kernel destroys the namespace, and the
 * interfaces in it, when nothing refers to it any more: no thread inside, no open socket or TUN
 * descriptor created inside. Close those first for a clean teardown.
 */
public final class NetNamespace implements AutoCloseable {
    /** Where {@code ip netns} keeps its bind mounts. */
    static final Path NETNS_DIR = Path.of("/var/run/netns");

    private static final Pattern VALID_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,199}");
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private final String name;

    /**
     * A task run inside the namespace; like {@link java.util.concurrent.Callable} but with a
     * precise exception type, so {@code ns.call(() -> TunDevice.open(config))} only throws
     * {@link IOException}.
     *
     * @param <T> the result type
     * @param <X> the checked exception the task may throw
     */
    @FunctionalInterface
    public interface Task<T, X extends Exception> {
        /** @return the task's result */
        T call() throws X;
    }

    private NetNamespace(String name) {
        this.name = name;
    }

    /**
     * Creates the namespace ({@code ip netns add NAME}) and brings its loopback up.
     *
     * @throws IOException "network namespace NAME already exists", or a {@link CommandException}
     *     carrying {@code ip}'s stderr
     * @throws IllegalArgumentException when the name is not a safe file name (see {@link #uniqueName})
     */
    public static NetNamespace create(String name) throws IOException {
        requireValidName(name);
        if (exists(name)) {
            throw alreadyExists(name);
        }
        ProcessResult added = Commands.run(List.of("ip", "netns", "add", name));
        if (!added.success()) {
            throw added.stderr().contains("File exists") ? alreadyExists(name) : new CommandException(added);
        }
        NetNamespace namespace = new NetNamespace(name);
        try {
            Commands.check(List.of("ip", "-n", name, "link", "set", "lo", "up"));
        } catch (IOException | RuntimeException e) {
            namespace.deleteAfterFailure(e);
            throw e;
        }
        return namespace;
    }

    /**
     * @return a handle on a namespace that already exists
     * @throws IOException "network namespace NAME does not exist"
     */
    public static NetNamespace existing(String name) throws IOException {
        requireValidName(name);
        if (!exists(name)) {
            throw new IOException("network namespace " + name + " does not exist");
        }
        return new NetNamespace(name);
    }

    /** @return the names of all named namespaces, sorted, like {@code ip netns list} */
    public static List<String> list() throws IOException {
        if (!Files.isDirectory(NETNS_DIR)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(NETNS_DIR)) {
            return entries.map(entry -> entry.getFileName().toString()).sorted().toList();
        }
    }

    /**
     * @param prefix a name start such as {@code "tcpsim-t"}
     * @return {@code <prefix>-<this JVM's pid>-<n>}, not used by any existing namespace
     */
    public static String uniqueName(String prefix) {
        requireValidName(prefix);
        long pid = ProcessHandle.current().pid();
        String name;
        do {
            name = prefix + "-" + pid + "-" + COUNTER.incrementAndGet();
        } while (exists(name));
        return name;
    }

    /**
     * Deletes the namespaces named {@code <prefix>-<pid>-<n>} whose process is gone (no
     * {@code /proc/<pid>}): leftovers of a JVM that crashed or was killed.
     *
     * @return how many were deleted
     */
    public static int reapStale(String prefix) throws IOException {
        requireValidName(prefix);
        Pattern owned = Pattern.compile(Pattern.quote(prefix) + "-(\\d{1,10})-\\d+");
        List<String> stale = new ArrayList<>();
        for (String candidate : list()) {
            Matcher matcher = owned.matcher(candidate);
            if (matcher.matches() && !Files.exists(Path.of("/proc", matcher.group(1)))) {
                stale.add(candidate);
            }
        }
        for (String candidate : stale) {
            new NetNamespace(candidate).delete();
        }
        return stale.size();
    }

    /** @return the namespace's name */
    public String name() {
        return name;
    }

    /** @return whether {@code /var/run/netns/NAME} still exists */
    public boolean exists() {
        return exists(name);
    }

    /**
     * Deletes the namespace ({@code ip netns delete NAME}); does nothing if it is already gone.
     *
     * @throws CommandException when {@code ip} fails and the namespace is still there
     */
    public void delete() throws IOException {
        if (!exists()) {
            return;
        }
        ProcessResult result = Commands.run(List.of("ip", "netns", "delete", name));
        if (!result.success() && exists()) {
            throw new CommandException(result);
        }
    }

    /** Same as {@link #delete()}. */
    @Override
    public void close() throws IOException {
        delete();
    }

    /**
     * Runs {@code task} on a new platform thread inside the namespace and waits for it.
     *
     * @return the task's result
     * @throws X whatever the task threw, unchanged (as are its unchecked exceptions and errors)
     * @throws IOException when the thread cannot enter the namespace, e.g.
     *     "network namespace NAME does not exist"; {@link InterruptedIOException} when the
     *     caller is interrupted while waiting (the worker is interrupted too)
     */
    public <T, X extends Exception> T call(Task<T, X> task) throws X, IOException {
        CompletableFuture<T> outcome = new CompletableFuture<>();
        Thread worker = Thread.ofPlatform().name("netns-" + name).daemon(true).start(() -> {
            try {
                enterCurrentThread();
                outcome.complete(task.call());
            } catch (Throwable failure) {
                outcome.completeExceptionally(failure);
            }
        });
        return await(outcome, worker);
    }

    /** {@link #call} for a task without result or checked exceptions. */
    public void run(Runnable task) throws IOException {
        call(() -> {
            task.run();
            return null;
        });
    }

    /**
     * Starts a long-lived platform thread (daemon status inherited from the caller) that enters
     * the namespace, then runs {@code task}. Returns once the thread is inside, so a failure to
     * enter is reported here and {@code task} never runs.
     *
     * @throws IOException when the thread cannot enter the namespace
     */
    public Thread startThread(String threadName, Runnable task) throws IOException {
        CompletableFuture<Void> entered = new CompletableFuture<>();
        Thread thread = Thread.ofPlatform().name(threadName).start(() -> {
            try {
                enterCurrentThread();
            } catch (IOException | RuntimeException e) {
                entered.completeExceptionally(e);
                return;
            }
            entered.complete(null);
            task.run();
        });
        NetNamespace.<Void, RuntimeException>await(entered, thread);
        return thread;
    }

    /**
     * A factory of daemon platform threads that enter the namespace before running their task,
     * for thread pools (an event loop, say) whose sockets must be this namespace's. A thread that
     * cannot enter reports why on stderr and ends without running its task.
     */
    public ThreadFactory threadFactory(String namePrefix) {
        AtomicInteger count = new AtomicInteger();
        return task -> Thread.ofPlatform().name(namePrefix + "-" + count.incrementAndGet()).daemon(true)
                .unstarted(() -> {
                    try {
                        enterCurrentThread();
                    } catch (IOException | RuntimeException e) {
                        System.err.println(Thread.currentThread().getName() + ": " + e.getMessage());
                        return;
                    }
                    task.run();
                });
    }

    /**
     * Runs {@code command} inside the namespace ({@code ip netns exec NAME command...}) and
     * waits for it (at most 60 s).
     *
     * @return its outcome, whatever the exit status; see {@link ProcessResult#orThrow()}
     */
    public ProcessResult exec(String... command) throws IOException {
        return Commands.run(command(command).command());
    }

    /**
     * @return a process builder for {@code ip netns exec NAME command...}, for long-running or
     *     interactive commands the caller starts and manages itself
     */
    public ProcessBuilder command(String... command) {
        List<String> line = new ArrayList<>(List.of("ip", "netns", "exec", name));
        line.addAll(List.of(command));
        return new ProcessBuilder(line);
    }

    /**
     * Sets a network sysctl inside the namespace by writing {@code /proc/sys/...} from a thread in
     * it ({@code /proc/sys/net} shows the namespace of the thread that opens it).
     *
     * @param key {@code net.*} in dotted form ({@code net.ipv6.conf.all.disable_ipv6}) or with
     *     slashes when a component has dots ({@code net/ipv4/conf/eth0.100/rp_filter})
     * @throws IllegalArgumentException for keys outside {@code net}: those are host-wide
     */
    public void sysctl(String key, String value) throws IOException {
        Path file = sysctlPath(key);
        call(() -> {
            try {
                return Files.writeString(file, value);
            } catch (NoSuchFileException e) {
                throw new IOException("no sysctl " + key + " (" + file + ") in namespace " + name, e);
            }
        });
    }

    /** @return the current value of a network sysctl inside the namespace, trimmed */
    public String sysctl(String key) throws IOException {
        Path file = sysctlPath(key);
        return call(() -> Files.readString(file).strip());
    }

    @Override
    public String toString() {
        return "NetNamespace[" + name + "]";
    }

    /** {@code setns(open("/var/run/netns/NAME"), CLONE_NEWNET)} for the calling thread. */
    private void enterCurrentThread() throws IOException {
        String file = NETNS_DIR.resolve(name).toString();
        int fd;
        try {
            fd = Libc.open(file, Libc.O_RDONLY | Libc.O_CLOEXEC);
        } catch (NativeException e) {
            throw e.errno() == Errno.ENOENT
                    ? new NativeException(e.operation(), e.errno(), "network namespace " + name + " does not exist")
                    : e;
        }
        try {
            Libc.setns(fd, Libc.CLONE_NEWNET, "setns(" + file + ", CLONE_NEWNET)");
        } catch (NativeException e) {
            throw e.errno() == Errno.EPERM
                    ? new NativeException(e.operation(), e.errno(), "entering a network namespace needs CAP_SYS_ADMIN: run as root")
                    : e;
        } finally {
            Libc.close(fd);
        }
    }

    private void deleteAfterFailure(Exception failure) {
        try {
            delete();
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }

    /** Waits for {@code future}; returns its value or throws its failure unchanged. */
    private static <T, X extends Exception> T await(CompletableFuture<T> future, Thread worker)
            throws X, IOException {
        try {
            return future.get();
        } catch (InterruptedException e) {
            worker.interrupt();
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for thread " + worker.getName());
        } catch (ExecutionException e) {
            throw NetNamespace.<X>rethrow(e.getCause());
        }
    }

    /** Throws {@code failure} as is: an error, an unchecked exception, or the task's checked X. */
    @SuppressWarnings("unchecked")
    private static <X extends Exception> X rethrow(Throwable failure) throws X {
        if (failure instanceof Error error) {
            throw error;
        }
        throw (X) failure;
    }

    private static Path sysctlPath(String key) {
        if (!key.startsWith("net.") && !key.startsWith("net/")) {
            throw new IllegalArgumentException("sysctl " + key
                    + " is not under net: only net.* is per network namespace, the rest would change the host");
        }
        String relative = key.contains("/") ? key : key.replace('.', '/');
        if (relative.contains("..")) {
            throw new IllegalArgumentException("sysctl key " + key + " must not contain '..'");
        }
        return Path.of("/proc/sys").resolve(relative);
    }

    private static boolean exists(String name) {
        return Files.exists(NETNS_DIR.resolve(name));
    }

    private static IOException alreadyExists(String name) {
        return new IOException("network namespace " + name + " already exists");
    }

    private static void requireValidName(String name) {
        if (!VALID_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid network namespace name '" + name
                    + "': use 1 to 200 letters, digits, '_', '.' or '-', starting with a letter or digit");
        }
    }
}
