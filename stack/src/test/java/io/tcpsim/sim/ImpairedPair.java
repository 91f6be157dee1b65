package io.tcpsim.sim;

import io.tcpsim.tcp.FourTuple;
import io.tcpsim.tcp.IsnGenerator;
import io.tcpsim.tcp.SegmentOutput;
import io.tcpsim.tcp.TcpConfig;
import io.tcpsim.tcp.TcpConnection;
import io.tcpsim.tcp.TcpLayer;
import io.tcpsim.tcp.TcpListener;
import io.tcpsim.time.Clock;
import io.tcpsim.wire.TcpPacket;
import io.tcpsim.wire.TcpRepr;
import java.nio.charset.StandardCharsets;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * Two TCP layers joined by a seeded, impaired wire on one virtual clock: every segment takes a
 * one-way delay, and may be lost, duplicated or held back by a random extra delay (reordering).
 * Events (deliveries and both layers' deadlines) run in time order. With segmentation offload
 * the layers' outputs take segments of up to 64 KiB and cut them by the MSS before the wire, as a
 * TSO device does (Linux tcp_gso_segment()), so that each of the resulting segments is impaired
 * on its own.
 */
final class ImpairedPair {
    static final int A = 0x0A00_0001;
    static final int B = 0x0A00_0002;

    /** The wire's impairments: probabilities per segment, delays in nanoseconds. */
    record Impairment(double loss, double duplicate, double reorder, long delay, long reorderDelay) {
        static Impairment clean(long delay) {
            return new Impairment(0, 0, 0, delay, 0);
        }
    }

    private record Flight(long at, long order, int dst, int src, TcpRepr segment) {
    }

    final TcpLayer a;
    final TcpLayer b;
    private final Impairment impairment;
    private final SplittableRandom random;
    private final PriorityQueue<Flight> wire = new PriorityQueue<>((x, y) -> x.at != y.at
            ? Long.compare(x.at, y.at) : Long.compare(x.order, y.order));
    private long order;
    private long now;
    long segments;
    long dropped;
    /** Segments longer than the MSS the output cut (with segmentation offload). */
    long segmented;

    ImpairedPair(TcpConfig config, Impairment impairment, long seed) {
        this(config, impairment, seed, false);
    }

    ImpairedPair(TcpConfig config, Impairment impairment, long seed, boolean segmentationOffload) {
        this.impairment = impairment;
        this.random = new SplittableRandom(seed);
        SegmentOutput output = segmentationOffload ? new SegmentingOutput() : this::transmit;
        this.a = new TcpLayer(config, new IsnGenerator(key("a-key-0123456789")), output);
        this.b = new TcpLayer(config, new IsnGenerator(key("b-key-0123456789")), output);
    }

    /** An output with TSO: a segment's data cut into segments of the MSS, PSH and FIN on the last only. */
    private final class SegmentingOutput implements SegmentOutput {
        @Override
        public void send(FourTuple tuple, TcpRepr segment) {
            transmit(tuple, segment);
        }

        @Override
        public int segmentationLimit() {
            return 65_495;
        }

        @Override
        public void sendSegmented(FourTuple tuple, TcpRepr segment, int segmentSize) {
            long length = segment.payload().byteSize();
            if (length > segmentSize) {
                segmented++;
            }
            for (long offset = 0; offset == 0 || offset < length; offset += segmentSize) {
                long piece = Math.min(segmentSize, length - offset);
                boolean last = offset + piece >= length;
                int flags = last ? segment.flags() : segment.flags() & ~(TcpPacket.PSH | TcpPacket.FIN);
                transmit(tuple, new TcpRepr(segment.srcPort(), segment.dstPort(), segment.seq() + (int) offset,
                        segment.ack(), flags, segment.window(), segment.urgentPointer(), segment.options(),
                        segment.payload().asSlice(offset, piece)));
            }
        }
    }

    private static byte[] key(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    long now() {
        return now;
    }

    private void transmit(FourTuple t, TcpRepr sent) {
        TcpRepr segment = sent.detached();
        segments++;
        if (random.nextDouble() < impairment.loss()) {
            dropped++;
            return;
        }
        schedule(t, segment);
        if (random.nextDouble() < impairment.duplicate()) {
            schedule(t, segment);
        }
    }

    private void schedule(FourTuple t, TcpRepr segment) {
        long extra = random.nextDouble() < impairment.reorder() ? random.nextLong(impairment.reorderDelay() + 1) : 0;
        wire.add(new Flight(now + impairment.delay() + extra, order++, t.remoteAddr().ipv4(), t.localAddr().ipv4(), segment));
    }

    /** Runs events until {@code t} or until nothing is left to happen. */
    void runUntil(long t) {
        while (true) {
            long deadline = Math.min(a.nextDeadline(), b.nextDeadline());
            Flight next = wire.peek();
            long at = Math.min(deadline, next == null ? Clock.NO_DEADLINE : next.at());
            if (at == Clock.NO_DEADLINE || at > t) {
                now = Math.max(now, t == Long.MAX_VALUE ? now : t);
                return;
            }
            now = Math.max(now, at);
            if (next != null && next.at() <= now) {
                wire.poll();
                (next.dst() == A ? a : b).input(next.src(), next.dst(), next.segment(), now);
            } else {
                a.onTimers(now);
                b.onTimers(now);
            }
        }
    }

    /** Runs one step: the next event only; false when nothing is scheduled. */
    boolean step() {
        long deadline = Math.min(a.nextDeadline(), b.nextDeadline());
        Flight next = wire.peek();
        long at = Math.min(deadline, next == null ? Clock.NO_DEADLINE : next.at());
        if (at == Clock.NO_DEADLINE) {
            return false;
        }
        runUntil(at);
        return true;
    }

    /** Opens a connection from A to B's listener on port 7: {client, server}. */
    TcpConnection[] open() {
        TcpListener l = b.listen(0, 7, 8);
        TcpConnection client = a.connect(A, B, 7, now);
        TcpConnection server = null;
        while (server == null && step()) {
            server = l.accept();
        }
        if (server == null) {
            throw new AssertionError("handshake did not complete: " + client);
        }
        return new TcpConnection[] {client, server};
    }
}
