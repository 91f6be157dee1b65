package io.tcpsim.drill;

import io.tcpsim.NetStack;
import io.tcpsim.StackConfig;
import io.tcpsim.link.LinkDevice;
import io.tcpsim.link.PcapTap;
import io.tcpsim.link.QueueLink;
import io.tcpsim.socket.SocketApi;
import io.tcpsim.socket.SocketLimits;
import io.tcpsim.tcp.FourTuple;
import io.tcpsim.tcp.IsnGenerator;
import io.tcpsim.tcp.TcpConfig;
import io.tcpsim.tcp.TcpConnection;
import io.tcpsim.tcp.TcpInfo;
import io.tcpsim.time.Clock;
import io.tcpsim.time.VirtualClock;
import io.tcpsim.wire.TcpPacket;
import io.tcpsim.wire.TcpRepr;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One script played against one stack on a virtual clock. The runner is the stack thread: it
 * moves time from one event to the next, firing the stack's timers at their deadlines on the
 * way, injects the inbound packets, starts the calls on call threads ({@link CallScheduler}) and
 * matches what the stack sends against the outbound lines.
 */
final class Run implements AutoCloseable {
    private static final long MICROS = 1_000;
    private static final long SECOND = 1_000_000_000L;
    /** An awaited outbound packet that has not come by its time plus this has failed. */
    private static final long OUTBOUND_WAIT = 2 * SECOND;
    /** How far a {@code *} line waits (virtual time). */
    private static final long ANY_TIME_LIMIT = 3_600 * SECOND;
    /** Polls in one instant before the runner decides the stack is spinning. */
    private static final int POLLS_PER_INSTANT = 10_000;
    private static final byte[] ISN_KEY = "tcpsim drill key".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final Script script;
    private final Trace trace;
    private final VirtualClock clock = new VirtualClock();
    private final QueueLink link;
    private final NetStack stack;
    private final TcpConfig config;
    private final CallScheduler scheduler = new CallScheduler();
    private final Endpoints endpoints;
    private final PacketMatcher packets;
    private final SyscallRunner syscalls;
    private final TimerTrace timerTrace = new TimerTrace();
    private final List<String> notes = new ArrayList<>();
    private final List<String> assertFailures = new ArrayList<>();
    private final long toleranceNanos;
    private final int inboundMss;
    private Event current;
    private long lastEnd;
    private long lastScript;
    private boolean lastInbound;

    Run(Script script, DrillRunner.Settings settings, Path pcap) throws IOException {
        this.script = script;
        this.trace = settings.trace();
        String ipVersion = script.option("ip_version", "ipv4");
        this.endpoints = Endpoints.of(ipVersion);
        if (endpoints == null) {
            throw new UnsupportedException(0, "--ip_version=" + ipVersion + " (ipv4, ipv4-mapped-ipv6 or ipv6)");
        }
        this.toleranceNanos = Long.parseLong(script.option("tolerance_usecs", Long.toString(settings.toleranceUsecs())))
                * MICROS;
        this.inboundMss = Integer.parseInt(script.option("mss", "0"));
        this.packets = new PacketMatcher(trace, clock, settings.strict(), script.options().containsKey("strict_segments"),
                endpoints.remote());
        int mtu = Integer.parseInt(script.option("mtu", Integer.toString(DrillRunner.DEFAULT_MTU)));
        this.config = initialConfig(settings.profile().tcpConfig(mtu));
        this.link = new QueueLink(mtu);
        LinkDevice device = pcap == null ? link : PcapTap.open(link, clock, pcap);
        StackConfig stackConfig = new StackConfig(Endpoints.LOCAL_IPV4, config, new IsnGenerator(ISN_KEY));
        this.stack = new NetStack(device, endpoints.ipv6Wire() ? stackConfig.withAddress6(endpoints.local()) : stackConfig);
        stack.tcp().setObserver((t, from, to) ->
                trace.line(clock.nanoTime(), "tcp " + TimerTrace.ports(t) + " " + from + " -> " + to));
        Calls calls = new Calls(new SocketApi(new DrillExecutor(stack, scheduler), clock, Endpoints.LOCAL_IPV4,
                stack.address6(), SocketLimits.LINUX_DEFAULTS), endpoints);
        this.syscalls = new SyscallRunner(calls, scheduler, packets);
        trace.line(0, "script " + script.file() + " (profile " + settings.profile().label() + ")");
    }

    /** The profile's settings with the script's leading sysctl lines applied. */
    private TcpConfig initialConfig(TcpConfig base) {
        TcpConfig c = base;
        for (Event e : script.events()) {
            if (!(e.action() instanceof ShellLine shell)) {
                break;
            }
            Sysctls.Outcome o = Sysctls.apply(shell.command(), c);
            c = o.config();
            notes.add(script.file() + ":" + e.line() + ": `" + shell.command() + "` " + o.note());
        }
        return c;
    }

    DrillResult play() {
        try {
            for (Event e : script.events()) {
                current = e;
                handle(e);
            }
            finish();
        } catch (EventFailure f) {
            return failed(f.line() > 0 ? f.line() : current.line(), f.getMessage());
        } catch (UnsupportedException u) {
            throw u.line() > 0 ? u : new UnsupportedException(current.line(), u.getMessage());
        }
        if (!assertFailures.isEmpty()) {
            return new DrillResult(script.file(), DrillResult.Status.FAIL, String.join("\n", assertFailures), notes);
        }
        return new DrillResult(script.file(), DrillResult.Status.PASS, "", notes);
    }

    private DrillResult failed(int line, String message) {
        String text = script.file() + ":" + line + ": " + message;
        trace.line(clock.nanoTime(), "FAIL " + text);
        return new DrillResult(script.file(), DrillResult.Status.FAIL, text, notes);
    }

    private void handle(Event e) {
        long expected = expectedTime(e, e.timing().start());
        switch (e.action()) {
            case ShellLine s -> {
                arrive(e, expected);
                trace.line(clock.nanoTime(), "`" + s.command() + "`");
                done(expected, false);
            }
            case CodeBlock c -> {
                arrive(e, expected);
                assertions(e, c);
                done(expected, false);
            }
            case SyscallLine s -> syscall(e, s, expected);
            case PacketLine p when p.inbound() -> inbound(e, p, expected);
            case IcmpLine i -> icmp(e, i, expected);
            case PacketLine p -> outbound(e, p, expected);
        }
    }

    /** An event's time in nanoseconds: absolute, or relative to when the previous event finished. */
    private long expectedTime(Event e, long micros) {
        return switch (e.timing().kind()) {
            case ANY -> -1;
            case ABSOLUTE -> micros * MICROS;
            // Two inbound packets in a row chain on script time (project guide, "Time").
            case RELATIVE -> (isInbound(e) && lastInbound ? lastScript : lastEnd) + micros * MICROS;
        };
    }

    private static boolean isInbound(Event e) {
        return e.action() instanceof PacketLine p && p.inbound();
    }

    private void done(long scriptTime, boolean inbound) {
        lastScript = scriptTime >= 0 ? scriptTime : clock.nanoTime();
        lastEnd = Math.max(lastEnd, clock.nanoTime());
        lastInbound = inbound;
    }

    /** Moves time to the event and checks that it is not late. */
    private void arrive(Event e, long expected) {
        advanceTo(expected);
        checkTime(expected, expected, clock.nanoTime(), "");
    }

    /**
     * Fails unless {@code actual} is within [start, end] give or take the tolerance: the
     * script's tolerance_usecs, or 12.5% of the gap since the previous event if more.
     */
    private void checkTime(long start, long end, long actual, String what) {
        long tolerance = Math.max(toleranceNanos, Math.max(0, start - lastEnd) / 8);
        if (actual < start - tolerance || actual > end + tolerance) {
            String when = start == end ? seconds(start) : seconds(start) + "~" + seconds(end);
            throw new EventFailure(what + "timing: expected at " + when + " s but " + seconds(actual) + " s (tolerance "
                    + seconds(tolerance) + " s)");
        }
    }

    static String seconds(long nanos) {
        return String.format(java.util.Locale.ROOT, "%.6f", nanos / 1e9);
    }

    // ---------------------------------------------------------------- time

    /** Runs the stack up to {@code t}: every timer and call timeout due before it fires at its time. */
    private void advanceTo(long t) {
        int spins = 0;
        while (true) {
            long next = nextWake();
            if (next > t) {
                break;
            }
            if (next <= clock.nanoTime() && ++spins > POLLS_PER_INSTANT) {
                throw new IllegalStateException("the stack's timers do not advance at " + seconds(next));
            }
            moveTo(next);
            step();
        }
        if (t > clock.nanoTime()) {
            moveTo(t);
            step();
        }
    }

    private long nextWake() {
        return Math.min(stack.nextDeadline(), scheduler.earliestTimeout());
    }

    private void moveTo(long t) {
        clock.advanceTo(t);
        scheduler.setNow(clock.nanoTime());
    }

    /**
     * One instant: wakes the calls whose timeout is due, lets the stack take what was injected and
     * fire its due timers, runs the calls' work until they return or block, repeatedly until
     * nothing is left for this instant; then collects what the stack sent.
     */
    private void step() {
        long now = clock.nanoTime();
        scheduler.setNow(now);
        scheduler.wakeTimedOut(now);
        List<String> firing = timerTrace.due(stack.tcp().connections(), now);
        for (int polls = 0; ; polls++) {
            try {
                stack.poll(now);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            scheduler.settle();
            if (link.pendingInbound() == 0 && stack.nextDeadline() > now) {
                break;
            } else if (polls > POLLS_PER_INSTANT) {
                throw new IllegalStateException("the stack does not settle at " + seconds(now));
            }
        }
        firing.forEach(f -> trace.line(now, f));
        for (byte[] packet : link.drain()) {
            packets.capture(Captured.of(now, packet));
        }
        timerTrace.changes(stack.tcp().connections(), now).forEach(line -> trace.line(now, line));
        checkInFlight();
    }

    // ---------------------------------------------------------------- packets

    private void inbound(Event e, PacketLine p, long expected) {
        arrive(e, expected);
        Flow f = packets.flowFor(p);
        int src = p.srcPort() >= 0 ? p.srcPort() : f.remotePort;
        int dst = p.dstPort() >= 0 ? p.dstPort() : f.localPort;
        TcpRepr segment = Inbound.segment(p, f, src, dst);
        trace.line(clock.nanoTime(), ScriptFormat.written(p) + "   [live " + src + ">" + dst + " "
                + ScriptFormat.segment("<", segment.flags(), Integer.toUnsignedLong(segment.seq()), p.length(),
                        segment.hasFlags(TcpPacket.ACK) ? Integer.toUnsignedLong(segment.ack()) : null, segment.window(),
                        segment.urgentPointer(), segment.options()).substring(2) + "]");
        for (byte[] packet : Inbound.packets(segment, inboundMss, endpoints)) {
            link.inject(packet);
        }
        step();
        done(expected, true);
    }

    private void icmp(Event e, IcmpLine i, long expected) {
        arrive(e, expected);
        Flow flow = packets.flow();
        if (flow == null || !flow.hasTuple()) {
            throw new EventFailure("an ICMP error needs a connection to quote");
        }
        trace.line(clock.nanoTime(), "< icmp unreachable code " + i.code() + " quoting seq " + i.seq());
        link.inject(Inbound.icmpUnreachable(i, flow, endpoints));
        step();
        done(expected, true);
    }

    private void outbound(Event e, PacketLine p, long expected) {
        boolean any = e.timing().kind() == Timing.Kind.ANY;
        long end = e.timing().isRange() ? expectedTime(e, e.timing().end()) : expected;
        long limit = any ? clock.nanoTime() + ANY_TIME_LIMIT : Math.max(end, clock.nanoTime()) + OUTBOUND_WAIT;
        if (packets.flow() == null) {
            throw new EventFailure("an outbound packet is expected but there is no socket under test");
        }
        while (true) {
            Outbound.Glued match = packets.findMatch(p);
            if (match != null) {
                trace.line(match.time(), ScriptFormat.written(p) + "   matched");
                if (!any) {
                    checkTime(expected, end, match.time(), "");
                }
                Outbound.rememberTimestamps(p, match, packets.flow());
                lastEnd = Math.max(lastEnd, match.time());
                done(any ? match.time() : expected, false);
                return;
            }
            long next = nextWake();
            if (next == Clock.NO_DEADLINE || next > limit) {
                throw packets.missing(p, limit);
            }
            moveTo(Math.max(next, clock.nanoTime()));
            step();
        }
    }

    // ---------------------------------------------------------------- calls

    private void syscall(Event e, SyscallLine s, long expected) {
        arrive(e, expected);
        syscalls.beforeCall(s);
        trace.line(clock.nanoTime(), CallCheck.callText(s));
        if (e.timing().isBlocking()) {
            syscalls.startBlocking(e, s, expectedTime(e, e.timing().blockEnd()), clock.nanoTime());
            step();
            done(expected, false);
            return;
        }
        syscalls.start(s, current.line(), false);
        step();
        long limit = clock.nanoTime() + toleranceNanos;
        while (!syscalls.callDone()) {
            long next = nextWake();
            if (next > limit) {
                throw new EventFailure(CallCheck.callText(s)
                        + ": the call blocked (a call that blocks is written with ...end)");
            }
            moveTo(next);
            step();
        }
        finishCall(e, s, syscalls.callResult());
        done(expected, false);
    }

    /** A blocking call that has returned: its result and its return time. */
    private void checkInFlight() {
        SyscallRunner.InFlight f = syscalls.takeReturned();
        if (f == null) {
            return;
        }
        CallOutcome outcome = syscalls.blockingResult(f);
        try {
            long start = f.started();
            checkTime(f.expectedEnd(), f.expectedEnd(), clock.nanoTime(), "return ");
            finishCall(f.event(), f.call(), outcome);
            trace.line(clock.nanoTime(), "returned after " + seconds(clock.nanoTime() - start) + " s: "
                    + CallCheck.callText(f.call()));
        } catch (EventFailure failure) {
            throw new EventFailure(f.event().line(), failure.getMessage());
        }
    }

    private void finishCall(Event e, SyscallLine s, CallOutcome o) {
        trace.line(clock.nanoTime(), "  = " + CallCheck.result(o.returned(), o.errno()));
        syscalls.finishCall(e, s, o);
    }

    // ---------------------------------------------------------------- TCP_INFO

    private void assertions(Event e, CodeBlock c) {
        TcpInfo info = tcpInfo();
        trace.line(clock.nanoTime(), "%{" + c.code() + "}%  [" + TcpInfoFields.summary(info) + "]");
        TcpInfoAssertion.Outcome o = TcpInfoAssertion.check(c.code(), info);
        o.failures().forEach(f -> assertFailures.add(script.file() + ":" + e.line() + ": assertion failed: " + f));
        o.skipped().forEach(s -> notes.add(script.file() + ":" + e.line() + ": skipped in %{ }%: " + s));
    }

    /**
     * TCP_INFO of the socket under test now, as getsockopt(2) returns it (packetdrill reads it
     * the same way), on a call thread at this virtual instant; once its descriptor is closed,
     * the same struct of the flow's connection in its own state (TIME_WAIT after a close, as ss
     * shows it); null when there is neither.
     */
    private TcpInfo tcpInfo() {
        if (!syscalls.startTcpInfo()) {
            return null;
        }
        for (int polls = 0; !syscalls.callDone(); polls++) {
            if (polls == POLLS_PER_INSTANT) {
                throw new EventFailure("getsockopt(TCP_INFO) for the assertion did not return");
            }
            step();
        }
        TcpInfo info = syscalls.tcpInfoResult();
        return info != null ? info : closedConnectionInfo();
    }

    private TcpInfo closedConnectionInfo() {
        Flow flow = packets.flow();
        TcpConnection c = flow != null && flow.hasTuple() ? stack.tcp().connection(new FourTuple(endpoints.local(),
                flow.localPort, endpoints.remote(), flow.remotePort)) : null;
        return c == null ? null : TcpInfo.of(c, clock.nanoTime());
    }

    // ---------------------------------------------------------------- end

    private void finish() {
        SyscallRunner.InFlight f = syscalls.inFlight();
        if (f != null) {
            long limit = f.expectedEnd() + OUTBOUND_WAIT;
            while (syscalls.inFlight() != null) {
                long next = nextWake();
                if (next > limit) {
                    throw new EventFailure(f.event().line(), CallCheck.callText(f.call())
                            + ": the blocking call did not return by " + seconds(limit) + " s");
                }
                moveTo(next);
                step();
            }
        }
        packets.requireNothingLeft();
    }

    @Override
    public void close() throws IOException {
        scheduler.close();
        stack.close();
    }
}
