package io.tcpsim.socket;

import static io.tcpsim.socket.SocketConstants.AF_INET;
import static io.tcpsim.socket.SocketConstants.AF_INET6;

import io.tcpsim.udp.UdpEndpoint;
import io.tcpsim.wire.IpAddress;

/**
 * The addresses the UDP calls take, by the socket's family, with Linux's errno rules: an AF_INET
 * socket reads a sockaddr_in ({@link DatagramCalls#asIpv4}); an AF_INET6 one a sockaddr_in6 whose
 * IPv4-mapped addresses reach IPv4 unless IPV6_V6ONLY (ipv6(7), RFC 3493 §3.7), and, as Linux's
 * __ip6_datagram_connect() and udpv6_sendmsg() do, a sockaddr_in too. tcpsim has no loopback and
 * no multicast: destinations that would need them are ENETUNREACH. Stack thread only (the
 * endpoint's IPV6_V6ONLY and bound address are read).
 */
final class DatagramNames {
    /** An address and port, or the errno (positive) that refuses them. */
    record Target(int errno, IpAddress addr, int port) {
        static Target error(int errno) {
            return new Target(errno, IpAddress.ANY_IPV4, 0);
        }

        static Target of(IpAddress addr, int port) {
            return new Target(0, addr, port);
        }

        boolean failed() {
            return errno != 0;
        }
    }

    private final int stackAddress;
    private final IpAddress stackAddress6;

    /** @param stackAddress6 the stack's IPv6 address, {@link IpAddress#ANY_IPV6} when it has none */
    DatagramNames(int stackAddress, IpAddress stackAddress6) {
        this.stackAddress = stackAddress;
        this.stackAddress6 = stackAddress6;
    }

    int stackAddress() {
        return stackAddress;
    }

    /**
     * bind(2)'s address for an AF_INET6 socket, Linux inet6_bind() / __inet6_bind() in their order:
     * EINVAL for a sockaddr_in (shorter than SIN6_LEN_RFC2133), EAFNOSUPPORT for another family,
     * EINVAL when bound or connected; a mapped address: EINVAL under IPV6_V6ONLY, EADDRNOTAVAIL
     * unless 0.0.0.0 or ours; a native one: EINVAL when it needs a scope and has none, EADDRNOTAVAIL
     * unless the stack's IPv6 address (a global multicast address too: tcpsim has no multicast).
     */
    Target bind6(UdpEndpoint e, SockAddr name) {
        if (name instanceof SockAddrIn) {
            return Target.error(Errno.EINVAL);
        }
        SockAddrIn6 a = (SockAddrIn6) name;
        if (a.family() != AF_INET6) {
            return Target.error(Errno.EAFNOSUPPORT);
        } else if (e.isBound() || e.isConnected()) {
            return Target.error(Errno.EINVAL);
        } else if (a.isV4Mapped()) {
            if (e.ipv6Only()) {
                return Target.error(Errno.EINVAL);
            }
            return a.ipv4() == 0 || a.ipv4() == stackAddress ? Target.of(IpAddress.ofIpv4(a.ipv4()), a.port())
                    : Target.error(Errno.EADDRNOTAVAIL);
        } else if (a.isAny()) {
            return Target.of(IpAddress.ANY_IPV6, a.port());
        } else if (needsScope(a) && a.scopeId() == 0) {
            return Target.error(Errno.EINVAL);
        }
        IpAddress native6 = IpAddress.ofIpv6(a.address());
        return isLocal6(native6) ? Target.of(native6, a.port()) : Target.error(Errno.EADDRNOTAVAIL);
    }

    /**
     * A connect(2) or sendto(2) destination of an AF_INET6 socket (Linux __ip6_datagram_connect(),
     * udpv6_sendmsg()): an AF_INET name is an IPv4 destination ({@code inetFamilyErrno} under
     * IPV6_V6ONLY: EAFNOSUPPORT for connect, ENETUNREACH for sendto); otherwise EINVAL for a
     * sockaddr_in, {@code otherFamilyErrno} for another family; {@code ::} would be the loopback:
     * ENETUNREACH; EINVAL for an address that needs a scope and has none; other multicast needs
     * multicast routing: ENETUNREACH; a mapped address is IPv4 (ENETUNREACH under IPV6_V6ONLY); a
     * native one needs the stack's IPv6 (EADDRNOTAVAIL without: no source address). Then the
     * source: a socket bound to an address of the other family has no route (tcpsim: ENETUNREACH).
     */
    Target destination6(UdpEndpoint e, SockAddr name, int inetFamilyErrno, int otherFamilyErrno) {
        Target t = resolve6(e, name, inetFamilyErrno, otherFamilyErrno);
        if (!t.failed() && !e.localAddr().isUnspecified() && e.localAddr().isIpv4() != t.addr().isIpv4()) {
            return Target.error(Errno.ENETUNREACH);
        }
        return t;
    }

    private Target resolve6(UdpEndpoint e, SockAddr name, int inetFamilyErrno, int otherFamilyErrno) {
        if (name.family() == AF_INET) {
            SockAddrIn in = DatagramCalls.asIpv4(name);
            return e.ipv6Only() ? Target.error(inetFamilyErrno) : ipv4(in.address(), in.port());
        } else if (name instanceof SockAddrIn) {
            return Target.error(Errno.EINVAL);
        }
        SockAddrIn6 a = (SockAddrIn6) name;
        if (a.family() != AF_INET6) {
            return Target.error(otherFamilyErrno);
        } else if (a.isAny()) {
            return Target.error(Errno.ENETUNREACH);
        } else if (needsScope(a) && a.scopeId() == 0) {
            return Target.error(Errno.EINVAL);
        } else if (a.isMulticast()) {
            return Target.error(Errno.ENETUNREACH);
        } else if (a.isV4Mapped()) {
            return e.ipv6Only() ? Target.error(Errno.ENETUNREACH) : ipv4(a.ipv4(), a.port());
        } else if (stackAddress6.isUnspecified()) {
            return Target.error(Errno.EADDRNOTAVAIL); // Linux ip6_dst_lookup_flow(): no IPv6 source address
        }
        return Target.of(IpAddress.ofIpv6(a.address()), a.port());
    }

    /** Linux routes INADDR_ANY to the loopback, which tcpsim lacks: ENETUNREACH. */
    private static Target ipv4(int addr, int port) {
        return addr == 0 ? Target.error(Errno.ENETUNREACH) : Target.of(IpAddress.ofIpv4(addr), port);
    }

    /**
     * Linux __ipv6_addr_needs_scope_id(): link-local unicast, and interface- or link-local
     * multicast (ff01::/16, ff02::/16, RFC 4291 §2.7): without a scope id such an address is EINVAL.
     */
    private static boolean needsScope(SockAddrIn6 a) {
        int scope = a.address()[1] & 0x0F;
        return a.isLinkLocal() || a.isMulticast() && (scope == 1 || scope == 2);
    }

    private boolean isLocal6(IpAddress addr) {
        return !stackAddress6.isUnspecified() && addr.equals(stackAddress6);
    }
}
