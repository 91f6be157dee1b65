package io.tcpsim.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import io.tcpsim.time.Clock;
import io.tcpsim.wire.TcpRepr;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One {@link TcpLayer} on a virtual clock, a capturing output, and fixtures that bring a
 * connection to each state. Segments from the peer go in with {@link #send}; ours are checked
 * whole, in order, with {@link #expect} ({@link #expectNothing} when none may be left). Moving
 * the clock ({@link #at}, {@link #advance}) fires every deadline passed on the way, in order, as
 * the stack loop does.
 *
 * <p>Addresses: we are {@link #LOCAL}, the peer {@link #REMOTE} on port {@link #REMOTE_PORT},
 * whose ISS is {@link #P}; a passive connection uses {@link #LOCAL_PORT}.
 */
final class TcbHarness {
    static final int LOCAL = 0x0A00_0001;
    static final int REMOTE = 0x0A00_0002;
    static final int LOCAL_PORT = 8080;
    static final int REMOTE_PORT = 45000;
    /** The peer's initial sequence number in every fixture. */
    static final int P = 1000;
    static final byte[] KEY = "tcpsim-test-key!".getBytes(StandardCharsets.US_ASCII);
    /** Window field of ours after the handshake with window scale 7: 64240 rounded up to 128s. */
    static final int WIN = 502;
    /** Our SYN and SYN-ACK window for MSS 1460. */
    static final int SYN_WIN = 64240;

    /**
     * A segment we sent, when, and to which 4-tuple; {@code segmentSize}: the MSS a TSO output was
     * asked to cut it by ({@link SegmentOutput#sendSegmented}), 0 when sent as it is.
     */
    record Sent(long at, FourTuple tuple, TcpRepr segment, int segmentSize) {
        Sent(long at, FourTuple tuple, TcpRepr segment) {
            this(at, tuple, segment, 0);
        }

        @Override
        public String toString() {
            return "t=" + (at / 1e9) + "s " + Drill.format(segment);
        }
    }

    final TcpConfig config;
    final TcpLayer layer;
    private final Deque<Sent> out = new ArrayDeque<>();
    final List<String> events = new ArrayList<>();
    /** Our SYN window for this config ({@link #SYN_WIN} by default). */
    final int synWin;
    /** Our window field after a handshake in which the peer offered window scale ({@link #WIN} by default). */
    final int win;
    private long now;
    TcpConnection conn;
    TcpListener listener;
    /** Our ISS on {@link #conn}. */
    int iss;
    int localPort = LOCAL_PORT;

    /** Linux's defaults without timestamps; {@link TimestampsTest} runs with them on. */
    TcbHarness() {
        this(TcpConfig.linuxDefaults(1500).withTimestamps(false));
    }

    TcbHarness(TcpConfig config) {
        this(config, 0);
    }

    /**
     * With an output that segments TCP packets up to {@code segmentationLimit} bytes (TSO, as a
     * TUN with offloads), or a plain one for 0.
     */
    TcbHarness(TcpConfig config, int segmentationLimit) {
        this.config = config;
        int initial = Tcb.initialWindow(config.receiveBuffer(), config.mss());
        this.synWin = Math.min(initial, Tcb.MAX_WINDOW_FIELD); // RFC 7323 §2.2: a SYN's window is not scaled
        int shift = config.windowScale();
        int up = (initial + (1 << shift) - 1) >> shift;
        this.win = Math.min(up << shift <= config.receiveBuffer() ? up : initial >> shift, Tcb.MAX_WINDOW_FIELD);
        this.layer = new TcpLayer(config, new IsnGenerator(KEY), new SegmentOutput() {
            @Override
            public void send(FourTuple tuple, TcpRepr segment) {
                out.add(new Sent(now, tuple, segment.detached()));
            }

            @Override
            public int segmentationLimit() {
                return segmentationLimit;
            }

            @Override
            public void sendSegmented(FourTuple tuple, TcpRepr segment, int segmentSize) {
                if (segmentationLimit == 0) {
                    throw new UnsupportedOperationException("no TSO");
                }
                out.add(new Sent(now, tuple, segment.detached(), segmentSize));
            }
        });
    }

    static long secs(double seconds) {
        return Math.round(seconds * 1e9);
    }

    static long ms(long millis) {
        return millis * 1_000_000L;
    }

    long now() {
        return now;
    }

    /** Our TSval now on {@link #conn} (RFC 7323 §3.2). */
    int tsVal() {
        return conn.tcb.ts.val(now);
    }

    /** Moves the clock to {@code t}, firing every deadline up to and including it, in order. */
    TcbHarness at(long t) {
        if (t < now) {
            throw new IllegalArgumentException("time goes forward: " + t + " < " + now);
        }
        for (long d = layer.nextDeadline(); d != Clock.NO_DEADLINE && d <= t; d = layer.nextDeadline()) {
            now = Math.max(now, d);
            layer.onTimers(now);
        }
        now = t;
        return this;
    }

    /** Sets the clock before anything has happened, so that a fixture can end at time 0. */
    TcbHarness startAt(long t) {
        if (conn != null) {
            throw new IllegalStateException("the clock starts before the first segment");
        }
        now = t;
        return this;
    }

    TcbHarness advance(long nanos) {
        return at(now + nanos);
    }

    /** A segment from the peer (REMOTE:REMOTE_PORT to LOCAL:localPort unless the Seg says otherwise). */
    TcbHarness send(Seg s) {
        layer.input(REMOTE, LOCAL, s.build(REMOTE_PORT, localPort), now);
        return this;
    }

    TcbHarness sendFrom(int remoteAddr, Seg s) {
        layer.input(remoteAddr, LOCAL, s.build(REMOTE_PORT, localPort), now);
        return this;
    }

    /** The next segment we sent must be exactly this one (ports LOCAL:localPort to the peer by default). */
    Sent expect(Seg s) {
        return expect(s.build(localPort, REMOTE_PORT));
    }

    Sent expect(TcpRepr expected) {
        Sent sent = out.poll();
        if (sent == null) {
            fail("expected " + Drill.format(expected) + " but nothing was sent");
        }
        List<String> diff = Drill.differences(expected, sent.segment());
        if (!diff.isEmpty()) {
            fail("segment differs in " + diff + "\n  expected: " + Drill.format(expected) + "\n    actual: "
                    + sent + (out.isEmpty() ? "" : "\n  then: " + out));
        }
        return sent;
    }

    /** The next segment we sent, whatever it is (for values only the stack knows, as a SYN cookie). */
    Sent next() {
        Sent sent = out.poll();
        assertNotNull(sent, "nothing was sent");
        return sent;
    }

    /** As {@link #expect(Seg)}, also checking when it was sent. */
    Sent expectAt(long at, Seg s) {
        Sent sent = expect(s);
        assertEquals(at, sent.at(), () -> "sent at the wrong time: " + sent);
        return sent;
    }

    void expectNothing() {
        if (!out.isEmpty()) {
            fail("expected nothing but sent " + out.stream().map(Sent::toString).collect(Collectors.joining("\n  ")));
        }
    }

    void expectState(TcpState state) {
        assertNotNull(conn, "no connection");
        assertEquals(state, conn.state(), () -> conn + " in the wrong state");
    }

    /** Segments not yet checked, dropped. */
    void drain() {
        out.clear();
    }

    int pending() {
        return out.size();
    }

    /** The peer's side of {@link #conn}: REMOTE, REMOTE_PORT to LOCAL, localPort. */
    FourTuple tuple() {
        return new FourTuple(LOCAL, localPort, REMOTE, REMOTE_PORT);
    }

    // --- fixtures ---------------------------------------------------------------------------

    TcbHarness listening() {
        return listening(128);
    }

    TcbHarness listening(int backlog) {
        listener = layer.listen(LOCAL, LOCAL_PORT, backlog);
        return this;
    }

    /** A listener's child after the peer's SYN <mss 1460,nop,wscale 7> and our SYN-ACK (our scale: the config's). */
    TcbHarness synReceived() {
        listening();
        send(Seg.seg().syn().seq(P).win(65535).mss(1460).nop().wscale(7));
        conn = layer.connection(tuple());
        iss = conn.iss();
        expect(Seg.seg().syn().seq(iss).ack(P + 1).win(synWin).mss(1460).nop().wscale(config.windowScale()));
        expectState(TcpState.SYN_RECEIVED);
        return this;
    }

    /** An accepted connection: synReceived() and the peer's ACK (window 502 << 7). */
    TcbHarness established() {
        synReceived();
        send(Seg.seg().seq(P + 1).ack(iss + 1).win(win));
        expectNothing();
        assertEquals(conn, listener.accept());
        record();
        expectState(TcpState.ESTABLISHED);
        return this;
    }

    /** connect() to the peer: our SYN is out. */
    TcbHarness synSent() {
        conn = layer.connect(LOCAL, REMOTE, REMOTE_PORT, now);
        localPort = conn.tuple().localPort();
        iss = conn.iss();
        record();
        expect(ourSyn());
        expectState(TcpState.SYN_SENT);
        return this;
    }

    /**
     * Our SYN for this config without timestamps, in Linux's layout: {@code mss 1460,nop,nop,sackOK,nop,wscale 7}
     * (the config's scale), or {@code mss 1460,nop,wscale 7} with tcp_sack off.
     */
    Seg ourSyn() {
        Seg syn = Seg.seg().syn().seq(iss).win(synWin).mss(1460);
        return (config.sack() ? syn.nop().nop().sackOk() : syn).nop().wscale(config.windowScale());
    }

    /** An active open completed: synSent(), the peer's SYN-ACK <mss 1460,nop,wscale 7> and our ACK. */
    TcbHarness connected() {
        synSent();
        send(Seg.seg().syn().seq(P).ack(iss + 1).win(65535).mss(1460).nop().wscale(7));
        expect(Seg.seg().seq(iss + 1).ack(P + 1).win(win));
        expectState(TcpState.ESTABLISHED);
        events.clear();
        return this;
    }

    /** established() and close(): our FIN is out. */
    TcbHarness finWait1() {
        established();
        conn.close(now);
        expect(Seg.seg().fin().seq(iss + 1).ack(P + 1).win(win));
        expectState(TcpState.FIN_WAIT_1);
        return this;
    }

    /** finWait1() and the peer's ACK of our FIN. */
    TcbHarness finWait2() {
        finWait1();
        send(Seg.seg().seq(P + 1).ack(iss + 2).win(win));
        expectNothing();
        expectState(TcpState.FIN_WAIT_2);
        return this;
    }

    /** established() and the peer's FIN, which we acknowledged. */
    TcbHarness closeWait() {
        established();
        send(Seg.seg().fin().seq(P + 1).ack(iss + 1).win(win));
        expect(Seg.seg().seq(iss + 1).ack(P + 2).win(win));
        expectState(TcpState.CLOSE_WAIT);
        return this;
    }

    /** closeWait() and close(): our FIN is out. */
    TcbHarness lastAck() {
        closeWait();
        conn.close(now);
        expect(Seg.seg().fin().seq(iss + 1).ack(P + 2).win(win));
        expectState(TcpState.LAST_ACK);
        return this;
    }

    /** finWait1() and the peer's FIN crossing ours (it does not acknowledge our FIN). */
    TcbHarness closing() {
        finWait1();
        send(Seg.seg().fin().seq(P + 1).ack(iss + 1).win(win));
        expect(Seg.seg().seq(iss + 2).ack(P + 2).win(win));
        expectState(TcpState.CLOSING);
        return this;
    }

    /** finWait2() and the peer's FIN, which we acknowledged. */
    TcbHarness timeWait() {
        finWait2();
        send(Seg.seg().fin().seq(P + 1).ack(iss + 2).win(win));
        expect(Seg.seg().seq(iss + 2).ack(P + 2).win(win));
        expectState(TcpState.TIME_WAIT);
        return this;
    }

    /** Records the connection's events into {@link #events} ("established", "readable", "closed ECONNRESET"...). */
    void record() {
        conn.setListener(new ConnectionListener() {
            @Override
            public void established(TcpConnection c) {
                events.add("established");
            }

            @Override
            public void readable(TcpConnection c) {
                events.add("readable");
            }

            @Override
            public void writable(TcpConnection c) {
                events.add("writable");
            }

            @Override
            public void closed(TcpConnection c, TcpError error) {
                events.add("closed " + error);
            }
        });
    }

    /** Reads everything available as ASCII. */
    String readAll() {
        byte[] buf = new byte[1 << 17];
        int n = conn.read(buf, 0, buf.length, now);
        return n <= 0 ? "" : new String(buf, 0, n, StandardCharsets.ISO_8859_1);
    }

    int write(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.ISO_8859_1);
        return conn.write(bytes, 0, bytes.length, now);
    }
}
