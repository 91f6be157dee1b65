package io.tcpsim.control;

import io.tcpsim.NetStack;
import io.tcpsim.socket.SocketApi;
import io.tcpsim.time.Clock;
import io.tcpsim.wire.IpAddress;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongFunction;

/**
 * The control socket of a running {@code tcpsim serve}: a Unix-domain socket on which
 * {@code tcpsim ss}, {@code stats} and {@code nc} ask the instance ({@link ControlProtocol}).
 * Snapshots are taken by a task on the stack thread ({@link NetStack#execute}), so each one is
 * consistent; a host sharded over several stacks ({@code serve --queues N}) answers for all of them,
 * the sockets of every shard listed, the counters summed; {@code nc} opens its connection through the instance's {@link SocketApi}. A stale
 * socket file (left by a serve that was killed) is replaced; {@link #close} removes the file.
 */
public final class ControlServer implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ControlServer.class.getName());

    private final Path path;
    private final List<NetStack> stacks;
    private final SocketApi api;
    private final Clock clock;
    private final ServerSocketChannel server;
    private final Duration requestTimeout;
    private final Semaphore sessions = new Semaphore(ControlProtocol.MAX_SESSIONS);
    private final Set<SocketChannel> open = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("tcpsim-control-timer").factory());

    private ControlServer(Path path, List<NetStack> stacks, SocketApi api, Clock clock, ServerSocketChannel server,
                          Duration requestTimeout) {
        this.path = path;
        this.stacks = List.copyOf(stacks);
        this.api = api;
        this.clock = clock;
        this.server = server;
        this.requestTimeout = requestTimeout;
    }

    /** Binds {@code path} (replacing a stale file; the caller holds the instance's lock) and serves it. */
    public static ControlServer start(Path path, NetStack stack, SocketApi api, Clock clock) throws IOException {
        return start(path, List.of(stack), api, clock, ControlProtocol.REQUEST_TIMEOUT);
    }

    /**
     * {@link #start(Path, NetStack, SocketApi, Clock)} for a host of several stacks (shards): ss and
     * stats cover every one; nc opens its connection through {@code api}, one shard's.
     */
    public static ControlServer start(Path path, List<NetStack> stacks, SocketApi api, Clock clock) throws IOException {
        return start(path, stacks, api, clock, ControlProtocol.REQUEST_TIMEOUT);
    }

    /** {@link #start} with another limit on how long a request line may take. */
    static ControlServer start(Path path, NetStack stack, SocketApi api, Clock clock, Duration requestTimeout)
            throws IOException {
        return start(path, List.of(stack), api, clock, requestTimeout);
    }

    private static ControlServer start(Path path, List<NetStack> stacks, SocketApi api, Clock clock,
                                       Duration requestTimeout) throws IOException {
        Files.deleteIfExists(path);
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            server.bind(UnixDomainSocketAddress.of(path));
        } catch (IOException e) {
            server.close();
            throw e;
        }
        ControlServer control = new ControlServer(path, stacks, api, clock, server, requestTimeout);
        Thread.ofPlatform().daemon().name("tcpsim-control").start(control::acceptLoop);
        return control;
    }

    public Path path() {
        return path;
    }

    private void acceptLoop() {
        while (server.isOpen()) {
            try {
                SocketChannel ch = server.accept();
                if (!sessions.tryAcquire()) {
                    refuse(ch);
                    continue;
                }
                open.add(ch);
                Thread.ofVirtual().name("tcpsim-control-session").start(() -> session(ch));
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "control socket: accept failed: " + e.getMessage());
            }
        }
    }

    private static void refuse(SocketChannel ch) {
        try (ch) {
            Lines.write(ch, ControlProtocol.ERROR + "too many control connections (at most "
                    + ControlProtocol.MAX_SESSIONS + ")\n");
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "control socket: refusing: " + e.getMessage());
        }
    }

    private void session(SocketChannel ch) {
        try (ch) {
            String request;
            try {
                request = readRequest(ch);
            } catch (Lines.TooLong e) {
                Lines.write(ch, ControlProtocol.ERROR + "request " + e.getMessage() + "\n");
                return;
            }
            if (request != null) {
                answer(ch, request.strip());
            }
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "control session ended: " + e.getMessage());
        } finally {
            open.remove(ch);
            sessions.release();
        }
    }

    /** The request line, or null at end of stream; the channel is closed when it takes too long. */
    private String readRequest(SocketChannel ch) throws IOException {
        ScheduledFuture<?> watchdog = timer.schedule(() -> closeQuietly(ch), requestTimeout.toMillis(),
                TimeUnit.MILLISECONDS);
        try {
            return Lines.read(ch, ControlProtocol.MAX_REQUEST_BYTES);
        } catch (Lines.TooLong e) {
            // The rest of the line is read first: a Unix socket closed with unread data resets its peer.
            Lines.skipLine(ch, ControlProtocol.MAX_FRAME);
            throw e;
        } finally {
            watchdog.cancel(false);
        }
    }

    private void answer(SocketChannel ch, String request) throws IOException {
        List<String> words = List.of(request.split("\\s+"));
        try {
            switch (words.getFirst()) {
                case "ss" -> Lines.write(ch, ControlProtocol.OK + "\n" + ss(words.subList(1, words.size())));
                case "stats" -> Lines.write(ch, ControlProtocol.OK + "\n" + stats(words.subList(1, words.size())));
                case "nc" -> nc(ch, words.subList(1, words.size()));
                default -> throw new BadRequest("unknown request '" + words.getFirst() + "'");
            }
        } catch (BadRequest e) {
            Lines.write(ch, ControlProtocol.ERROR + e.getMessage() + "\n");
        }
    }

    private String ss(List<String> flags) throws BadRequest {
        boolean listening = false;
        boolean all = false;
        for (String f : flags) {
            switch (f) {
                case "-l" -> listening = true;
                case "-a" -> all = true;
                default -> throw new BadRequest("ss: unknown flag '" + f + "'");
            }
        }
        SocketTable.Filter filter = all ? SocketTable.Filter.ALL
                : listening ? SocketTable.Filter.LISTENING : SocketTable.Filter.CONNECTED;
        List<SocketTable.Row> rows = new ArrayList<>();
        for (NetStack stack : stacks) {
            rows.addAll(onStack(stack, now -> SocketTable.snapshot(stack.tcp(), filter, now)));
        }
        return SocketTable.render(rows);
    }

    private String stats(List<String> flags) throws BadRequest {
        if (!flags.isEmpty() && !flags.equals(List.of("-z"))) {
            throw new BadRequest("stats: unknown flags " + flags);
        }
        boolean zeros = !flags.isEmpty();
        List<Map<String, Long>> shards = new ArrayList<>();
        for (NetStack stack : stacks) {
            shards.add(onStack(stack, now -> CounterTable.snapshot(stack.counters(), stack.tcp().counters(),
                    stack.udp().counters(), stack.systemFiles(), true)));
        }
        return CounterTable.render(CounterTable.sum(shards, zeros));
    }

    private void nc(SocketChannel ch, List<String> args) throws IOException, BadRequest {
        if (args.size() == 3 && args.get(0).equals("connect")) {
            IpAddress address;
            try {
                address = IpAddress.parse(args.get(1));
            } catch (IllegalArgumentException e) {
                throw new BadRequest("nc: bad address '" + args.get(1) + "'");
            }
            NcSession.connect(ch, api, address, port(args.get(2)));
        } else if (args.size() == 2 && args.get(0).equals("listen")) {
            NcSession.listen(ch, api, port(args.get(1)));
        } else {
            throw new BadRequest("nc: expected 'connect ADDRESS PORT' or 'listen PORT'");
        }
    }

    private static int port(String text) throws BadRequest {
        try {
            int port = Integer.parseInt(text);
            if (port >= 1 && port <= 65_535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new BadRequest("bad port '" + text + "'");
    }

    /** Runs {@code op} on the stack thread with the stack's time; a stack that does not answer is an error. */
    private <T> T onStack(NetStack stack, LongFunction<T> op) throws BadRequest {
        try {
            return CompletableFuture.supplyAsync(() -> op.apply(clock.nanoTime()), stack)
                    .get(ControlProtocol.STACK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new BadRequest("the stack did not answer within " + ControlProtocol.STACK_TIMEOUT.toSeconds() + " s");
        } catch (ExecutionException e) {
            throw new BadRequest("the snapshot failed: " + e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BadRequest("interrupted");
        }
    }

    private static void closeQuietly(SocketChannel ch) {
        try {
            ch.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "control socket: close: " + e.getMessage());
        }
    }

    /** Stops accepting, ends the sessions, removes the socket file. */
    @Override
    public void close() throws IOException {
        try {
            server.close();
            open.forEach(ControlServer::closeQuietly);
            timer.shutdownNow();
        } finally {
            Files.deleteIfExists(path);
        }
    }

    /** A request the server cannot serve: answered with an error line. */
    private static final class BadRequest extends Exception {
        BadRequest(String message) {
            super(message);
        }
    }
}
