package io.tcpsim;

import io.tcpsim.ip.IpCounters;
import io.tcpsim.ip.Ipv4Layer;
import io.tcpsim.ip.Ipv6Layer;
import io.tcpsim.link.BufferSlices;
import io.tcpsim.link.LinkDevice;
import io.tcpsim.socket.StackExecutor;
import io.tcpsim.socket.SystemFiles;
import io.tcpsim.tcp.TcpLayer;
import io.tcpsim.time.Clock;
import io.tcpsim.udp.UdpLayer;
import io.tcpsim.wire.IpAddress;
import io.tcpsim.wire.Ipv4Packet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The composition root: one link, the IP layer above it, TCP and UDP over it, for the socket
 * layer. Confined to one thread, the stack thread; {@link #poll} is its only entry point
 * for packets, {@link #nextDeadline} tells the loop when to come back.
 */
public final class NetStack implements StackExecutor, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(NetStack.class.getName());

    /** Packets handled per {@link #poll} before the loop looks at its deadlines again. */
    static final int RECEIVE_BUDGET = 64;

    private final LinkDevice link;
    private final IpCounters counters = new IpCounters();
    private final Ipv4Layer ipv4;
    private final IpAddress address6;
    private final TcpLayer tcp;
    private final UdpLayer udp;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment receiveBuffer;
    /** The packets as read: slices of {@link #receiveBuffer}, one per length, made once. */
    private final BufferSlices received;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final SystemFiles files = SystemFiles.forHeap(Runtime.getRuntime().maxMemory());
    /** The time {@link #poll(long)} was given, as a clock: one, reused, so a poll allocates nothing for it. */
    private final StoppedClock stoppedClock = new StoppedClock();

    /**
     * The stack over {@code link}; when the link segments TCP packets (TSO, a TUN with offloads),
     * TCP sends new data in segments of up to 64 KiB that the link cuts (SegmentOutput#sendSegmented).
     */
    public NetStack(LinkDevice link, StackConfig config) {
        this.link = link;
        this.receiveBuffer = arena.allocate(Math.max(link.mtu(), 65_535), 64);
        this.received = new BufferSlices(receiveBuffer, 0);
        this.ipv4 = new Ipv4Layer(config.address(), this.link, counters, arena);
        TcpOverIpv4 glue = new TcpOverIpv4(ipv4, this.link::receivedChecksumTrusted);
        TcpOutput output = new TcpOutput(glue);
        this.tcp = new TcpLayer(config.tcp(), config.isn(), output);
        glue.attach(tcp);
        ipv4.register(Ipv4Packet.PROTO_TCP, glue);
        ipv4.registerErrorHandler(Ipv4Packet.PROTO_TCP, glue);
        this.address6 = config.address6();
        if (config.hasIpv6()) {
            Ipv6Layer ipv6 = new Ipv6Layer(config.address6(), this.link, counters, arena);
            ipv4.attachIpv6(ipv6);
            TcpOverIpv6 glue6 = new TcpOverIpv6(ipv6, this.link::receivedChecksumTrusted);
            glue6.attach(tcp);
            output.attachIpv6(glue6);
            ipv6.register(Ipv4Packet.PROTO_TCP, glue6);
            ipv6.registerErrorHandler(Ipv4Packet.PROTO_TCP, glue6);
            this.udp = udpOver(config, ipv6);
        } else {
            this.udp = udpOver(config, null);
        }
    }

    /** UDP over IPv4, and over IPv6 when the stack has an IPv6 layer ({@code ipv6} not null). */
    private UdpLayer udpOver(StackConfig config, Ipv6Layer ipv6) {
        UdpOverIpv4 udpGlue = new UdpOverIpv4(ipv4, link::receivedChecksumTrusted);
        UdpOutput udpOutput = new UdpOutput(udpGlue);
        UdpLayer layer = new UdpLayer(IpAddress.ofIpv4(config.address()), config.address6(),
                config.tcp().ephemeralLow(), config.tcp().ephemeralHigh(), udpOutput);
        udpGlue.attach(layer);
        ipv4.register(Ipv4Packet.PROTO_UDP, udpGlue);
        ipv4.registerErrorHandler(Ipv4Packet.PROTO_UDP, udpGlue);
        if (ipv6 != null) {
            UdpOverIpv6 glue6 = new UdpOverIpv6(ipv6, link::receivedChecksumTrusted);
            glue6.attach(layer);
            udpOutput.attachIpv6(glue6);
            ipv6.register(Ipv4Packet.PROTO_UDP, glue6);
            ipv6.registerErrorHandler(Ipv4Packet.PROTO_UDP, glue6);
        }
        return layer;
    }

    /**
     * Receives and processes the packets waiting on the link, at most {@link #RECEIVE_BUDGET},
     * all at time {@code nowNanos} (a virtual clock's); returns how many were processed.
     */
    public int poll(long nowNanos) throws IOException {
        stoppedClock.now = nowNanos;
        return pollWith(stoppedClock);
    }

    /**
     * As {@link #poll(long)} on a real clock, read again for each packet and for the timers: an
     * ACK that arrives within the same poll as the segment it acknowledges still gives a true,
     * non-zero RTT sample, and time never steps back between a task and the packets after it.
     */
    public int poll(Clock clock) throws IOException {
        return pollWith(clock);
    }

    private int pollWith(Clock clock) throws IOException {
        runTasks();
        int processed = receiveBatch(clock);
        long at = clock.nanoTime();
        if (tcp.nextDeadline() <= at) {
            onTimers(at);
        }
        if (ipv4.nextDeadline() <= at) {
            onReassemblyTimers(at);
        }
        link.flush();
        return processed;
    }

    /**
     * Up to {@link #RECEIVE_BUDGET} packets, read until the link has no more (EAGAIN on a TUN), as
     * one batch for TCP: it acknowledges the in-order data of a batch once per connection, at its
     * end ({@link TcpLayer#beginReceiveBatch}).
     */
    private int receiveBatch(Clock clock) throws IOException {
        tcp.beginReceiveBatch();
        int processed = 0;
        try {
            while (processed < RECEIVE_BUDGET) {
                int length = link.receive(receiveBuffer);
                if (length <= 0) {
                    break;
                }
                ipv4.input(received.of(length), clock.nanoTime());
                processed++;
            }
        } finally {
            endReceiveBatch(clock.nanoTime());
        }
        return processed;
    }

    private void endReceiveBatch(long nowNanos) throws IOException {
        try {
            tcp.endReceiveBatch(nowNanos);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } catch (RuntimeException e) {
            counters.countInternalError();
            LOG.log(System.Logger.Level.ERROR, "internal error in the ACKs of a receive batch; the stack goes on", e);
        }
    }

    private void onTimers(long nowNanos) throws IOException {
        try {
            tcp.onTimers(nowNanos);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        } catch (RuntimeException e) {
            counters.countInternalError();
            LOG.log(System.Logger.Level.ERROR, "internal error in TCP timers; the stack goes on", e);
        }
    }

    /** Fragment queues that time out (RFC 791 §3.2, RFC 8200 §4.5). */
    private void onReassemblyTimers(long nowNanos) throws IOException {
        try {
            ipv4.onTimers(nowNanos);
        } catch (RuntimeException e) {
            counters.countInternalError();
            LOG.log(System.Logger.Level.ERROR, "internal error in reassembly timers; the stack goes on", e);
        }
    }

    /** The earliest time at which the stack has work without new packets; MIN_VALUE: at once. */
    public long nextDeadline() {
        return tasks.isEmpty() ? Math.min(tcp.nextDeadline(), ipv4.nextDeadline()) : Long.MIN_VALUE;
    }

    /**
     * Runs {@code task} on the stack thread at its next poll: the only way other threads act on
     * TCP state, which is confined to the stack thread. Wakes the stack thread if it sleeps
     * ({@link LinkDevice#wakeUp}), so the task runs at once rather than at the next packet or deadline.
     */
    @Override
    public void execute(Runnable task) {
        tasks.add(task);
        try {
            link.wakeUp();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "could not wake the stack thread: " + e.getMessage(), e);
        }
    }

    private void runTasks() {
        Runnable task;
        while ((task = tasks.poll()) != null) {
            try {
                task.run();
            } catch (RuntimeException e) {
                counters.countInternalError();
                LOG.log(System.Logger.Level.ERROR, "a task on the stack thread failed; the stack goes on", e);
            }
        }
    }

    /** The TCP layer; touch it only on the stack thread (from {@link #execute} tasks or callbacks). */
    @Override
    public TcpLayer tcp() {
        return tcp;
    }

    /** The UDP layer; touch it only on the stack thread, like {@link #tcp()}. */
    @Override
    public UdpLayer udp() {
        return udp;
    }

    @Override
    public SystemFiles systemFiles() {
        return files;
    }

    /** The stack's IPv6 address, {@link IpAddress#ANY_IPV6} when it has none. */
    public IpAddress address6() {
        return address6;
    }

    public IpCounters counters() {
        return counters;
    }

    public LinkDevice link() {
        return link;
    }

    @Override
    public void close() throws IOException {
        try {
            link.close();
        } finally {
            arena.close();
        }
    }

    /** A clock that stands at the time it was last set to: a virtual clock's reading for one poll. */
    private static final class StoppedClock implements Clock {
        private long now;

        @Override
        public long nanoTime() {
            return now;
        }

        @Override
        public long epochNanos(long nanoTime) {
            return nanoTime;
        }
    }
}
