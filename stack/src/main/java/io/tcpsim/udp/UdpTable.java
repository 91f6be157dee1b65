package io.tcpsim.udp;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The bound endpoints by local port, newest first (Linux adds to the head of its hash chains):
 * Linux's binding rules ({@code udp_lib_lport_inuse()}), ephemeral ports
 * ({@code udp_lib_get_port()} with port 0) and the receive lookup ({@code __udp4_lib_lookup()},
 * {@code compute_score()}). Stack thread only.
 */
final class UdpTable {
    private final Map<Integer, List<UdpEndpoint>> byPort = new HashMap<>();
    private final int ephemeralLow;
    private final int ephemeralHigh;

    UdpTable(int ephemeralLow, int ephemeralHigh) {
        this.ephemeralLow = ephemeralLow;
        this.ephemeralHigh = ephemeralHigh;
    }

    void add(UdpEndpoint e) {
        byPort.computeIfAbsent(e.localPort, p -> new ArrayList<>()).addFirst(e);
    }

    void remove(UdpEndpoint e) {
        List<UdpEndpoint> onPort = byPort.get(e.localPort);
        if (onPort != null) {
            onPort.remove(e);
            if (onPort.isEmpty()) {
                byPort.remove(e.localPort);
            }
        }
    }

    List<UdpEndpoint> all() {
        return byPort.values().stream().flatMap(List::stream).toList();
    }

    /**
     * Linux udp_lib_lport_inuse(): another endpoint on the port whose address overlaps (either is
     * the wildcard, or they are equal) conflicts, unless both set SO_REUSEADDR or both set
     * SO_REUSEPORT. Unlike TCP, nothing depends on state: UDP has no listeners or TIME_WAIT.
     */
    boolean conflict(UdpEndpoint self, int addr, int port) {
        for (UdpEndpoint other : byPort.getOrDefault(port, List.of())) {
            if (other != self && overlap(addr, other.localAddr)
                    && !(self.reuseAddress() && other.reuseAddress())
                    && !(self.reusePort() && other.reusePort())) {
                return true;
            }
        }
        return false;
    }

    /**
     * A port of the ephemeral range (ip_local_port_range) where {@code self} at {@code addr}
     * conflicts with nobody, from a random start as Linux; -1 when every port conflicts.
     */
    int ephemeral(UdpEndpoint self, int addr) {
        int range = ephemeralHigh - ephemeralLow + 1;
        int start = ThreadLocalRandom.current().nextInt(range);
        for (int i = 0; i < range; i++) {
            int port = ephemeralLow + (start + i) % range;
            if (!conflict(self, addr, port)) {
                return port;
            }
        }
        return -1;
    }

    /**
     * The endpoint a datagram from src:srcPort to dst:dstPort is for (Linux __udp4_lib_lookup()):
     * endpoints bound to dst itself first, the wildcard ones only when none of those matches; among
     * them the best compute_score(), where a connected endpoint must match the source and scores
     * higher (4 for the address, 4 for the port); on a tie the newest. When the best has
     * SO_REUSEPORT, its group of equally good SO_REUSEPORT endpoints shares the flows by a hash of
     * the source (Linux: a keyed hash of the 4-tuple, reuseport_select_sock()). Null: no port.
     */
    UdpEndpoint lookup(int src, int srcPort, int dst, int dstPort) {
        List<UdpEndpoint> onPort = byPort.get(dstPort);
        if (onPort == null) {
            return null;
        }
        UdpEndpoint exact = best(onPort, dst, src, srcPort);
        return exact != null ? exact : best(onPort, 0, src, srcPort);
    }

    private static UdpEndpoint best(List<UdpEndpoint> onPort, int localAddr, int src, int srcPort) {
        UdpEndpoint best = null;
        int bestScore = -1;
        for (UdpEndpoint e : onPort) {
            int score = e.localAddr == localAddr ? score(e, src, srcPort) : -1;
            if (score > bestScore) {
                best = e;
                bestScore = score;
            }
        }
        return best == null || !best.reusePort() ? best : reuseportPick(onPort, best, bestScore, src, srcPort);
    }

    /** compute_score() for IPv4 sockets: 2, plus 4 for a matching connected address and 4 for the port. */
    private static int score(UdpEndpoint e, int src, int srcPort) {
        int score = 2;
        if (e.remoteAddr != 0) {
            if (e.remoteAddr != src) {
                return -1;
            }
            score += 4;
        }
        if (e.remotePort != 0) {
            if (e.remotePort != srcPort) {
                return -1;
            }
            score += 4;
        }
        return score;
    }

    private static UdpEndpoint reuseportPick(List<UdpEndpoint> onPort, UdpEndpoint best, int bestScore, int src,
                                             int srcPort) {
        List<UdpEndpoint> group = new ArrayList<>();
        for (UdpEndpoint e : onPort.reversed()) {
            if (e.reusePort() && e.localAddr == best.localAddr && score(e, src, srcPort) == bestScore) {
                group.add(e);
            }
        }
        int hash = (src * 31 + srcPort) * 0x9E3779B9;
        return group.get(Math.floorMod(hash >>> 16, group.size()));
    }

    private static boolean overlap(int a, int b) {
        return a == 0 || b == 0 || a == b;
    }
}
