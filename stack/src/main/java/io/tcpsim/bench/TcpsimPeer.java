package io.tcpsim.bench;

import static io.tcpsim.socket.SocketConstants.AF_INET;
import static io.tcpsim.socket.SocketConstants.SOCK_STREAM;

import io.tcpsim.NetStack;
import io.tcpsim.StackConfig;
import io.tcpsim.StackShards;
import io.tcpsim.app.BulkSender;
import io.tcpsim.app.DiscardServer;
import io.tcpsim.app.EchoServer;
import io.tcpsim.link.LinkDevice;
import io.tcpsim.link.PcapTap;
import io.tcpsim.link.PcapWriter;
import io.tcpsim.socket.SockAddrIn;
import io.tcpsim.socket.SocketApi;
import io.tcpsim.time.Clock;
import io.tcpsim.time.SystemClock;
import io.tcpsim.wire.Ipv4Address;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;

/**
 * tcpsim behind the TUN, with Linux's defaults for the MTU; its applications are event-driven on
 * the stack thread ({@link DiscardServer}, {@link BulkSender}, {@link EchoServer}), and for the
 * socket API's own rows blocking loops on virtual threads ({@link #discardThroughSockets},
 * {@link #sendThroughSockets}).
 * On a TUN of several queues ({@link StackShards}) every shard listens, and the flows it sends
 * are opened from the shards in turn.
 */
final class TcpsimPeer extends TunSidePeer {

    private static final Clock CLOCK = new SystemClock();
    private static final int CHUNK = 64 * 1024;
    private static final int ADDRESS = Ipv4Address.parse(TunSide.PEER);
    private static final int KERNEL = Ipv4Address.parse(TunSide.KERNEL);

    private final StackShards shards;
    private final List<SocketApi> apis = new ArrayList<>();

    private TcpsimPeer(TunSide side, StackShards shards) {
        super(side);
        this.shards = shards;
        for (NetStack stack : shards.stacks()) {
            apis.add(new SocketApi(stack, CLOCK, ADDRESS));
        }
    }

    /**
     * tcpsim on a TUN of {@code mtu} with {@code queues} queues (a stack thread each), with checksum
     * and segmentation offloads when {@code offloads}, its packets recorded to {@code pcap} when present.
     */
    static TcpsimPeer create(String prefix, int mtu, boolean offloads, int queues, Optional<PcapWriter> pcap)
            throws IOException {
        TunSide side = TunSide.create(prefix, mtu, offloads, queues);
        try {
            List<LinkDevice> links = side.network().links().stream()
                    .map(link -> pcap.isEmpty() ? link : (LinkDevice) PcapTap.sharing(link, CLOCK, pcap.get()))
                    .toList();
            return new TcpsimPeer(side, StackShards.start(links, StackConfig.linuxDefaults(ADDRESS, mtu), CLOCK));
        } catch (RuntimeException e) {
            side.close();
            throw e;
        }
    }

    @Override
    public String name() {
        return "tcpsim";
    }

    /** The event-driven {@link DiscardServer} on every shard's stack thread. */
    @Override
    public Running discard(int port) throws IOException {
        List<DiscardServer> servers = new ArrayList<>();
        for (NetStack stack : shards.stacks()) {
            servers.add(onStack(stack, () -> DiscardServer.listen(stack.tcp(), CLOCK, 0, port, 128)));
        }
        return Running.of(() -> servers.stream().mapToLong(DiscardServer::bytes).sum(),
                () -> forEachOnStack(servers, DiscardServer::close));
    }

    /**
     * The same through the socket API: a blocking accept loop and a blocking read loop per
     * connection, on virtual threads (the reads copy on those threads, the rest is the stack
     * thread's, see docs/architecture.md, "Threads").
     */
    Running discardThroughSockets(int port) throws IOException {
        LongAdder bytes = new LongAdder();
        List<Running> shardServers = new ArrayList<>();
        for (SocketApi api : apis) {
            shardServers.add(discard(api, port, bytes));
        }
        return Running.of(bytes::sum, () -> shardServers.forEach(Running::close));
    }

    /** The discard server on one shard, adding what it reads to {@code bytes}. */
    private static Running discard(SocketApi api, int port, LongAdder bytes) throws IOException {
        int listener = check(api.socket(AF_INET, SOCK_STREAM, 0), "socket");
        check(api.bind(listener, SockAddrIn.of(0, port)), "bind");
        check(api.listen(listener, 128), "listen");
        List<Integer> accepted = new ArrayList<>();
        Thread.ofVirtual().start(() -> {
            int fd;
            while ((fd = api.accept(listener, new SockAddrIn())) >= 0) {
                synchronized (accepted) {
                    accepted.add(fd);
                }
                int connection = fd;
                Thread.ofVirtual().start(() -> {
                    byte[] buffer = new byte[CHUNK];
                    long n;
                    while ((n = api.read(connection, buffer, 0, buffer.length)) > 0) {
                        bytes.add(n);
                    }
                });
            }
        });
        return Running.of(bytes::sum, () -> {
            api.close(listener);
            synchronized (accepted) {
                accepted.forEach(api::close);
            }
        });
    }

    @Override
    public Running echo(int port) throws IOException {
        List<Runnable> closers = new ArrayList<>();
        for (NetStack stack : shards.stacks()) {
            EchoServer server = onStack(stack, () -> EchoServer.listen(stack.tcp(), CLOCK, 0, port, 4096));
            closers.add(() -> stack.execute(() -> server.listener().close(CLOCK.nanoTime())));
        }
        return Running.of(() -> 0, () -> closers.forEach(Runnable::run));
    }

    /** {@code flows} event-driven {@link BulkSender}s, opened from the shards in turn. */
    @Override
    public Running send(int port, int flows) throws IOException {
        List<BulkSender> senders = new ArrayList<>();
        for (int i = 0; i < flows; i++) {
            NetStack stack = stackOf(i);
            senders.add(onStack(stack, () -> BulkSender.connect(stack.tcp(), CLOCK, ADDRESS, KERNEL, port)));
        }
        return Running.of(() -> senders.stream().mapToLong(BulkSender::bytes).sum(),
                () -> forEachOnStack(senders, BulkSender::close));
    }

    /** The same through the socket API: a blocking write loop per connection on a virtual thread. */
    Running sendThroughSockets(int port, int flows) throws IOException {
        LongAdder bytes = new LongAdder();
        List<Runnable> closers = new ArrayList<>();
        for (int i = 0; i < flows; i++) {
            SocketApi api = apis.get(i % apis.size());
            int fd = check(api.socket(AF_INET, SOCK_STREAM, 0), "socket");
            check(api.connect(fd, SockAddrIn.of(KERNEL, port)), "connect");
            closers.add(() -> api.close(fd));
            Thread.ofVirtual().start(() -> {
                byte[] chunk = new byte[CHUNK];
                long n;
                while ((n = api.write(fd, chunk, 0, chunk.length)) > 0) {
                    bytes.add(n);
                }
            });
        }
        return Running.of(bytes::sum, () -> closers.forEach(Runnable::run));
    }

    /** The stack of shard {@code i} modulo their number. */
    private NetStack stackOf(int i) {
        return shards.stacks().get(i % shards.stacks().size());
    }

    /**
     * Runs {@code action} on each app's stack thread: apps.get(i) lives on the stack of shard
     * i modulo their number, and closing from another thread would break TCP's confinement.
     */
    private <A> void forEachOnStack(List<A> apps, java.util.function.Consumer<A> action) {
        for (int i = 0; i < apps.size(); i++) {
            A app = apps.get(i);
            stackOf(i).execute(() -> action.accept(app));
        }
    }

    @Override
    public boolean sends() {
        return true;
    }

    @Override
    public long stackAllocatedBytes() {
        return shards.allocatedBytes();
    }

    @Override
    public long heapInUse() {
        return Heap.usedAfterGc();
    }

    /** Connections the stacks hold in any state. */
    int connections() throws IOException {
        int total = 0;
        for (NetStack stack : shards.stacks()) {
            total += onStack(stack, () -> stack.tcp().connections().size());
        }
        return total;
    }

    private static <T> T onStack(NetStack stack, java.util.function.Supplier<T> action) throws IOException {
        try {
            return CompletableFuture.supplyAsync(action, stack).get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("the stack thread did not answer: " + e, e);
        }
    }

    private static int check(long result, String call) throws IOException {
        if (result < 0) {
            throw new IOException(call + ": " + io.tcpsim.socket.Errno.name(SocketApi.errno()));
        }
        return (int) result;
    }

    @Override
    public String kernelCounters() throws IOException {
        List<java.util.Map<String, Long>> perShard = new ArrayList<>();
        for (NetStack stack : shards.stacks()) {
            perShard.add(onStack(stack, () -> io.tcpsim.control.CounterTable.snapshot(stack.counters(),
                    stack.tcp().counters(), stack.udp().counters(), stack.systemFiles(), true)));
        }
        java.util.Map<String, Long> tcpsim = io.tcpsim.control.CounterTable.sum(perShard, false);
        StringBuilder notable = new StringBuilder();
        tcpsim.forEach((name, value) -> {
            if (name.matches(".*(Retrans|Drop|drop|Prune|Collapse|OFO|Ofo|Timeout|Loss|Reno|SACK|Sack).*")) {
                notable.append(", ").append(name).append(' ').append(value);
            }
        });
        return side.kernelCounters() + "; tcpsim" + notable;
    }

    @Override
    public void close() throws IOException {
        try {
            shards.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            side.close();
        }
    }
}
