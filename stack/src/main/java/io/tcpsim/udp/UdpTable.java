package io.tcpsim.udp;

import io.tcpsim.wire.IpAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The bound endpoints by local port, newest first (Linux adds to the head of its hash chains):
 * Linux's binding rules ({@code udp_lib_lport_inuse()}), ephemeral ports
 * ({@code udp_lib_get_port()} with port 0) and the receive lookup ({@code __udp4_lib_lookup()},
 * {@code __udp6_lib_lookup()}, their {@code compute_score()}), for endpoints of both families: an
 * AF_INET6 endpoint on {@code ::} takes IPv4 datagrams too unless IPV6_V6ONLY. Stack thread only.
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
     * Linux udp_lib_lport_inuse(): another endpoint on the port whose address overlaps (equal, or
     * one a wildcard covering the other: {@code ::} covers IPv4 unless IPV6_V6ONLY, Linux
     * inet_rcv_saddr_equal()) conflicts, unless both set SO_REUSEADDR or both set SO_REUSEPORT.
     * Unlike TCP, nothing depends on state: UDP has no listeners or TIME_WAIT.
     */
    boolean conflict(UdpEndpoint self, IpAddress addr, int port) {
        for (UdpEndpoint other : byPort.getOrDefault(port, List.of())) {
            if (other != self && overlap(addr, self.ipv6Only(), other.localAddr, other.ipv6Only())
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
    int ephemeral(UdpEndpoint self, IpAddress addr) {
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
     * The endpoint a datagram from src:srcPort to dst:dstPort is for (Linux __udp4_lib_lookup(),
     * __udp6_lib_lookup()): endpoints bound to dst itself first, the wildcard ones only when none of
     * those matches; among them the best compute_score(), where a connected endpoint must match the
     * source and scores higher (4 for the address, 4 for the port), and for an IPv4 datagram an
     * AF_INET endpoint scores 1 above an AF_INET6 one; on a tie the newest. When the best has
     * SO_REUSEPORT, its group of equally good SO_REUSEPORT endpoints shares the flows by a hash of
     * the source (Linux: a keyed hash of the 4-tuple, reuseport_select_sock()). Null: no port.
     */
    UdpEndpoint lookup(IpAddress src, int srcPort, IpAddress dst, int dstPort) {
        List<UdpEndpoint> onPort = byPort.get(dstPort);
        if (onPort == null) {
            return null;
        }
        UdpEndpoint exact = best(onPort, dst, src, srcPort);
        return exact != null ? exact : best(onPort, null, src, srcPort);
    }

    /** The best endpoint bound to {@code localAddr}, or (null) to a wildcard that takes {@code src}'s family. */
    private static UdpEndpoint best(List<UdpEndpoint> onPort, IpAddress localAddr, IpAddress src, int srcPort) {
        UdpEndpoint best = null;
        int bestScore = -1;
        for (UdpEndpoint e : onPort) {
            boolean bound = localAddr != null ? e.localAddr.equals(localAddr) : takesAny(e, src);
            int score = bound ? score(e, src, srcPort) : -1;
            if (score > bestScore) {
                best = e;
                bestScore = score;
            }
        }
        return best == null || !best.reusePort() ? best : reuseportPick(onPort, best, bestScore, src, srcPort);
    }

    /** A wildcard endpoint that takes datagrams of src's family: 0.0.0.0 IPv4; :: IPv6, and IPv4 unless IPV6_V6ONLY. */
    private static boolean takesAny(UdpEndpoint e, IpAddress src) {
        if (e.localAddr.equals(IpAddress.ANY_IPV6)) {
            return !src.isIpv4() || !e.ipv6Only();
        }
        return e.localAddr.equals(IpAddress.ANY_IPV4) && src.isIpv4();
    }

    /**
     * compute_score(): 2 (for an IPv4 datagram, 1 on an AF_INET6 endpoint), plus 4 for a matching
     * connected address and 4 for the port.
     */
    private static int score(UdpEndpoint e, IpAddress src, int srcPort) {
        int score = src.isIpv4() && e.isIpv6() ? 1 : 2;
        if (!e.remoteAddr.isUnspecified()) {
            if (!e.remoteAddr.equals(src)) {
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

    private static UdpEndpoint reuseportPick(List<UdpEndpoint> onPort, UdpEndpoint best, int bestScore,
                                             IpAddress src, int srcPort) {
        List<UdpEndpoint> group = new ArrayList<>();
        for (UdpEndpoint e : onPort.reversed()) {
            if (e.reusePort() && e.localAddr.equals(best.localAddr) && score(e, src, srcPort) == bestScore) {
                group.add(e);
            }
        }
        int hash = (src.hashCode() * 31 + srcPort) * 0x9E3779B9;
        return group.get(Math.floorMod(hash >>> 16, group.size()));
    }

    private static boolean overlap(IpAddress a, boolean aIpv6Only, IpAddress b, boolean bIpv6Only) {
        return a.equals(b) || covers(a, aIpv6Only, b) || covers(b, bIpv6Only, a);
    }

    private static boolean covers(IpAddress wildcard, boolean ipv6Only, IpAddress other) {
        if (wildcard.equals(IpAddress.ANY_IPV4)) {
            return other.isIpv4();
        }
        return wildcard.equals(IpAddress.ANY_IPV6) && (!other.isIpv4() || !ipv6Only);
    }
}
