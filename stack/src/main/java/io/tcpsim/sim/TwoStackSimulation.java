package io.tcpsim.sim;

import io.tcpsim.NetStack;
import io.tcpsim.StackConfig;
import io.tcpsim.link.FaultInjector;
import io.tcpsim.link.FaultInjector.Faults;
import io.tcpsim.link.PairLink;
import io.tcpsim.tcp.IsnGenerator;
import io.tcpsim.tcp.TcpConnection;
import io.tcpsim.tcp.TcpCounters;
import io.tcpsim.tcp.TcpListener;
import io.tcpsim.time.Clock;
import io.tcpsim.time.VirtualClock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Two whole stacks (IP and TCP) joined by a {@link PairLink}, the sender's side through a seeded
 * {@link FaultInjector} (loss and a bottleneck with a drop-tail queue), driven on one
 * {@link VirtualClock} by one thread: a bulk transfer that takes minutes of virtual time runs in a
 * fraction of that. Every byte the receiver reads is checked against what the sender wrote.
 */
public final class TwoStackSimulation implements AutoCloseable {
    static final int SENDER = 0x0A00_0001;
    static final int RECEIVER = 0x0A00_0002;
    static final int PORT = 9;
    private static final int CHUNK = 64 * 1024;
    /**
     * The sender's bytes repeat with this prime period: a segment delivered at a wrong offset
     * (duplicated, reordered, lost) differs from what was sent unless it moved by a multiple of
     * 65521 bytes times its length, far beyond what a window holds.
     */
    private static final int PERIOD = 65_521;
    private static final byte[] PATTERN = pattern();

    private final Scenario scenario;
    private final long boundNanos;
    private final VirtualClock clock = new VirtualClock();
    private final PairLink path;
    private final FaultInjector forward;
    private final NetStack sender;
    private final NetStack receiver;
    private final byte[] chunk = new byte[CHUNK];
    private long written;
    private long delivered;
    private boolean closed;

    /** A simulation of {@code scenario} that gives up after {@code boundNanos} of virtual time. */
    public TwoStackSimulation(Scenario scenario, long boundNanos) {
        this.scenario = scenario;
        this.boundNanos = boundNanos;
        this.path = new PairLink(clock, Scenario.MTU, scenario.rttMillis() * 500_000L);
        Faults faults = new Faults(scenario.loss(), 0, 0, 0, 0, 0, scenario.bottleneckBps(), scenario.queueBytes());
        this.forward = new FaultInjector(path.end(0), clock, faults, scenario.seed());
        this.sender = new NetStack(forward, new StackConfig(SENDER, scenario.tcpConfig(), isn("sender")));
        this.receiver = new NetStack(path.end(1), new StackConfig(RECEIVER, scenario.tcpConfig(), isn("receiver")));
    }

    private static IsnGenerator isn(String name) {
        return new IsnGenerator((name + "-isn-key-0123456789").substring(0, 16).getBytes(StandardCharsets.US_ASCII));
    }

    /** Runs the scenario to its end (every byte read, then end-of-stream) or to the bound. */
    public static SimulationResult run(Scenario scenario, long boundNanos) throws IOException {
        try (TwoStackSimulation sim = new TwoStackSimulation(scenario, boundNanos)) {
            return sim.transfer();
        }
    }

    private SimulationResult transfer() throws IOException {
        TcpListener listener = receiver.tcp().listen(0, PORT, 8);
        TcpConnection out = sender.tcp().connect(SENDER, RECEIVER, PORT, clock.nanoTime());
        TcpConnection in = null;
        long lastByteAt = -1;
        boolean endOfStream = false;
        while (!endOfStream && clock.nanoTime() <= boundNanos) {
            if (in == null) {
                in = listener.accept();
            }
            write(out);
            if (in != null) {
                endOfStream = read(in);
                if (delivered == scenario.bytes() && lastByteAt < 0) {
                    lastByteAt = clock.nanoTime();
                }
            }
            if (!step()) {
                break;
            }
        }
        TcpCounters counters = sender.tcp().counters();
        boolean finished = endOfStream && delivered == scenario.bytes();
        return new SimulationResult(scenario, delivered, lastByteAt < 0 ? clock.nanoTime() : lastByteAt, finished,
                counters.retransSegs(), counters.timeouts(), forward.dropped());
    }

    private void write(TcpConnection out) {
        long now = clock.nanoTime();
        while (written < scenario.bytes()) {
            int n = (int) Math.min(CHUNK, scenario.bytes() - written);
            int accepted = out.write(PATTERN, (int) (written % PERIOD), n, now);
            written += Math.max(accepted, 0);
            if (accepted < n) {
                return;
            }
        }
        if (!closed) {
            out.close(now);
            closed = true;
        }
    }

    /** Reads what has arrived, checking each byte; true at end-of-stream. */
    private boolean read(TcpConnection in) {
        long now = clock.nanoTime();
        for (int n = in.read(chunk, 0, CHUNK, now); n != 0; n = in.read(chunk, 0, CHUNK, now)) {
            if (n < 0) {
                return true;
            }
            int from = (int) (delivered % PERIOD);
            int differs = Arrays.mismatch(chunk, 0, n, PATTERN, from, from + n);
            if (differs >= 0) {
                throw new IllegalStateException("byte " + (delivered + differs) + " differs from what was sent");
            }
            delivered += n;
        }
        return false;
    }

    private static byte[] pattern() {
        byte[] p = new byte[PERIOD + CHUNK];
        for (int i = 0; i < p.length; i++) {
            int k = i % PERIOD;
            p[i] = (byte) (k * 31 + (k >>> 8) * 7 + 5);
        }
        return p;
    }

    /**
     * Handles whatever is due now on both stacks; when nothing is, moves the clock to the next
     * event. False when nothing is left to happen (a stall).
     */
    private boolean step() throws IOException {
        long now = clock.nanoTime();
        if (sender.poll(now) + receiver.poll(now) > 0) {
            return true;
        }
        long next = Math.min(Math.min(sender.nextDeadline(), receiver.nextDeadline()),
                Math.min(path.nextDeliveryAt(), forward.nextReleaseAt()));
        if (next == Clock.NO_DEADLINE) {
            return false;
        }
        clock.advanceTo(next <= now ? now + 1 : next);
        return true;
    }

    @Override
    public void close() throws IOException {
        try (sender) {
            receiver.close();
        }
    }
}
