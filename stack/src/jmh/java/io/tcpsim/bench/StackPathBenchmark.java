package io.tcpsim.bench;

import io.tcpsim.NetStack;
import io.tcpsim.StackConfig;
import io.tcpsim.tcp.IsnGenerator;
import io.tcpsim.tcp.TcpConfig;
import io.tcpsim.tcp.TcpConnection;
import io.tcpsim.tcp.TcpListener;
import io.tcpsim.tcp.TcpState;
import io.tcpsim.testsupport.RawPacket;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The whole stack's per-packet cost (IPv4, TCP, the socket buffers; {@link NetStack} over an
 * in-memory {@link BenchLink}, as off a TUN read) with {@code connections} established
 * connections held, each with keep-alive on so that every one of them waits in the timer queue:
 * the per-packet cost should not grow with the count (demultiplexing and timers are O(1) or
 * O(log n)). The last connection is the active one; the benchmark plays its peer, a Linux-like
 * sender with timestamps, in patched off-heap templates ({@link PeerSegment}).
 * <ul>
 * <li>{@code receive}: the receive path. A 1448-byte in-order segment is received (IPv4 and TCP
 * checks and checksum, demux, the copy into the receive buffer, every second one acknowledged at
 * once as Linux's quick ACK does, the rest by the delayed-ACK timer) and the application reads it.
 * <li>{@code send}: the send path. The application writes 1448 bytes, which leave as one segment,
 * and the peer's ACK of it is received (RTT sample, congestion window, the send buffer freed).
 * <li>{@code idleLoopTurn}: a stack-loop turn with no packet and no timer due (tasks, the empty
 * link, the timer queue's next deadline).
 * </ul>
 *
 * <pre>./tcpsim jmh StackPathBenchmark -f 1 -wi 3 -i 5 -w 1 -r 1 -prof gc</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class StackPathBenchmark {
    private static final int LOCAL = 0x0A00_0002;
    private static final int FIRST_PEER = 0x0A01_0001;
    private static final int PORT = 80;
    private static final int PEER_PORTS = 50_000;
    private static final int PEER_ISS = 1_000;
    private static final int MSS = 1448;
    /** MSS 1460, SACK permitted, timestamps, NOP, window scale 7: a Linux client's SYN. */
    private static final byte[] SYN_OPTIONS = {2, 4, 0x05, (byte) 0xB4, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0, 1, 3, 3, 7};
    private static final long STEP_NANOS = 10_000;

    @Param({"1", "1000", "100000"})
    public int connections;

    private final BenchLink link = new BenchLink();
    private final byte[] chunk = new byte[MSS];
    private final byte[] readBuffer = new byte[1 << 16];
    private NetStack stack;
    private TcpConnection active;
    private PeerSegment data;
    private PeerSegment ack;
    private int peerSeq = PEER_ISS + 1;
    private int tsVal = 2;
    private long now;
    private long bytesMoved;

    @Setup(Level.Trial)
    public void establish() throws IOException {
        IsnGenerator isn = new IsnGenerator("bench-stack-key!".getBytes(StandardCharsets.US_ASCII));
        stack = new NetStack(link, new StackConfig(LOCAL, TcpConfig.linuxDefaults(1500), isn));
        TcpListener listener = stack.tcp().listen(0, PORT, 4096);
        int peer = 0;
        int peerPort = 0;
        for (int i = 0; i < connections; i++) {
            peer = FIRST_PEER + i / PEER_PORTS;
            peerPort = 10_000 + i % PEER_PORTS;
            active = handshake(listener, peer, peerPort);
            active.setKeepAlive(true, now);
        }
        data = new PeerSegment(new RawPacket(peer, peerPort, LOCAL, PORT)
                .flags(RawPacket.ACK | RawPacket.PSH).window(65_535).payload(new byte[MSS]));
        ack = new PeerSegment(new RawPacket(peer, peerPort, LOCAL, PORT).flags(RawPacket.ACK).window(65_535));
    }

    private TcpConnection handshake(TcpListener listener, int peer, int peerPort) throws IOException {
        link.inject(new RawPacket(peer, peerPort, LOCAL, PORT).seq(PEER_ISS).flags(RawPacket.SYN)
                .window(65_535).options(SYN_OPTIONS).bytes());
        stack.poll(now);
        int iss = link.lastSeq();
        new PeerSegment(new RawPacket(peer, peerPort, LOCAL, PORT).flags(RawPacket.ACK).window(65_535))
                .sendTo(link, PEER_ISS + 1, iss + 1, tsVal, link.lastTsVal());
        stack.poll(now);
        TcpConnection c = listener.accept();
        if (c == null || c.state() != TcpState.ESTABLISHED) {
            throw new IllegalStateException("handshake " + peerPort + " did not complete: " + c);
        }
        return c;
    }

    /** One in-order data segment received and read by the application. */
    @Benchmark
    public int receive() throws IOException {
        now += STEP_NANOS;
        data.sendTo(link, peerSeq, active.sndNxt(), ++tsVal, link.lastTsVal());
        stack.poll(now);
        peerSeq += MSS;
        int n = active.read(readBuffer, 0, readBuffer.length, now);
        bytesMoved += n;
        return n;
    }

    /** One MSS written, sent as a segment, and its ACK received. */
    @Benchmark
    public int send() throws IOException {
        now += STEP_NANOS;
        int n = active.write(chunk, 0, MSS, now);
        ack.sendTo(link, peerSeq, link.lastSegmentEnd(), ++tsVal, link.lastTsVal());
        stack.poll(now);
        bytesMoved += n;
        return n;
    }

    /** A turn of the stack loop with nothing to do; returns the next deadline. */
    @Benchmark
    public long idleLoopTurn() throws IOException {
        now += STEP_NANOS;
        stack.poll(now);
        return stack.nextDeadline();
    }

    /** The benchmark measured what it says: data moved, nothing left unacknowledged or unread. */
    @TearDown(Level.Trial)
    public void verify() throws IOException {
        if (active.state() != TcpState.ESTABLISHED || active.readable() != 0
                || stack.tcp().connections().size() != connections) {
            throw new IllegalStateException("the active connection is " + active.state() + " with "
                    + active.readable() + " unread bytes, " + stack.tcp().connections().size() + " connections");
        }
        if (bytesMoved == 0 && link.transmitted() < connections) {
            throw new IllegalStateException("nothing was sent");
        }
        stack.close();
    }
}
