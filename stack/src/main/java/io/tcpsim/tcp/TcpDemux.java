package io.tcpsim.tcp;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds the connection or listener for a segment: connections by exact 4-tuple (TIME_WAIT ones
 * included), then listeners by local address and port, an exact address before the wildcard 0
 * (Linux scores an exact bind higher). Also decides which local ports may be bound.
 */
final class TcpDemux {
    private record ListenKey(int addr, int port) {
    }

    private final Map<FourTuple, TcpConnection> connections = new HashMap<>();
    private final Map<ListenKey, TcpListener> listeners = new HashMap<>();
    private final TimerQueue timers = new TimerQueue();

    TcpConnection connection(FourTuple tuple) {
        return connections.get(tuple);
    }

    TcpListener listener(int localAddr, int port) {
        TcpListener exact = listeners.get(new ListenKey(localAddr, port));
        return exact != null ? exact : listeners.get(new ListenKey(0, port));
    }

    void add(TcpConnection c) {
        connections.put(c.tuple(), c);
        timers.touch(c);
    }

    void remove(TcpConnection c) {
        if (connections.remove(c.tuple(), c)) {
            timers.remove(c);
        }
    }

    /** The connection's timers may have changed (see {@link TimerQueue}); ignored once it has left. */
    void touch(TcpConnection c) {
        if (connections.get(c.tuple()) == c) {
            timers.touch(c);
        }
    }

    void add(TcpListener l) {
        listeners.put(new ListenKey(l.localAddr(), l.port()), l);
    }

    void remove(TcpListener l) {
        listeners.remove(new ListenKey(l.localAddr(), l.port()), l);
    }

    boolean inUse(FourTuple tuple) {
        return connections.containsKey(tuple);
    }

    /**
     * Whether binding (addr, port) conflicts (Linux inet_csk_bind_conflict()): with any listener
     * on an overlapping address; with a connection on one, unless both sides set SO_REUSEADDR
     * (a TIME_WAIT connection counts as having set it, the brief's rule for bind after restart).
     */
    boolean bindConflict(int addr, int port, boolean reuseAddress) {
        for (TcpListener l : listeners.values()) {
            if (l.port() == port && overlaps(addr, l.localAddr())) {
                return true;
            }
        }
        for (TcpConnection c : connections.values()) {
            FourTuple t = c.tuple();
            if (t.localPort() == port && overlaps(addr, t.localAddr())) {
                boolean shared = c.state() == TcpState.TIME_WAIT || c.options().reuseAddress();
                if (!(reuseAddress && shared)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether a listener holds the port on an address overlapping addr. */
    boolean listening(int addr, int port) {
        for (TcpListener l : listeners.values()) {
            if (l.port() == port && overlaps(addr, l.localAddr())) {
                return true;
            }
        }
        return false;
    }

    /** The earliest deadline of any connection (the loop asks often: O(log n), see {@link TimerQueue}). */
    long nextDeadline() {
        return timers.next(connections.values());
    }

    /** The connections whose deadline is at or before {@code now}, earliest first (a snapshot). */
    List<TcpConnection> due(long now) {
        return timers.due(now);
    }

    /** Snapshots, so that a timer may close what it iterates over. */
    List<TcpConnection> connections() {
        return new ArrayList<>(connections.values());
    }

    List<TcpListener> listeners() {
        return new ArrayList<>(listeners.values());
    }

    private static boolean overlaps(int a, int b) {
        return a == 0 || b == 0 || a == b;
    }
}
