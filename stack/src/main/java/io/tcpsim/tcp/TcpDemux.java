package io.tcpsim.tcp;

import io.tcpsim.wire.IpAddress;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds the connection or listener for a segment: connections by exact 4-tuple (TIME_WAIT ones
 * included), then listeners by local address and port: an exact address, then the wildcard of
 * the segment's family, then, for IPv4, the IPv6 wildcard of a socket that is not IPV6_V6ONLY
 * (Linux's compute_score() ranks them so). Also decides which local ports may be bound.
 */
final class TcpDemux {
    private record ListenKey(IpAddress addr, int port) {
    }

    private final Map<FourTuple, TcpConnection> connections = new HashMap<>();
    private final Map<ListenKey, TcpListener> listeners = new HashMap<>();
    private final TimerQueue timers = new TimerQueue();
    /** The IPv4 ones of {@link #connections} again, found from the header's numbers. */
    private final Ipv4TupleTable<TcpConnection> ipv4 =
            new Ipv4TupleTable<>(TcpConnection::tuple, new SecureRandom().nextInt());

    TcpConnection connection(FourTuple tuple) {
        return connections.get(tuple);
    }

    /**
     * The connection of an IPv4 segment, found without making its {@link FourTuple} (as Linux's
     * __inet_lookup_established() hashes the header's numbers); null when there is none.
     */
    TcpConnection connectionIpv4(int localAddr, int localPort, int remoteAddr, int remotePort) {
        return ipv4.get(localAddr, localPort, remoteAddr, remotePort);
    }

    private static boolean isIpv4(FourTuple t) {
        return t.localAddr().isIpv4() && t.remoteAddr().isIpv4();
    }

    TcpListener listener(IpAddress localAddr, int port) {
        TcpListener exact = listeners.get(new ListenKey(localAddr, port));
        if (exact != null) {
            return exact;
        } else if (!localAddr.isIpv4()) {
            return listeners.get(new ListenKey(IpAddress.ANY_IPV6, port));
        }
        TcpListener any = listeners.get(new ListenKey(IpAddress.ANY_IPV4, port));
        TcpListener dual = listeners.get(new ListenKey(IpAddress.ANY_IPV6, port));
        return any != null ? any : dual != null && !dual.options().ipv6Only() ? dual : null;
    }

    void add(TcpConnection c) {
        connections.put(c.tuple(), c);
        if (isIpv4(c.tuple())) {
            ipv4.put(c);
        }
        timers.touch(c);
    }

    void remove(TcpConnection c) {
        if (connections.remove(c.tuple(), c)) {
            if (isIpv4(c.tuple())) {
                ipv4.remove(c);
            }
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
    boolean bindConflict(IpAddress addr, int port, SocketOptions options) {
        for (TcpListener l : listeners.values()) {
            boolean shares = AddressOverlap.overlaps(addr, options.ipv6Only(), l.localAddr(), l.options().ipv6Only());
            if (l.port() == port && shares) {
                return true;
            }
        }
        for (TcpConnection c : connections.values()) {
            FourTuple t = c.tuple();
            if (t.localPort() == port && AddressOverlap.overlaps(addr, options.ipv6Only(), t.localAddr(), false)) {
                boolean shared = c.state() == TcpState.TIME_WAIT || c.options().reuseAddress();
                if (!(options.reuseAddress() && shared)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether a listener holds the port on an address overlapping addr. */
    boolean listening(IpAddress addr, int port) {
        for (TcpListener l : listeners.values()) {
            if (l.port() == port && AddressOverlap.overlaps(addr, false, l.localAddr(), l.options().ipv6Only())) {
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
}
