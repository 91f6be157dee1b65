package io.tcpsim.drill;

import io.tcpsim.tcp.ConnectionTimers;
import io.tcpsim.tcp.FourTuple;
import io.tcpsim.tcp.TcpConnection;
import io.tcpsim.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The timer lines of {@code --trace}: which of the connections' timers ({@link
 * TcpConnection#timers()}) fire at an instant, and which were set or moved since the last look.
 */
final class TimerTrace {
    /** Each connection's timers at the last look. */
    private final Map<FourTuple, ConnectionTimers> seen = new HashMap<>();

    /** "timer NAME fired on L>R" for every timer of {@code connections} due at {@code now}. */
    List<String> due(Iterable<TcpConnection> connections, long now) {
        List<String> due = new ArrayList<>();
        for (TcpConnection c : connections) {
            names(c.timers()).forEach((name, deadline) -> {
                if (deadline <= now) {
                    due.add("timer " + name + " fired on " + ports(c.tuple()));
                }
            });
        }
        return due;
    }

    /** "timer NAME set for T on L>R" for every timer set or moved since the last call. */
    List<String> changes(Iterable<TcpConnection> connections, long now) {
        List<String> lines = new ArrayList<>();
        Map<FourTuple, ConnectionTimers> current = new HashMap<>();
        for (TcpConnection c : connections) {
            ConnectionTimers t = c.timers();
            current.put(c.tuple(), t);
            Map<String, Long> before = names(seen.get(c.tuple()));
            names(t).forEach((name, deadline) -> {
                Long old = before.get(name);
                if (old == null || old != (long) deadline) {
                    lines.add("timer " + name + " set for " + Run.seconds(deadline) + " on " + ports(c.tuple()));
                }
            });
        }
        seen.clear();
        seen.putAll(current);
        return lines;
    }

    /** The armed timers by name, with their deadlines. */
    private static Map<String, Long> names(ConnectionTimers t) {
        if (t == null) {
            return Map.of();
        }
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("retransmission", t.retransmission());
        m.put("persist", t.persist());
        m.put("delayed-ACK", t.delayedAck());
        m.put("TIME_WAIT", t.timeWait());
        m.put("FIN_WAIT_2", t.finWait2());
        m.values().removeIf(d -> d == Clock.NO_DEADLINE);
        return m;
    }

    static String ports(FourTuple t) {
        return t.localPort() + ">" + t.remotePort();
    }
}
