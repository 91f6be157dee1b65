package io.tcpsim.drill;

import io.tcpsim.time.Clock;
import io.tcpsim.wire.IpAddress;
import io.tcpsim.wire.TcpPacket;
import io.tcpsim.wire.TcpRepr;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The packet side of a run: the socket under test's flow and the flows with explicit ports, the
 * packets the stack sent that no outbound line has matched yet, and the matching of an outbound
 * line against them (the first queued packet that matches, skipping earlier ones unless
 * {@code --strict}).
 */
final class PacketMatcher {
    private final Trace trace;
    private final Clock clock;
    private final boolean strict;
    private final boolean strictSegments;
    /** The script's address, to which the socket under test's SYN goes. */
    private final IpAddress remote;
    /** The flow's packets the stack sent that no outbound line has matched yet, oldest first. */
    private final List<Captured> queue = new ArrayList<>();
    /** Flows addressed with explicit ports ({@code < 40001>8080 S ...}), by their ports. */
    private final Map<Long, Flow> others = new HashMap<>();
    private int nextRemotePort = Endpoints.FIRST_REMOTE_PORT;
    private Flow flow;

    PacketMatcher(Trace trace, Clock clock, boolean strict, boolean strictSegments, IpAddress remote) {
        this.trace = trace;
        this.remote = remote;
        this.clock = clock;
        this.strict = strict;
        this.strictSegments = strictSegments;
    }

    /** The socket under test's flow; null before the first socket(). */
    Flow flow() {
        return flow;
    }

    /** A packet the stack sent: queued when it is the flow's, else traced (and its ISN noted). */
    void capture(Captured c) {
        TcpRepr t = c.tcp();
        if (t == null) {
            trace.line(c.time(), "sent (not TCP) " + c.ipProblem());
            return;
        }
        if (flow != null && flow.stage == Flow.Stage.CONNECTING && t.hasFlags(TcpPacket.SYN) && !t.hasFlags(TcpPacket.ACK)
                && c.dstAddr().equals(remote) && t.dstPort() == flow.remotePort) {
            flow.localPort = t.srcPort();
            flow.stage = Flow.Stage.FLOWING;
        }
        if (flow != null && flow.owns(t.srcPort(), t.dstPort())) {
            if (t.hasFlags(TcpPacket.SYN)) {
                flow.sawLocalSyn(t.seq());
            } else if (t.timestamps().isPresent()) {
                flow.timestamps = true;
            }
            queue.add(c);
            trace.line(c.time(), "sent " + Outbound.describe(Outbound.Glued.of(List.of(c)), flow)
                    + "   [live " + Outbound.describeForeign(c) + "]");
        } else {
            Flow other = others.get(key(t.srcPort(), t.dstPort()));
            if (other != null && t.hasFlags(TcpPacket.SYN)) {
                other.sawLocalSyn(t.seq());
            }
            trace.line(c.time(), "sent, other connection: " + Outbound.describeForeign(c));
        }
    }

    private static long key(int localPort, int remotePort) {
        return ((long) localPort << 16) | remotePort;
    }

    /**
     * The flow an inbound line goes to: its explicit ports' one; else, while the socket under
     * test only exists, is bound or listens, a new flow from a fresh port, which becomes the socket
     * under test; else the socket under test's.
     */
    Flow flowFor(PacketLine p) {
        if (p.srcPort() >= 0) {
            return flow != null && flow.owns(p.dstPort(), p.srcPort()) ? flow
                    : others.computeIfAbsent(key(p.dstPort(), p.srcPort()),
                            k -> new Flow(Flow.Stage.FLOWING, p.dstPort(), p.srcPort()));
        }
        if (flow == null || flow.stage == Flow.Stage.SOCKET || flow.stage == Flow.Stage.BOUND
                || flow.stage == Flow.Stage.LISTENING) {
            int local = flow != null && flow.localPort >= 0 ? flow.localPort : Endpoints.PORT;
            setFlow(new Flow(Flow.Stage.FLOWING, local, nextRemotePort++));
            trace.line(clock.nanoTime(), "new flow " + Endpoints.PORT + ">" + flow.remotePort + " is the socket under test");
        } else if (!flow.hasTuple()) {
            throw new EventFailure("inbound packet before the stack's SYN: the connection has no local port yet");
        }
        return flow;
    }

    /** A new socket under test; what the old one sent unmatched is left behind (an error under --strict). */
    void setFlow(Flow f) {
        if (!queue.isEmpty()) {
            queue.forEach(c -> trace.line(clock.nanoTime(), "unexpected, left behind: " + Outbound.describeForeign(c)));
            if (strict) {
                throw new EventFailure("--strict: unexpected outbound packet " + Outbound.describe(
                        Outbound.Glued.of(List.of(queue.getFirst())), flow) + " at " + Run.seconds(queue.getFirst().time()));
            }
            queue.clear();
        }
        flow = f;
    }

    /** The first queued packet (all of them unless --strict) that matches, consumed with those before it. */
    Outbound.Glued findMatch(PacketLine p) {
        int tries = strict ? Math.min(1, queue.size()) : queue.size();
        for (int i = 0; i < tries; i++) {
            Outbound.Glued g = Outbound.glue(p, queue.subList(i, queue.size()), strictSegments);
            if (Outbound.differences(p, g, flow).isEmpty()) {
                for (Captured skipped : queue.subList(0, i)) {
                    trace.line(skipped.time(), "unexpected, skipped: " + Outbound.describe(
                            Outbound.Glued.of(List.of(skipped)), flow));
                }
                queue.subList(0, i + g.parts().size()).clear();
                return g;
            }
        }
        return null;
    }

    /** Why an awaited packet failed: nothing came by {@code limit}, or how the first candidate differs. */
    EventFailure missing(PacketLine p, long limit) {
        if (queue.isEmpty()) {
            return new EventFailure("expected packet did not come (waited until " + Run.seconds(limit) + " s)\n  expected: "
                    + ScriptFormat.written(p) + "\n  actual:   nothing");
        }
        Outbound.Glued g = Outbound.glue(p, queue, strictSegments);
        return new EventFailure("outbound packet differs: " + String.join("; ", Outbound.differences(p, g, flow))
                + "\n  expected: " + ScriptFormat.written(p)
                + "\n  actual:   " + Outbound.describe(g, flow) + "   (at " + Run.seconds(g.time()) + " s)");
    }

    /** --strict at the end: a packet no line expected is a failure. */
    void requireNothingLeft() {
        if (strict && !queue.isEmpty()) {
            Captured c = queue.getFirst();
            throw new EventFailure("--strict: unexpected outbound packet after the last line: "
                    + Outbound.describe(Outbound.Glued.of(List.of(c)), flow) + " at " + Run.seconds(c.time()) + " s");
        }
    }
}
