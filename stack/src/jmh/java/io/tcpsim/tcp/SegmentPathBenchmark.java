package io.tcpsim.tcp;

import io.tcpsim.wire.TcpRepr;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * TCP's own per-segment cost, without IP, the TUN or a socket: two {@link TcpLayer}s joined by an
 * in-memory wire on a virtual clock, one established connection. {@code segmentAndItsAck}: a
 * 1448-byte write leaves as one segment (send ring, segment, options: the send path), the peer
 * takes it in (demux, checks, the in-order path, the copy into the receive ring: the receive
 * path), its application reads it, its delayed ACK goes back and the sender takes that in; the
 * send and receive paths are measured together, not apart. {@code timers}: the timer queue asked
 * and run with nothing due, with 1,000 connections waiting on theirs. The wire keeps
 * {@link TcpRepr#detached()} segments, a copy a real output does not make.
 *
 * <pre>./tcpsim jmh SegmentPathBenchmark -f 1 -wi 3 -i 5 -prof gc</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SegmentPathBenchmark {
    private static final int A = 0x0A00_0001;
    private static final int B = 0x0A00_0002;
    private static final int MSS = 1448;

    private record Packet(int dst, int src, TcpRepr segment) {
    }

    private final ArrayDeque<Packet> wire = new ArrayDeque<>();
    private final byte[] chunk = new byte[MSS];
    private final byte[] readBuffer = new byte[1 << 16];
    private TcpLayer a;
    private TcpLayer b;
    private TcpConnection client;
    private TcpConnection server;
    private TcpLayer idle;
    private long now;

    @Setup(Level.Trial)
    public void connect() {
        TcpConfig config = TcpConfig.linuxDefaults(1500);
        a = new TcpLayer(config, new IsnGenerator("sixteen-byte-key".getBytes(StandardCharsets.US_ASCII)),
                (t, s) -> wire.add(new Packet(t.remoteAddr().ipv4(), t.localAddr().ipv4(), s.detached())));
        b = new TcpLayer(config, new IsnGenerator("another-16-bytes".getBytes(StandardCharsets.US_ASCII)),
                (t, s) -> wire.add(new Packet(t.remoteAddr().ipv4(), t.localAddr().ipv4(), s.detached())));
        TcpListener listener = b.listen(0, 7, 8);
        client = a.connect(A, B, 7, now);
        deliverAll();
        server = listener.accept();
        idle = new TcpLayer(config, new IsnGenerator("sixteen-byte-key".getBytes(StandardCharsets.US_ASCII)),
                (t, s) -> { });
        for (int i = 0; i < 1000; i++) {
            idle.connect(A, B, 10_000 + i, now);
        }
        if (server == null) {
            throw new IllegalStateException("the handshake did not complete");
        }
    }

    /** One segment sent, received, read by the application and acknowledged, the ACK received. */
    @Benchmark
    public int segmentAndItsAck() {
        now += 10_000;
        client.write(chunk, 0, chunk.length, now);
        deliverAll();
        int n = server.read(readBuffer, 0, readBuffer.length, now);
        now += 50_000_000;
        a.onTimers(now);
        b.onTimers(now);
        deliverAll();
        return n;
    }

    /** The timer queue with 1,000 connections and nothing due: what every stack-loop turn pays. */
    @Benchmark
    public long timers() {
        long next = idle.nextDeadline();
        idle.onTimers(Math.min(next - 1, now));
        return next;
    }

    private void deliverAll() {
        for (Packet p = wire.poll(); p != null; p = wire.poll()) {
            (p.dst() == A ? a : b).input(p.src(), p.dst(), p.segment(), now);
        }
    }
}
