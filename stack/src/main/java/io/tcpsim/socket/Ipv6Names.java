package io.tcpsim.socket;

import static io.tcpsim.socket.SocketConstants.AF_INET;
import static io.tcpsim.socket.SocketConstants.AF_INET6;

import io.tcpsim.tcp.TcpLayer;
import io.tcpsim.tcp.TcpState;
import io.tcpsim.wire.IpAddress;

/**
 * AF_INET6 names (ipv6(7), RFC 4291 §2.5.5.2, RFC 3493 §3.7): native addresses reach IPv6, the
 * IPv4-mapped addresses {@code ::ffff:a.b.c.d} reach IPv4, {@code ::} is both wildcards unless
 * IPV6_V6ONLY. On a stack without an IPv6 address, native addresses get the errno Linux gives on
 * a host whose IPv6 is disabled. Also how names are written into the caller's {@link SockAddr}.
 */
final class Ipv6Names {
    /** A connect(2) destination, or the errno (positive) that refuses it. */
    record Destination(int errno, IpAddress addr, int port) {
        static Destination error(int errno) {
            return new Destination(errno, IpAddress.ANY_IPV4, 0);
        }
    }

    private Ipv6Names() {
    }

    /**
     * Linux inet6_bind(), __inet6_bind() in their order: EINVAL for a sockaddr_in (too short),
     * EAFNOSUPPORT for another family, EINVAL for multicast, EINVAL when already bound, then for
     * a mapped address EINVAL under IPV6_V6ONLY and EADDRNOTAVAIL if the IPv4 address is not
     * ours; a native address: EINVAL for link-local without a scope, EADDRNOTAVAIL unless it is
     * the stack's IPv6 address.
     */
    static int bind(StreamCalls calls, TcpLayer tcp, TcpSocket s, SockAddr addr) {
        if (addr instanceof SockAddrIn) {
            return -Errno.EINVAL; // Linux: 16 bytes are less than SIN6_LEN_RFC2133 (24)
        }
        SockAddrIn6 a = (SockAddrIn6) addr;
        if (a.family() != AF_INET6) {
            return -Errno.EAFNOSUPPORT;
        } else if (a.isMulticast()) {
            return -Errno.EINVAL; // Linux: no multicast bind for SOCK_STREAM
        } else if (s.bound || s.tcpState() != TcpState.CLOSED) {
            return -Errno.EINVAL;
        } else if (a.isV4Mapped()) {
            if (s.settings.v6Only) {
                return -Errno.EINVAL; // Linux: "binding to v4-mapped address on a v6-only socket makes no sense"
            } else if (!calls.local(a.ipv4())) {
                return -Errno.EADDRNOTAVAIL;
            }
            return calls.bindPort(tcp, s, IpAddress.ofIpv4(a.ipv4()), a.port(), false);
        } else if (a.isAny()) {
            return calls.bindPort(tcp, s, IpAddress.ANY_IPV6, a.port(), true);
        } else if (a.isLinkLocal() && a.scopeId() == 0) {
            return -Errno.EINVAL;
        }
        IpAddress native6 = IpAddress.ofIpv6(a.address());
        return calls.local6(native6) ? calls.bindPort(tcp, s, native6, a.port(), false) : -Errno.EADDRNOTAVAIL;
    }

    /**
     * Linux tcp_v6_connect(): EINVAL for a sockaddr_in, EAFNOSUPPORT for another family;
     * {@code ::} means the loopback; ENETUNREACH for multicast, EINVAL for link-local without a
     * scope; a mapped address is an IPv4 connect (ENETUNREACH under IPV6_V6ONLY); a native
     * address is an IPv6 connect when the stack has IPv6 ({@code ipv6}), else EADDRNOTAVAIL
     * (no route or source).
     */
    static Destination destination(TcpSocket s, SockAddr addr, boolean ipv6) {
        if (addr instanceof SockAddrIn) {
            return Destination.error(Errno.EINVAL); // Linux: shorter than SIN6_LEN_RFC2133
        }
        SockAddrIn6 a = (SockAddrIn6) addr;
        if (a.family() != AF_INET6) {
            return Destination.error(Errno.EAFNOSUPPORT);
        } else if (a.isAny()) {
            // Linux: connect() to :: means the loopback, ::1 (or 127.0.0.1 mapped when bound to a mapped address).
            return s.bound && !s.boundToAny6 ? new Destination(0, IpAddress.ANY_IPV4, a.port())
                    : Destination.error(Errno.EADDRNOTAVAIL);
        } else if (a.isMulticast()) {
            return Destination.error(Errno.ENETUNREACH);
        } else if (a.isLinkLocal() && a.scopeId() == 0) {
            return Destination.error(Errno.EINVAL);
        } else if (!a.isV4Mapped()) {
            return ipv6 ? new Destination(0, IpAddress.ofIpv6(a.address()), a.port())
                    : Destination.error(Errno.EADDRNOTAVAIL);
        } else if (s.settings.v6Only) {
            return Destination.error(Errno.ENETUNREACH);
        }
        return new Destination(0, IpAddress.ofIpv4(a.ipv4()), a.port());
    }

    /**
     * Writes a name of a socket of this family into out: for AF_INET6 the IPv6 address (an IPv4
     * one mapped), or {@code ::} when {@code any}. A holder of the other kind gets what the C
     * struct of its size would: see {@link SockAddrIn} and {@link SockAddrIn6}.
     */
    static void fill(SockAddr out, int family, IpAddress addr, int port, boolean any) {
        if (family == AF_INET6) {
            byte[] address = any ? SockAddrIn6.ANY : addr.bytes();
            switch (out) {
                case SockAddrIn6 a -> a.set(AF_INET6, address, port, 0);
                case SockAddrIn a -> a.set(AF_INET6, 0, port);
            }
        } else {
            int ipv4 = addr.ipv4();
            switch (out) {
                case SockAddrIn a -> a.set(AF_INET, ipv4, port);
                case SockAddrIn6 a -> a.set(AF_INET, SockAddrIn6.ANY, port, ipv4);
            }
        }
    }
}
