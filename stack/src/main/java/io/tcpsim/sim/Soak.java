package io.tcpsim.sim;

import io.tcpsim.NetStack;
import io.tcpsim.StackConfig;
import io.tcpsim.link.FaultInjector;
import io.tcpsim.link.FaultInjector.Faults;
import io.tcpsim.link.PairLink;
import io.tcpsim.tcp.IsnGenerator;
import io.tcpsim.tcp.TcpConfig;
import io.tcpsim.tcp.TcpConnection;
import io.tcpsim.tcp.TcpListener;
import io.tcpsim.tcp.TcpState;
import io.tcpsim.time.Clock;
import io.tcpsim.time.VirtualClock;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A soak in virtual time (docs/robustness.md, Soak): two whole stacks joined by a {@link PairLink},
 * each side's transmissions through a seeded {@link FaultInjector} (loss, duplication, reordering),
 * and for the given hours of virtual time a stream of sessions from a client stack to a server
 * stack: connect, a request and a response of random sizes, every byte checked, then a close in one
 * of three orders (client first, server first, client half-close) so that TIME_WAIT lands on either
 * side; one session in a hundred first idles for one to six hours with keepalive on. After the last
 * session, the soak runs until both stacks are empty and then counts what is left: connections,
 * listeners, buffer memory and packets in flight must all be zero.
 */
public final class Soak {
    static final int CLIENT = 0x0A00_0001;
    static final int SERVER = 0x0A00_0002;
    static final int PORT = 7;
    private static final int MTU = 1500;
    private static final long SECOND = 1_000_000_000L;
    private static final long HOUR = 3600 * SECOND;
    /** One-way delay: 10 ms, a 20 ms round trip. */
    private static final long DELAY = 10_000_000L;
    private static final int MAX_ACTIVE = 16;
    /** A new session every 20 s of virtual time on average. */
    private static final long MEAN_GAP = 20 * SECOND;
    private static final int MAX_BYTES = 96 * 1024;
    private static final int PERIOD = 65_521;
    private static final byte[] PATTERN = pattern();
    /** Time a session may take beyond its idle time before it counts as stalled. */
    private static final long SESSION_BOUND = HOUR;
    /** Time after the last session start for it to end and the stacks to drain: its idle time and bound. */
    private static final long DRAIN_BOUND = 8 * HOUR;

    /** The faults each direction suffers: 1 % loss, 0.5 % duplication, 1 % reordered by up to 30 ms. */
    public static final Faults FAULTS = Faults.NONE.withLoss(0.01).withDuplicate(0.005).withReorder(0.01, 30_000_000L);

    private final long durationNanos;
    private final SplittableRandom random;
    private final VirtualClock clock = new VirtualClock();
    private final PairLink path = new PairLink(clock, MTU, DELAY);
    private final FaultInjector clientSide;
    private final FaultInjector serverSide;
    private final NetStack client;
    private final NetStack server;
    private final TcpListener listener;
    private final List<Session> active = new ArrayList<>();
    private final Map<Integer, Session> byClientPort = new HashMap<>();
    private final List<String> failures = new ArrayList<>();
    private long nextStart;
    private int started;
    private int completed;
    private int idled;
    private long verified;

    private Soak(double hours, long seed) {
        this.durationNanos = (long) (hours * HOUR);
        this.random = new SplittableRandom(seed);
        TcpConfig config = TcpConfig.linuxDefaults(MTU);
        this.clientSide = new FaultInjector(path.end(0), clock, FAULTS, seed);
        this.serverSide = new FaultInjector(path.end(1), clock, FAULTS, seed + 1);
        this.client = new NetStack(clientSide, new StackConfig(CLIENT, config, isn("client")));
        this.server = new NetStack(serverSide, new StackConfig(SERVER, config, isn("server")));
        this.listener = server.tcp().listen(0, PORT, 64);
    }

    /** Runs {@code hours} of virtual time of sessions with {@code seed}, then drains and counts. */
    public static SoakResult run(double hours, long seed) throws IOException {
        if (!(hours > 0)) {
            throw new IllegalArgumentException("hours must be positive: " + hours);
        }
        long realStart = System.nanoTime();
        Soak soak = new Soak(hours, seed);
        try {
            soak.loop();
            return soak.result(System.nanoTime() - realStart);
        } finally {
            soak.client.close();
            soak.server.close();
        }
    }

    private static IsnGenerator isn(String name) {
        return new IsnGenerator((name + "-soak-key-0123456789").substring(0, 16).getBytes(StandardCharsets.US_ASCII));
    }

    private void loop() throws IOException {
        long bound = durationNanos + DRAIN_BOUND;
        while (clock.nanoTime() <= bound) {
            long now = clock.nanoTime();
            startDue(now);
            acceptAll();
            for (Session s : List.copyOf(active)) {
                s.drive(now);
            }
            if (now >= durationNanos && active.isEmpty() && drained()) {
                listener.close(now);
                return;
            }
            if (!step()) {
                failures.add("nothing left to happen at " + now / SECOND + " s with " + active.size() + " sessions");
                return;
            }
        }
        failures.add("not drained " + DRAIN_BOUND / HOUR + " h after the last session: " + active.size()
                + " sessions, " + client.tcp().connections() + " " + server.tcp().connections());
    }

    private void startDue(long now) {
        while (now >= nextStart && nextStart < durationNanos && active.size() < MAX_ACTIVE) {
            Session s = new Session(started++, now);
            active.add(s);
            byClientPort.put(s.client.tuple().localPort(), s);
            nextStart = now + (long) (-Math.log(1 - random.nextDouble()) * MEAN_GAP);
        }
    }

    private void acceptAll() {
        for (TcpConnection c = listener.accept(); c != null; c = listener.accept()) {
            Session s = byClientPort.get(c.tuple().remotePort());
            if (s == null || s.server != null) {
                failures.add("accepted a connection no session opened: " + c);
                c.abort(clock.nanoTime());
            } else {
                s.server = c;
            }
        }
    }

    private boolean drained() {
        return client.tcp().connections().isEmpty() && server.tcp().connections().isEmpty()
                && path.nextDeliveryAt() == Clock.NO_DEADLINE && clientSide.nextReleaseAt() == Clock.NO_DEADLINE
                && serverSide.nextReleaseAt() == Clock.NO_DEADLINE;
    }

    /** Handles what is due now; else moves the clock to the next event. False when none is left. */
    private boolean step() throws IOException {
        long now = clock.nanoTime();
        if (client.poll(now) + server.poll(now) > 0) {
            return true;
        }
        long next = Math.min(Math.min(client.nextDeadline(), server.nextDeadline()),
                Math.min(path.nextDeliveryAt(), Math.min(clientSide.nextReleaseAt(), serverSide.nextReleaseAt())));
        if (nextStart < durationNanos && active.size() < MAX_ACTIVE) {
            next = Math.min(next, nextStart);
        }
        for (Session s : active) {
            next = Math.min(next, s.wakeAt());
        }
        if (next == Clock.NO_DEADLINE) {
            return active.isEmpty() && clock.nanoTime() >= durationNanos;
        }
        clock.advanceTo(Math.max(next, now + 1));
        return true;
    }

    private SoakResult result(long realNanos) {
        long memory = 0;
        int left = 0;
        for (NetStack stack : List.of(client, server)) {
            for (TcpConnection c : stack.tcp().connections()) {
                memory += c.bufferMemory();
                left++;
            }
        }
        int listeners = client.tcp().listeners().size() + server.tcp().listeners().size();
        boolean inFlight = path.nextDeliveryAt() != Clock.NO_DEADLINE;
        return new SoakResult(clock.nanoTime(), realNanos, started, completed, idled, verified, left, listeners,
                memory, inFlight, clientSide.dropped() + serverSide.dropped(),
                clientSide.duplicated() + serverSide.duplicated(), clientSide.reordered() + serverSide.reordered(),
                client.tcp().counters().retransSegs() + server.tcp().counters().retransSegs(), List.copyOf(failures));
    }

    private static byte[] pattern() {
        byte[] p = new byte[PERIOD + MAX_BYTES];
        for (int i = 0; i < p.length; i++) {
            int k = i % PERIOD;
            p[i] = (byte) (k * 31 + (k >>> 8) * 7 + 5);
        }
        return p;
    }

    /** How a session ends, so that TIME_WAIT lands on the client or the server. */
    private enum Ending { CLIENT_FIRST, SERVER_FIRST, HALF_CLOSE }

    /** One connection's life: optional idle with keepalive, request, response, close. */
    private final class Session {
        private final int id;
        private final TcpConnection client;
        private final int request;
        private final int response;
        private final Ending ending;
        private final long idleNanos;
        private final long deadline;
        private final byte[] buffer = new byte[16 * 1024];
        private TcpConnection server;
        private long idleUntil = -1;
        private int requestSent;
        private int requestRead;
        private int responseSent;
        private int responseRead;
        private boolean halfClosed;
        private boolean clientDone;
        private boolean serverDone;

        Session(int id, long now) {
            this.id = id;
            this.request = random.nextInt(MAX_BYTES);
            this.response = random.nextInt(MAX_BYTES);
            this.ending = Ending.values()[random.nextInt(Ending.values().length)];
            this.idleNanos = random.nextInt(100) == 0 ? HOUR + random.nextLong(5 * HOUR) : 0;
            this.deadline = now + idleNanos + SESSION_BOUND;
            this.client = Soak.this.client.tcp().connect(CLIENT, SERVER, PORT, now);
        }

        /** When the session wants to act without a packet: the end of its idle time. */
        long wakeAt() {
            return idleUntil > clock.nanoTime() ? idleUntil : Clock.NO_DEADLINE;
        }

        void drive(long now) {
            try {
                if (client.error() != null || (server != null && server.error() != null)) {
                    fail("connection error " + client.error() + " / " + (server == null ? null : server.error()));
                } else if (now > deadline) {
                    fail("stalled: " + client + " " + server);
                } else if (idle(now)) {
                    return;
                } else {
                    driveClient(now);
                    if (server != null) {
                        driveServer(now);
                    }
                    if (clientDone && serverDone) {
                        finish();
                    }
                }
            } catch (RuntimeException e) {
                fail(e.toString());
            }
        }

        /** Keepalive on both ends, then nothing until the idle time is over. */
        private boolean idle(long now) {
            if (idleNanos == 0 || server == null || client.state() != TcpState.ESTABLISHED) {
                return idleUntil > now || (idleNanos > 0 && idleUntil < 0);
            } else if (idleUntil < 0) {
                idleUntil = now + idleNanos;
                client.setKeepAlive(true, now);
                server.setKeepAlive(true, now);
                idled++;
            }
            return idleUntil > now;
        }

        private void driveClient(long now) {
            if (clientDone) {
                return;
            }
            if (client.state() == TcpState.SYN_SENT) {
                return; // Linux: shutdown() in SYN_SENT would close the connection
            }
            requestSent += write(client, requestOffset(), requestSent, request, now);
            if (requestSent == request && ending == Ending.HALF_CLOSE && !halfClosed) {
                client.shutdownOutput(now);
                halfClosed = true;
            }
            boolean eof = false;
            for (int n = readSome(client, responseOffset(), responseRead, response, now); n != 0;
                    n = readSome(client, responseOffset(), responseRead, response, now)) {
                if (n < 0) {
                    eof = true;
                    break;
                }
                responseRead += n;
            }
            boolean allRead = responseRead == response && requestSent == request;
            if (allRead && (ending == Ending.CLIENT_FIRST || eof)) {
                client.close(now);
                clientDone = true;
            }
        }

        private void driveServer(long now) {
            if (serverDone) {
                return;
            }
            boolean eof = false;
            for (int n = readSome(server, requestOffset(), requestRead, request, now); n != 0;
                    n = readSome(server, requestOffset(), requestRead, request, now)) {
                if (n < 0) {
                    eof = true;
                    break;
                }
                requestRead += n;
            }
            boolean requestIn = requestRead == request && (ending != Ending.HALF_CLOSE || eof);
            if (requestIn) {
                responseSent += write(server, responseOffset(), responseSent, response, now);
            }
            boolean responseOut = requestIn && responseSent == response;
            if (responseOut && (ending != Ending.CLIENT_FIRST || eof)) {
                server.close(now);
                serverDone = true;
            }
        }

        private int write(TcpConnection c, int offset, int done, int total, long now) {
            return done == total ? 0 : Math.max(0, c.write(PATTERN, offset + done, total - done, now));
        }

        /** Reads at most what is still expected, checking it; -1 at end of stream. */
        private int readSome(TcpConnection c, int offset, int done, int total, long now) {
            int n = c.read(buffer, 0, Math.min(buffer.length, Math.max(1, total - done)), now);
            if (n > 0) {
                if (done + n > total) {
                    throw new IllegalStateException((done + n - total) + " bytes more than were sent");
                }
                int from = offset + done;
                int differs = Arrays.mismatch(buffer, 0, n, PATTERN, from, from + n);
                if (differs >= 0) {
                    throw new IllegalStateException("byte " + (done + differs) + " differs from what was sent");
                }
                verified += n;
            }
            return n;
        }

        private int requestOffset() {
            return (int) ((id * 7919L) % PERIOD);
        }

        private int responseOffset() {
            return (int) ((id * 104_729L) % PERIOD);
        }

        private void finish() {
            completed++;
            remove();
        }

        private void fail(String why) {
            failures.add("session " + id + " (" + ending + ", idle " + idleNanos / SECOND + " s): " + why);
            long now = clock.nanoTime();
            client.abort(now);
            if (server != null) {
                server.abort(now);
            }
            remove();
        }

        private void remove() {
            active.remove(this);
            byClientPort.remove(client.tuple().localPort());
        }
    }
}
