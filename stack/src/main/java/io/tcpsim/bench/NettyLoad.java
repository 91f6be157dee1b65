package io.tcpsim.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.InternetProtocolFamily;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The kernel's side of a benchmark: Netty's epoll transport on event-loop threads that have
 * entered one network namespace, so every socket they create is that namespace's. Channels are
 * created on the loop threads only (Netty creates a channel's socket on the thread that calls
 * {@code connect} or {@code bind}).
 */
public final class NettyLoad implements AutoCloseable {

    private static final int CHUNK = 64 * 1024;
    private static final Duration SETUP = Duration.ofSeconds(20);
    /** What every sender writes and every request is: shared, never freed (an unreleasable wrapper). */
    private static final ByteBuf DATA = Unpooled.unreleasableBuffer(Unpooled.directBuffer(CHUNK).writeZero(CHUNK));
    private static final ByteBuf REQUEST = Unpooled.unreleasableBuffer(Unpooled.directBuffer(1).writeByte('x'));

    private final EventLoopGroup group;
    private final List<Channel> channels = new ArrayList<>();

    /** {@code threads} event loops, each made by {@code namespaceThreads} (which enter the namespace). */
    public NettyLoad(ThreadFactory namespaceThreads, int threads) {
        this.group = new EpollEventLoopGroup(threads, namespaceThreads);
    }

    /** A server that reads and drops everything; counts the bytes. */
    public Running discard(String address, int port) throws IOException {
        LongAdder bytes = new LongAdder();
        Channel server = bind(address, port, new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                bytes.add(((ByteBuf) msg).readableBytes());
                ReferenceCountUtil.release(msg);
            }
        });
        return running(bytes, server);
    }

    /** A server that writes back what it reads; counts the bytes. */
    public Running echo(String address, int port) throws IOException {
        LongAdder bytes = new LongAdder();
        Channel server = bind(address, port, new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                bytes.add(((ByteBuf) msg).readableBytes());
                ctx.write(msg);
            }

            @Override
            public void channelReadComplete(ChannelHandlerContext ctx) {
                ctx.flush();
            }
        });
        return running(bytes, server);
    }

    /** {@code flows} connections to {@code address:port}, each writing 64 KiB chunks as fast as the socket takes them. */
    public Running send(String address, int port, int flows) throws IOException {
        LongAdder bytes = new LongAdder();
        List<Channel> open = new ArrayList<>();
        for (int i = 0; i < flows; i++) {
            open.add(connect(null, address, port, new ChannelInboundHandlerAdapter() {
                @Override
                public void channelActive(ChannelHandlerContext ctx) {
                    fill(ctx);
                }

                @Override
                public void channelWritabilityChanged(ChannelHandlerContext ctx) {
                    fill(ctx);
                }

                @Override
                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                    ReferenceCountUtil.release(msg);
                }

                private void fill(ChannelHandlerContext ctx) {
                    while (ctx.channel().isActive() && ctx.channel().isWritable()) {
                        ctx.write(DATA.duplicate());
                        bytes.add(CHUNK);
                    }
                    ctx.flush();
                }
            }));
        }
        return running(bytes, open.toArray(Channel[]::new));
    }

    /**
     * One connection sending a 1-byte request and waiting for the 1-byte answer, again and again
     * for {@code duration}; every round trip's time in nanoseconds.
     */
    public Latencies requestResponse(String address, int port, Duration duration) throws IOException {
        Latencies latencies = new Latencies();
        CompletableFuture<Void> done = new CompletableFuture<>();
        Channel channel = connect(null, address, port, new ChannelInboundHandlerAdapter() {
            private long sentAt;
            private long endAt;

            @Override
            public void channelActive(ChannelHandlerContext ctx) {
                endAt = System.nanoTime() + duration.toNanos();
                ask(ctx);
            }

            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ReferenceCountUtil.release(msg);
                long now = System.nanoTime();
                latencies.add(now - sentAt);
                if (now < endAt) {
                    ask(ctx);
                } else {
                    done.complete(null);
                }
            }

            @Override
            public void channelInactive(ChannelHandlerContext ctx) {
                done.completeExceptionally(new IOException("request/response connection closed by the peer"));
            }

            private void ask(ChannelHandlerContext ctx) {
                sentAt = System.nanoTime();
                ctx.writeAndFlush(REQUEST.duplicate());
            }
        });
        try {
            await(done, duration.plus(SETUP));
        } finally {
            channel.close();
        }
        return latencies;
    }

    /**
     * {@code concurrency} loops each connecting, sending one byte, reading the answer and closing
     * (an orderly close: FIN both ways, the kernel's side first, so its socket enters TIME_WAIT),
     * for {@code duration}; how many completed. Failed connections are counted apart. Kept lean,
     * as a load generator would be: one prepared {@link Bootstrap} with an already resolved
     * address, IPv4 sockets, one shared handler that starts a loop's next connection when the
     * last one is closed, one shared listener for failed connects, and no socket option that
     * changes nothing here (TCP_NODELAY: a single 1-byte write never waits for Nagle).
     */
    public ConnectResult connectLoop(String address, int port, int concurrency, Duration duration) throws IOException {
        ConnectLoop loop = new ConnectLoop(new InetSocketAddress(address, port), concurrency,
                System.nanoTime() + duration.toNanos());
        for (int i = 0; i < concurrency; i++) {
            group.next().execute(loop::next);
        }
        await(loop.done, duration.plus(SETUP));
        return new ConnectResult(loop.completed.sum(), loop.failed.sum());
    }

    /** The state of one {@link #connectLoop}: its bootstrap, its counters and when it ends. */
    private final class ConnectLoop extends ChannelInboundHandlerAdapter implements ChannelFutureListener {
        private final LongAdder completed = new LongAdder();
        private final LongAdder failed = new LongAdder();
        private final CompletableFuture<Void> done = new CompletableFuture<>();
        private final AtomicInteger live;
        private final long endAt;
        private final Bootstrap bootstrap;

        ConnectLoop(InetSocketAddress remote, int concurrency, long endAt) {
            this.live = new AtomicInteger(concurrency);
            this.endAt = endAt;
            this.bootstrap = new Bootstrap().group(group)
                    .channelFactory(() -> new EpollSocketChannel(InternetProtocolFamily.IPv4))
                    .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) SETUP.toMillis())
                    .handler(this)
                    .remoteAddress(remote);
        }

        /** On a loop thread: the next connection of that loop, or the loop's end. */
        void next() {
            if (System.nanoTime() >= endAt) {
                if (live.decrementAndGet() == 0) {
                    done.complete(null);
                }
                return;
            }
            bootstrap.connect().addListener(this);
        }

        /** A connect finished: a failure is counted and the loop goes on (a success, in {@link #channelInactive}). */
        @Override
        public void operationComplete(ChannelFuture f) {
            if (!f.isSuccess()) {
                failed.increment();
                f.channel().eventLoop().execute(this::next);
            }
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            ctx.writeAndFlush(REQUEST.duplicate(), ctx.voidPromise());
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
            completed.increment();
            ctx.close();
        }

        /** The connection is closed: this loop's next one. */
        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            next();
        }

        @Override
        public boolean isSharable() {
            return true;
        }
    }

    /** Connections {@link #hold} keeps open. */
    public interface Held extends Running {
        /** Connections that could not be opened. */
        long failed();
    }

    /** What {@link #connectLoop} counted. */
    public record ConnectResult(long completed, long failed) {
    }

    /**
     * Opens {@code count} connections to {@code address:port}, from the {@code sources} in turn,
     * at most {@code inFlight} connecting at once; each sends one byte and waits for its echo.
     * Returns them open; {@link Held#count} is how many got their echo.
     */
    public Held hold(List<String> sources, String address, int port, int count, int inFlight) throws IOException {
        LongAdder echoed = new LongAdder();
        LongAdder failed = new LongAdder();
        List<Channel> open = java.util.Collections.synchronizedList(new ArrayList<>(count));
        java.util.concurrent.Semaphore slots = new java.util.concurrent.Semaphore(inFlight);
        Bootstrap bootstrap = clientBootstrap(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelActive(ChannelHandlerContext ctx) {
                ctx.writeAndFlush(REQUEST.duplicate());
            }

            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ReferenceCountUtil.release(msg);
                echoed.increment();
                slots.release();
            }

            @Override
            public boolean isSharable() {
                return true;
            }
        });
        long deadline = System.nanoTime() + SETUP.toNanos() + TimeUnit.MILLISECONDS.toNanos(count);
        for (int i = 0; i < count; i++) {
            try {
                if (!slots.tryAcquire(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                    break;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while connecting", e);
            }
            InetSocketAddress source = new InetSocketAddress(sources.get(i % sources.size()), 0);
            Bootstrap b = bootstrap.clone();
            group.next().execute(() -> b.connect(new InetSocketAddress(address, port), source)
                    .addListener((ChannelFuture f) -> {
                        if (f.isSuccess()) {
                            open.add(f.channel());
                        } else {
                            failed.increment();
                            slots.release();
                        }
                    }));
        }
        try {
            slots.tryAcquire(inFlight, Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return new Held() {
            @Override
            public long count() {
                return echoed.sum();
            }

            @Override
            public long failed() {
                return failed.sum();
            }

            @Override
            public void close() {
                List<Channel> all;
                synchronized (open) {
                    all = new ArrayList<>(open);
                }
                for (Channel c : all) {
                    c.close().syncUninterruptibly();
                }
            }
        };
    }

    private Channel bind(String address, int port, ChannelInboundHandlerAdapter handler) throws IOException {
        ServerBootstrap bootstrap = new ServerBootstrap().group(group).channel(EpollServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 4096)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(sharable(handler));
                    }
                });
        return onLoop(() -> bootstrap.bind(address, port));
    }

    private Channel connect(String source, String address, int port, ChannelInboundHandlerAdapter handler)
            throws IOException {
        Bootstrap bootstrap = clientBootstrap(handler);
        return onLoop(() -> source == null ? bootstrap.connect(address, port)
                : bootstrap.connect(new InetSocketAddress(address, port), new InetSocketAddress(source, 0)));
    }

    private Bootstrap clientBootstrap(ChannelInboundHandlerAdapter handler) {
        return new Bootstrap().group(group).channel(EpollSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(CHUNK, 4 * CHUNK))
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) SETUP.toMillis())
                .handler(handler);
    }

    /** A handler used by one channel at a time is fine; Netty only checks the annotation. */
    private static ChannelInboundHandlerAdapter sharable(ChannelInboundHandlerAdapter handler) {
        return handler.isSharable() ? handler : new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
                handler.channelRead(ctx, msg);
            }

            @Override
            public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
                handler.channelReadComplete(ctx);
            }
        };
    }

    /** Runs {@code open} on a loop thread (inside the namespace) and waits for the channel it opens. */
    private Channel onLoop(Callable<ChannelFuture> open) throws IOException {
        CompletableFuture<Channel> channel = new CompletableFuture<>();
        group.next().execute(() -> {
            try {
                open.call().addListener((ChannelFuture f) -> {
                    if (f.isSuccess()) {
                        channel.complete(f.channel());
                    } else {
                        channel.completeExceptionally(f.cause());
                    }
                });
            } catch (Exception e) {
                channel.completeExceptionally(e);
            }
        });
        Channel opened = await(channel, SETUP);
        synchronized (channels) {
            channels.add(opened);
        }
        return opened;
    }

    private Running running(LongAdder counter, Channel... open) {
        return Running.of(counter::sum, () -> {
            for (Channel c : open) {
                c.close().syncUninterruptibly();
            }
        });
    }

    private static <T> T await(CompletableFuture<T> future, Duration timeout) throws IOException {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IOException(e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("no answer within " + timeout.toSeconds() + " s");
        }
    }

    /** Closes every channel still open and stops the event loops. */
    @Override
    public void close() {
        synchronized (channels) {
            for (Channel c : channels) {
                c.close();
            }
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
