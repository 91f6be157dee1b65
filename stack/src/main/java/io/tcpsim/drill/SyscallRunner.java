package io.tcpsim.drill;

import io.tcpsim.tcp.TcpInfo;
import java.util.HashMap;
import java.util.Map;

/**
 * The call side of a run: the two call threads (one for a blocking {@code ...end} call in flight),
 * the script's descriptors mapped to live ones, the socket under test's descriptor, and what a
 * returned call means for the flow (socket, bind, listen, connect move its stage).
 */
final class SyscallRunner {
    private final Calls calls;
    private final CallScheduler.Caller caller;
    private final CallScheduler.Caller blockingCaller;
    private final PacketMatcher packets;
    private final Map<Long, Integer> fds = new HashMap<>();
    /** The live descriptor of the socket under test: the newest socket() or accept() result (packetdrill's). */
    private int testFd = -1;
    private InFlight inFlight;

    /** The blocking call in flight: its event, and when it must return. */
    record InFlight(Event event, SyscallLine call, long expectedEnd, long started) {
    }

    SyscallRunner(Calls calls, CallScheduler scheduler, PacketMatcher packets) {
        this.calls = calls;
        this.caller = scheduler.newCaller("drill-call");
        this.blockingCaller = scheduler.newCaller("drill-blocking-call");
        this.packets = packets;
    }

    /** Starts {@code s} of event line {@code line} on the call thread, or the blocking one. */
    void start(SyscallLine s, int line, boolean blocking) {
        Args args = new Args(s.name(), line, s.args(), fd -> fds.getOrDefault(fd, (int) fd));
        (blocking ? blockingCaller : caller).start(() -> calls.run(s, args));
    }

    boolean callDone() {
        return caller.done();
    }

    CallOutcome callResult() {
        return (CallOutcome) caller.result();
    }

    InFlight inFlight() {
        return inFlight;
    }

    /** A blocking call starts: at most one at a time. */
    void startBlocking(Event e, SyscallLine s, long expectedEnd, long now) {
        if (inFlight != null) {
            throw new EventFailure("a blocking call (line " + inFlight.event().line() + ") is still in flight: "
                    + "at most one at a time");
        }
        inFlight = new InFlight(e, s, expectedEnd, now);
        start(s, e.line(), true);
    }

    /** The blocking call once it has returned (then no longer in flight), else null. */
    InFlight takeReturned() {
        if (inFlight == null || !blockingCaller.done()) {
            return null;
        }
        InFlight f = inFlight;
        inFlight = null;
        return f;
    }

    /** The returned blocking call's outcome. */
    CallOutcome blockingResult(InFlight f) {
        try {
            return (CallOutcome) blockingCaller.result();
        } catch (UnsupportedException u) {
            throw new UnsupportedException(f.event().line(), u.getMessage());
        }
    }

    /** connect() on a fresh or bound socket: the flow waits for the stack's SYN to learn its port. */
    void beforeCall(SyscallLine s) {
        Flow flow = packets.flow();
        if (s.name().equals("connect") && flow != null
                && (flow.stage == Flow.Stage.SOCKET || flow.stage == Flow.Stage.BOUND)) {
            flow.stage = Flow.Stage.CONNECTING;
            flow.localPort = -1;
            flow.remotePort = Endpoints.PORT;
        }
    }

    /** Checks a returned call against its line, maps its descriptor and moves the flow on. */
    void finishCall(Event e, SyscallLine s, CallOutcome o) {
        String problem = CallCheck.problem(e, s, o);
        if (problem != null) {
            throw new EventFailure(CallCheck.callText(s) + "\n  " + problem);
        }
        boolean fdCall = CallCheck.FD_CALLS.contains(s.name());
        if (fdCall && o.returned() >= 0 && s.expected() instanceof Expr.Num n && n.value() >= 0) {
            fds.put(n.value(), (int) o.returned());
        }
        if (o.returned() < 0) {
            return;
        }
        if (s.name().equals("socket") || s.name().startsWith("accept")) {
            testFd = (int) o.returned();
        }
        Flow flow = packets.flow();
        switch (s.name()) {
            case "socket" -> packets.setFlow(new Flow(Flow.Stage.SOCKET, -1, -1));
            case "bind" -> {
                if (flow != null && flow.stage == Flow.Stage.SOCKET) {
                    flow.stage = Flow.Stage.BOUND;
                    flow.localPort = Endpoints.PORT;
                }
            }
            case "listen" -> {
                if (flow != null && (flow.stage == Flow.Stage.SOCKET || flow.stage == Flow.Stage.BOUND)) {
                    flow.stage = Flow.Stage.LISTENING;
                }
            }
            default -> { }
        }
    }

    /** Starts getsockopt(TCP_INFO) of the socket under test on the call thread; false when there is none. */
    boolean startTcpInfo() {
        if (testFd < 0) {
            return false;
        }
        int fd = testFd;
        caller.start(() -> calls.tcpInfo(fd));
        return true;
    }

    TcpInfo tcpInfoResult() {
        return (TcpInfo) caller.result();
    }
}
