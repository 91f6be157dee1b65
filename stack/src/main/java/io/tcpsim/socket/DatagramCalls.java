package io.tcpsim.socket;

import static io.tcpsim.socket.SocketApi.fail;
import static io.tcpsim.socket.SocketApi.result;

import io.tcpsim.udp.Datagram;
import io.tcpsim.udp.UdpEndpoint;
import io.tcpsim.udp.UdpLayer;
import io.tcpsim.wire.IpAddress;

/**
 * The SOCK_DGRAM (UDP over IPv4 and IPv6) side of socket, bind, connect, shutdown, close,
 * getsockname, getpeername and ioctl, with Linux's errno rules (net/ipv4/af_inet.c,
 * net/ipv4/datagram.c, net/ipv4/udp.c; net/ipv6/af_inet6.c, net/ipv6/datagram.c for AF_INET6,
 * see {@link DatagramNames}). The I/O calls are in {@link DatagramIo}, the options in
 * {@link DatagramOptionCalls}. Each call runs its UDP part on the stack thread.
 */
final class DatagramCalls {
    private final SocketApi api;
    private final DatagramNames names;

    DatagramCalls(SocketApi api, DatagramNames names) {
        this.api = api;
        this.names = names;
    }

    DatagramNames names() {
        return names;
    }

    /**
     * socket(2) for SOCK_DGRAM, after the checks common to every type: UDP for protocol 0 or
     * IPPROTO_UDP; EACCES for IPPROTO_ICMP (a ping socket, outside Linux's default
     * ping_group_range); EPROTONOSUPPORT for anything else. Linux: UDP-Lite (136) exists; tcpsim
     * has none.
     */
    int socket(int family, int protocol, boolean nonBlocking) {
        if (protocol == SocketConstants.IPPROTO_ICMP) {
            return fail(Errno.EACCES);
        } else if (protocol != 0 && protocol != SocketConstants.IPPROTO_UDP) {
            return fail(Errno.EPROTONOSUPPORT);
        }
        int fd = api.files.reserve(); // first, so that a refused socket leaves no endpoint behind
        if (fd < 0) {
            return fail(-fd);
        }
        try {
            api.files.install(fd, api.onStack(now -> new UdpSocket(api.stack.udp(), family, nonBlocking)));
            return fd;
        } finally {
            api.files.unreserve(fd);
        }
    }

    /**
     * bind(2), Linux __inet_bind() order: EAFNOSUPPORT unless AF_INET (or AF_UNSPEC with
     * INADDR_ANY, Linux's compatibility rule), EADDRNOTAVAIL for an address that is not ours,
     * EINVAL when bound or connected, EADDRINUSE on a conflict; port 0 picks a free one. The
     * address is read as a sockaddr_in ({@link #asIpv4}). An AF_INET6 socket: {@link DatagramNames#bind6}.
     */
    int bind(UdpSocket s, SockAddr name) {
        if (s.family == SocketConstants.AF_INET6) {
            return bind6(s, name);
        }
        SockAddrIn addr = asIpv4(name);
        boolean unspecAny = addr.family() == SocketConstants.AF_UNSPEC && addr.address() == 0;
        if (addr.family() != SocketConstants.AF_INET && !unspecAny) {
            return fail(Errno.EAFNOSUPPORT);
        }
        return result(api.onStack(now -> {
            UdpEndpoint e = s.endpoint;
            if (s.isClosed()) {
                return -Errno.EBADF;
            } else if (addr.address() != 0 && addr.address() != names.stackAddress()) {
                return -Errno.EADDRNOTAVAIL; // ip(7): no IP_FREEBIND; broadcast and multicast not supported
            } else if (e.isBound() || e.isConnected()) {
                return -Errno.EINVAL;
            }
            return udp().bind(e, IpAddress.ofIpv4(addr.address()), addr.port()) ? 0 : -Errno.EADDRINUSE;
        }));
    }

    private int bind6(UdpSocket s, SockAddr name) {
        return result(api.onStack(now -> {
            if (s.isClosed()) {
                return -Errno.EBADF;
            }
            DatagramNames.Target t = names.bind6(s.endpoint, name);
            if (t.failed()) {
                return -t.errno();
            }
            return udp().bind(s.endpoint, t.addr(), t.port()) ? 0 : -Errno.EADDRINUSE;
        }));
    }

    /**
     * connect(2), Linux inet_dgram_connect(): AF_UNSPEC dissolves the association (always 0);
     * else EAFNOSUPPORT unless AF_INET; an unbound socket is bound to an ephemeral port first
     * (EAGAIN when none is free), then the peer is set. Linux routes INADDR_ANY to the loopback;
     * tcpsim has none: ENETUNREACH. The address is read as a sockaddr_in ({@link #asIpv4}); an
     * AF_INET6 socket's as {@link DatagramNames#destination6} says (Linux ip6_datagram_connect()).
     */
    int connect(UdpSocket s, SockAddr name) {
        SockAddrIn addr = asIpv4(name);
        if (addr.family() == SocketConstants.AF_UNSPEC) {
            return result(api.onStack(now -> {
                if (s.isClosed()) {
                    return -Errno.EBADF;
                }
                udp().disconnect(s.endpoint);
                return 0;
            }));
        } else if (s.family == SocketConstants.AF_INET6) {
            return connect6(s, name);
        } else if (addr.family() != SocketConstants.AF_INET) {
            return fail(Errno.EAFNOSUPPORT);
        }
        return result(api.onStack(now -> {
            if (s.isClosed()) {
                return -Errno.EBADF;
            } else if (!udp().autobind(s.endpoint)) {
                return -Errno.EAGAIN;
            } else if (addr.address() == 0) {
                return -Errno.ENETUNREACH;
            }
            udp().connect(s.endpoint, IpAddress.ofIpv4(addr.address()), addr.port());
            return 0;
        }));
    }

    /** Linux inet_dgram_connect(): the autobind (EAGAIN), then __ip6_datagram_connect()'s checks of the destination. */
    private int connect6(UdpSocket s, SockAddr name) {
        return result(api.onStack(now -> {
            if (s.isClosed()) {
                return -Errno.EBADF;
            } else if (!udp().autobind(s.endpoint)) {
                return -Errno.EAGAIN;
            }
            DatagramNames.Target t = names.destination6(s.endpoint, name, Errno.EAFNOSUPPORT, Errno.EAFNOSUPPORT);
            if (t.failed()) {
                return -t.errno();
            }
            udp().connect(s.endpoint, t.addr(), t.port());
            return 0;
        }));
    }

    /**
     * shutdown(2), Linux inet_shutdown(): EINVAL for a bad how; the bits are set either way, and an
     * unconnected socket answers ENOTCONN (Linux sets them "to wake up other listeners, who can poll
     * for EPOLLHUP, even on unconnected UDP sockets"). Blocked calls wake up.
     */
    int shutdown(UdpSocket s, int how) {
        if (how < SocketConstants.SHUT_RD || how > SocketConstants.SHUT_RDWR) {
            return fail(Errno.EINVAL);
        }
        return result(api.onStack(now -> {
            if (s.isClosed()) {
                return -Errno.EBADF;
            }
            s.shutdown |= how + 1; // SHUT_RD -> RCV_SHUTDOWN, SHUT_WR -> SEND_SHUTDOWN, SHUT_RDWR -> both
            s.waiters().wakeAll();
            return s.endpoint.isConnected() ? 0 : -Errno.ENOTCONN;
        }));
    }

    /** close(2) on the stack thread: the port is released and the queue discarded. */
    void close(UdpSocket s) {
        s.markClosed();
        udp().close(s.endpoint);
        s.waiters().wakeAll();
    }

    /**
     * getsockname(2): the bound (or, once connected, the source) address and port; 0.0.0.0:0 or
     * [::]:0 unbound; an AF_INET6 socket's IPv4 addresses mapped.
     */
    int sockName(UdpSocket s, SockAddr out) {
        return result(api.onStack(now -> {
            Ipv6Names.fill(out, s.family, s.endpoint.localAddr(), s.endpoint.localPort(), false);
            return 0;
        }));
    }

    /** getpeername(2), Linux inet_getname(): ENOTCONN unless connected to a port other than 0. */
    int peerName(UdpSocket s, SockAddr out) {
        return result(api.onStack(now -> {
            UdpEndpoint e = s.endpoint;
            if (!e.isConnected() || e.remotePort() == 0) {
                return -Errno.ENOTCONN;
            }
            Ipv6Names.fill(out, s.family, e.remoteAddr(), e.remotePort(), false);
            return 0;
        }));
    }

    /** ioctl(2) FIONREAD (SIOCINQ, udp(7)): the next datagram's length, 0 when none; ENOTTY otherwise. */
    int ioctl(UdpSocket s, int request, int[] value) {
        if (request != SocketConstants.FIONREAD) {
            return fail(Errno.ENOTTY);
        }
        value[0] = api.onStack(now -> {
            Datagram next = s.endpoint.peek();
            return next == null ? 0 : next.length();
        });
        return 0;
    }

    /**
     * A caller's address as the AF_INET calls read it: the first 16 bytes as a sockaddr_in
     * (Linux inet_bind(), inet_dgram_connect(), udp_sendmsg() take any struct at least that
     * long). A {@link SockAddrIn6} thus gives its family, its port, and its flow information
     * where sin_addr lies; its family is AF_INET6, so the calls answer EAFNOSUPPORT.
     */
    static SockAddrIn asIpv4(SockAddr addr) {
        return switch (addr) {
            case SockAddrIn in -> in;
            case SockAddrIn6 in6 -> new SockAddrIn(in6.family(), in6.flowInfo(), in6.port());
        };
    }

    private UdpLayer udp() {
        return api.stack.udp();
    }
}
