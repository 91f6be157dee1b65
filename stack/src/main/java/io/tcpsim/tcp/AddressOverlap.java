package io.tcpsim.tcp;

import io.tcpsim.wire.IpAddress;

/**
 * Whether two bound local addresses share destinations, Linux inet_rcv_saddr_equal(): equal, or
 * one is a wildcard covering the other: 0.0.0.0 covers IPv4, :: covers IPv6 and, unless
 * IPV6_V6ONLY (RFC 3493 §5.3), IPv4 too. Bind conflicts and port choice rest on it.
 */
public final class AddressOverlap {
    private AddressOverlap() {
    }

    /** {@code aIpv6Only}, {@code bIpv6Only}: IPV6_V6ONLY of the sockets bound to a and b. */
    public static boolean overlaps(IpAddress a, boolean aIpv6Only, IpAddress b, boolean bIpv6Only) {
        return a.equals(b) || covers(a, aIpv6Only, b) || covers(b, bIpv6Only, a);
    }

    private static boolean covers(IpAddress wildcard, boolean ipv6Only, IpAddress other) {
        if (wildcard.equals(IpAddress.ANY_IPV4)) {
            return other.isIpv4();
        }
        return wildcard.equals(IpAddress.ANY_IPV6) && (!other.isIpv4() || !ipv6Only);
    }
}
