package io.tcpsim.socket;

import io.tcpsim.tcp.TcpConfig;
import io.tcpsim.tcp.TcpConnection;
import io.tcpsim.tcp.TcpLayer;
import io.tcpsim.tcp.TcpState;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The sockets bound to a port, for bind(2)'s EADDRINUSE and port 0 (Linux inet_csk_get_port()).
 * A bound socket that has not listened or connected yet is invisible to the TCP layer, so this
 * table is the socket layer's; connections (TIME_WAIT too) come from {@link TcpLayer#connections()}.
 * Stack thread only.
 */
final class Ports {
    private final List<TcpSocket> bound = new ArrayList<>();

    void add(TcpSocket s) {
        bound.add(s);
    }

    void remove(TcpSocket s) {
        bound.remove(s);
    }

    /**
     * Linux inet_csk_bind_conflict(): another socket on the port whose address overlaps
     * (either is the wildcard, or they are equal) conflicts unless both set SO_REUSEADDR and the
     * other is not listening. Connections on the port conflict unless this socket sets SO_REUSEADDR.
     * Dual stack: a socket covers IPv4 at addr when {@code v4}, every IPv6 address when
     * {@code v6} (AF_INET6 bound to {@code ::}); IPV6_V6ONLY on {@code ::} covers IPv6 only, so it
     * and an IPv4 socket on the same port do not overlap (Linux inet_rcv_saddr_equal()).
     */
    boolean conflict(TcpLayer tcp, TcpSocket self, int addr, int port, boolean v4, boolean v6) {
        boolean reuse = self.settings.reuseAddress;
        for (TcpSocket other : bound) {
            boolean overlaps = (v4 && other.coversIpv4() && overlap(addr, other.localAddr)) || (v6 && other.coversIpv6());
            if (other != self && other.localPort == port && overlaps
                    && !(reuse && other.settings.reuseAddress && other.tcpState() != TcpState.LISTEN)) {
                return true;
            }
        }
        if (reuse || !v4) {
            return false;
        }
        for (TcpConnection c : tcp.connections()) {
            if (c.tuple().localPort() == port && overlap(addr, c.tuple().localAddr())) {
                return true;
            }
        }
        return false;
    }

    /** A free port from the ephemeral range (Linux ip_local_port_range), or -1 when none is free. */
    int ephemeral(TcpLayer tcp, TcpSocket self, int addr, boolean v4, boolean v6) {
        TcpConfig config = tcp.config();
        int low = config.ephemeralLow();
        int range = config.ephemeralHigh() - low + 1;
        int start = ThreadLocalRandom.current().nextInt(range);
        for (int i = 0; i < range; i++) {
            int port = low + (start + i) % range;
            if (!conflict(tcp, self, addr, port, v4, v6) && !usedByConnection(tcp, port)) {
                return port;
            }
        }
        return -1;
    }

    private static boolean usedByConnection(TcpLayer tcp, int port) {
        for (TcpConnection c : tcp.connections()) {
            if (c.tuple().localPort() == port) {
                return true;
            }
        }
        return false;
    }

    private static boolean overlap(int a, int b) {
        return a == 0 || b == 0 || a == b;
    }
}
