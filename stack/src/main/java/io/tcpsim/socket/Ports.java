package io.tcpsim.socket;

import io.tcpsim.tcp.AddressOverlap;
import io.tcpsim.tcp.TcpConfig;
import io.tcpsim.tcp.TcpConnection;
import io.tcpsim.tcp.TcpLayer;
import io.tcpsim.tcp.TcpState;
import io.tcpsim.wire.IpAddress;
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
     * ({@link AddressOverlap}: equal, or a wildcard covering the other, :: covering IPv4 too
     * unless IPV6_V6ONLY) conflicts unless both set SO_REUSEADDR and the other is not listening.
     * Connections on an overlapping address conflict unless this socket sets SO_REUSEADDR.
     */
    boolean conflict(TcpLayer tcp, TcpSocket self, IpAddress addr, int port) {
        boolean reuse = self.settings.reuseAddress;
        boolean only = self.settings.v6Only;
        for (TcpSocket other : bound) {
            boolean overlaps = AddressOverlap.overlaps(addr, only, other.localAddr, other.settings.v6Only);
            if (other != self && other.localPort == port && overlaps
                    && !(reuse && other.settings.reuseAddress && other.tcpState() != TcpState.LISTEN)) {
                return true;
            }
        }
        if (reuse) {
            return false;
        }
        for (TcpConnection c : tcp.connections()) {
            if (c.tuple().localPort() == port && AddressOverlap.overlaps(addr, only, c.tuple().localAddr(), false)) {
                return true;
            }
        }
        return false;
    }

    /** A free port from the ephemeral range (Linux ip_local_port_range), or -1 when none is free. */
    int ephemeral(TcpLayer tcp, TcpSocket self, IpAddress addr) {
        TcpConfig config = tcp.config();
        int low = config.ephemeralLow();
        int range = config.ephemeralHigh() - low + 1;
        int start = ThreadLocalRandom.current().nextInt(range);
        for (int i = 0; i < range; i++) {
            int port = low + (start + i) % range;
            if (!conflict(tcp, self, addr, port) && !usedByConnection(tcp, port)) {
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
}
