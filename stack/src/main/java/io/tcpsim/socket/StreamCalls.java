package io.tcpsim.socket;

import static io.tcpsim.socket.SocketConstants.AF_INET;
import static io.tcpsim.socket.SocketConstants.AF_INET6;
import static io.tcpsim.socket.SocketConstants.AF_UNSPEC;

import io.tcpsim.socket.TcpSocket.SockState;
import io.tcpsim.tcp.FourTuple;
import io.tcpsim.tcp.TcpConnection;
import io.tcpsim.tcp.TcpException;
import io.tcpsim.tcp.TcpLayer;
import io.tcpsim.tcp.TcpState;
import io.tcpsim.wire.IpAddress;

/**
 * The TCP part of bind, listen, accept, connect, shutdown and close, run on the stack thread.
 * Each returns a result (>= 0) or -errno; -EAGAIN (and for connect -EINPROGRESS / -EALREADY)
 * tells the caller that a blocking call must wait and try again.
 */
final class StreamCalls {
    private final Ports ports = new Ports();
    private final int stackAddress;
    private final IpAddress stackAddress6;

    /** @param stackAddress6 the stack's IPv6 address, {@link IpAddress#ANY_IPV6} when it has none */
    StreamCalls(int stackAddress, IpAddress stackAddress6) {
        this.stackAddress = stackAddress;
        this.stackAddress6 = stackAddress6;
    }

    /**
     * bind(2): Linux inet_bind() for AF_INET (EAFNOSUPPORT for another family, except AF_UNSPEC
     * with INADDR_ANY), inet6_bind() for AF_INET6 (EINVAL for an address shorter than a
     * sockaddr_in6, EAFNOSUPPORT for another family; see {@link Ipv6Names#bind}).
     */
    int bind(TcpLayer tcp, TcpSocket s, SockAddr addr) {
        if (s.family == AF_INET6) {
            return Ipv6Names.bind(this, tcp, s, addr);
        }
        if (!(addr instanceof SockAddrIn in) || (in.family() != AF_INET && !(in.family() == AF_UNSPEC && in.address() == 0))) {
            return -Errno.EAFNOSUPPORT;
        }
        if (in.address() != 0 && in.address() != stackAddress) {
            return -Errno.EADDRNOTAVAIL; // ip(7): no IP_FREEBIND, no non-local bind
        } else if (s.bound || s.tcpState() != TcpState.CLOSED) {
            return -Errno.EINVAL; // bind(2): the socket is already bound
        }
        return bindPort(tcp, s, IpAddress.ofIpv4(in.address()), in.port(), false);
    }

    /** Whether addr (an IPv4 address) is one tcpsim may bind: the wildcard or its own. */
    boolean local(int addr) {
        return addr == 0 || addr == stackAddress;
    }

    /** Whether addr is tcpsim's own IPv6 address (never true on a stack without one). */
    boolean local6(IpAddress addr) {
        return !stackAddress6.isUnspecified() && addr.equals(stackAddress6);
    }

    /**
     * Takes the port (0: an ephemeral one) for addr; {@code any6}: an AF_INET6 socket bound to
     * {@code ::}. EADDRINUSE on a conflict.
     */
    int bindPort(TcpLayer tcp, TcpSocket s, IpAddress addr, int port, boolean any6) {
        s.boundToAny6 = any6;
        int chosen = port != 0 ? port : ports.ephemeral(tcp, s, addr);
        if (chosen < 0 || ports.conflict(tcp, s, addr, chosen)) {
            s.boundToAny6 = false;
            return -Errno.EADDRINUSE;
        }
        s.bound = true;
        s.portLocked = true;
        s.localAddr = addr;
        s.localPort = chosen;
        ports.add(s);
        return 0;
    }

    /**
     * listen(2): EINVAL unless unconnected and CLOSED or LISTEN (Linux inet_listen()); an unbound
     * socket gets an ephemeral port first; a second listen changes only the backlog (not kept
     * here: the TCP listener's backlog is fixed, see the report). An AF_INET6 socket on {@code ::}
     * listens to both families unless IPV6_V6ONLY.
     */
    int listen(TcpLayer tcp, TcpSocket s, int backlog) {
        TcpState st = s.tcpState();
        if (s.sockState != SockState.UNCONNECTED || (st != TcpState.CLOSED && st != TcpState.LISTEN)) {
            return -Errno.EINVAL;
        } else if (st == TcpState.LISTEN) {
            return 0;
        } else if (!s.bound) {
            boolean six = s.family == AF_INET6;
            int r = bindPort(tcp, s, six ? IpAddress.ANY_IPV6 : IpAddress.ANY_IPV4, 0, six);
            if (r < 0) {
                return r;
            }
        }
        try {
            s.listener = tcp.listen(s.localAddr, s.localPort, backlog, s.settings.tcpOptions(s.family == AF_INET6));
        } catch (TcpException e) {
            return -Errno.of(e.error());
        }
        s.listener.setAcceptHandler(l -> s.waiters().wake(TcpSocket.READ_KEY));
        s.listener.setChildSetup(s.settings::applyTo); // Linux: the child inherits the listener's options
        s.listening = true;
        return 0;
    }

    /**
     * accept(2): EINVAL when not listening; the oldest established connection, or -EAGAIN.
     * The caller has reserved a descriptor first, as Linux does (EMFILE and ENFILE before dequeuing).
     */
    TcpSocket accept(TcpSocket s, boolean nonBlocking, long now) {
        TcpConnection c = s.listener == null ? null : s.listener.accept();
        if (c == null) {
            return null;
        }
        TcpSocket child = TcpSocket.accepted(c, s.family, nonBlocking, s.settings.copy());
        SocketOptionCalls.applyToConnection(child, now);
        return child;
    }

    /**
     * connect(2), Linux __inet_stream_connect(): EISCONN when connected or listening, EALREADY
     * while a previous attempt is in progress, else (the address checked only now, as Linux's
     * tcp_v4_connect() / tcp_v6_connect()) a SYN and EINPROGRESS; then, if the handshake is
     * over, 0 (connected) or the error that ended it (sock_error(), else ECONNABORTED).
     */
    int connect(TcpLayer tcp, TcpSocket s, SockAddr addr, long now) {
        int err;
        switch (s.sockState) {
            case CONNECTED -> {
                return -Errno.EISCONN;
            }
            case CONNECTING -> err = -Errno.EALREADY;
            default -> {
                if (s.tcpState() != TcpState.CLOSED) {
                    return -Errno.EISCONN;
                }
                int r = start(tcp, s, addr, now);
                if (r < 0) {
                    return r;
                }
                s.sockState = SockState.CONNECTING;
                err = -Errno.EINPROGRESS;
            }
        }
        int r = finishConnect(s);
        return r == -Errno.EALREADY ? err : r;
    }

    /**
     * The end of connect(2) once the handshake is over (-EALREADY while it is not): 0 and
     * connected, or the error (ECONNABORTED when SO_ERROR already took it) and unconnected again.
     */
    int finishConnect(TcpSocket s) {
        TcpState st = s.tcpState();
        if (st == TcpState.SYN_SENT || st == TcpState.SYN_RECEIVED) {
            return -Errno.EALREADY;
        } else if (st == TcpState.CLOSED) {
            int e = s.takeError();
            disconnect(s);
            return -(e != 0 ? e : Errno.ECONNABORTED);
        }
        s.sockState = SockState.CONNECTED;
        return 0;
    }

    /** The destination, or -errno (Linux tcp_v4_connect(), tcp_v6_connect()). */
    private int start(TcpLayer tcp, TcpSocket s, SockAddr addr, long now) {
        boolean six = !stackAddress6.isUnspecified();
        Ipv6Names.Destination dest = s.family == AF_INET6 ? Ipv6Names.destination(s, addr, six) : destination(addr);
        if (dest.errno() != 0) {
            return -dest.errno();
        }
        return open(tcp, s, dest.addr(), dest.port(), now);
    }

    /** An AF_INET destination, or EAFNOSUPPORT. */
    private static Ipv6Names.Destination destination(SockAddr addr) {
        if (!(addr instanceof SockAddrIn in) || in.family() != AF_INET) {
            // Linux tcp_v4_connect(); AF_UNSPEC would disconnect (not here)
            return Ipv6Names.Destination.error(Errno.EAFNOSUPPORT);
        }
        return new Ipv6Names.Destination(0, IpAddress.ofIpv4(in.address()), in.port());
    }

    /**
     * Opens from the bound address, else the stack's address of the destination's family; a
     * socket bound to an address of the other family gets EINVAL (Linux tcp_v6_connect()).
     */
    private int open(TcpLayer tcp, TcpSocket s, IpAddress addr, int port, long now) {
        IpAddress ours = addr.isIpv4() ? IpAddress.ofIpv4(stackAddress) : stackAddress6;
        IpAddress local = s.bound && !s.localAddr.isUnspecified() ? s.localAddr : ours;
        if (addr.isUnspecified() || port == 0) {
            return -Errno.ECONNREFUSED; // see SocketApi: Linux would try the loopback / port 0 and be refused
        } else if (local.isIpv4() != addr.isIpv4()) {
            return -Errno.EINVAL;
        }
        try {
            s.connection = tcp.connect(new FourTuple(local, s.bound ? s.localPort : 0, addr, port),
                    s.settings.tcpOptions(s.family == AF_INET6), now);
        } catch (TcpException e) {
            return -Errno.of(e.error());
        }
        s.connection.setListener(s);
        s.settings.applyTo(s.connection, now);
        SocketOptionCalls.applyToConnection(s, now);
        s.error = 0;
        s.shutdown = 0;
        return 0;
    }

    /** Linux tcp_disconnect() after a failed connect: unconnected again; an automatic port is released. */
    private void disconnect(TcpSocket s) {
        s.sockState = SockState.UNCONNECTED;
        s.connection = null;
        s.shutdown = 0;
        if (!s.portLocked) {
            s.bound = false;
            s.localPort = 0;
        }
    }

    /**
     * shutdown(2), Linux inet_shutdown(): EINVAL for a bad how; CLOSED is ENOTCONN (the bits are
     * still set); a listener stops listening on SHUT_RD/SHUT_RDWR; SYN_SENT is abandoned; else the
     * bits are set and SHUT_WR sends a FIN. Blocked calls wake up either way.
     */
    int shutdown(TcpSocket s, int how, long now) {
        if (how < SocketConstants.SHUT_RD || how > SocketConstants.SHUT_RDWR) {
            return -Errno.EINVAL;
        }
        int mask = how + 1; // SHUT_RD -> RCV_SHUTDOWN, SHUT_WR -> SEND_SHUTDOWN, SHUT_RDWR -> both
        if (s.sockState == SockState.CONNECTING) {
            TcpState st = s.tcpState();
            boolean open = st == TcpState.SYN_SENT || st == TcpState.SYN_RECEIVED || st == TcpState.CLOSED;
            s.sockState = open ? SockState.UNCONNECTED : SockState.CONNECTED;
        }
        int result = 0;
        switch (s.tcpState()) {
            case LISTEN -> {
                if ((mask & TcpSocket.RCV_SHUTDOWN) != 0) {
                    stopListening(s, now);
                }
            }
            case SYN_SENT -> {
                s.connection.abort(now);
                disconnect(s);
            }
            case CLOSED -> {
                s.shutdown |= mask;
                result = -Errno.ENOTCONN;
            }
            default -> {
                s.shutdown |= mask;
                if ((mask & TcpSocket.RCV_SHUTDOWN) != 0) {
                    s.connection.shutdownInput(now);
                }
                if ((mask & TcpSocket.SEND_SHUTDOWN) != 0) {
                    s.connection.shutdownOutput(now);
                }
                if (s.connection.inputDiscarded()) {
                    s.shutdown |= TcpSocket.RCV_SHUTDOWN; // FreeBSD soisdisconnected() (TcpConfig)
                }
            }
        }
        s.waiters().wakeAll();
        return result;
    }

    /**
     * close(2), Linux tcp_close(): a listener stops (queued connections are reset); a connection
     * gets ABORT when received data was never read (RFC 1122 §4.2.2.13) or SO_LINGER is on with
     * time 0, else CLOSE. Returns the seconds a lingering close may wait for the FIN to be
     * acknowledged (SO_LINGER on with a time; {@link SocketSettings#FOREVER} for no limit), or 0.
     */
    long close(TcpSocket s, long now) {
        s.markClosed();
        ports.remove(s);
        long linger = 0;
        if (s.listening) {
            stopListening(s, now);
        } else if (s.connection != null) {
            boolean lingerZero = s.settings.linger && s.settings.lingerSeconds == 0;
            if (lingerZero) {
                s.connection.abort(now);
            } else {
                s.connection.close(now); // unread data (MSG_PEEK leaves it queued) makes this a RST
                linger = s.settings.linger ? s.settings.lingerSeconds : 0;
            }
        }
        s.waiters().wakeAll();
        return linger;
    }

    /** Linux sk_stream_wait_close(): a lingering close waits while our FIN is not acknowledged. */
    static boolean finUnacknowledged(TcpSocket s) {
        TcpState st = s.connection == null ? TcpState.CLOSED : s.connection.state();
        return st == TcpState.FIN_WAIT_1 || st == TcpState.CLOSING || st == TcpState.LAST_ACK;
    }

    private void stopListening(TcpSocket s, long now) {
        if (s.listener != null) {
            s.listener.close(now);
            s.listener = null;
        }
        s.listening = false;
    }

    /** getsockname(2): the bound or connected local address; the wildcard and port 0 when unbound. */
    void sockName(TcpSocket s, SockAddr out) {
        if (s.connection != null && s.tcpState() != TcpState.CLOSED) {
            Ipv6Names.fill(out, s.family, s.connection.tuple().localAddr(), s.connection.tuple().localPort(), false);
        } else {
            Ipv6Names.fill(out, s.family, s.bound ? s.localAddr : IpAddress.ANY_IPV4, s.bound ? s.localPort : 0,
                    !s.bound || s.boundToAny6);
        }
    }

    /** getpeername(2): ENOTCONN unless connected (Linux inet_getname(): not CLOSE, not SYN_SENT). */
    int peerName(TcpSocket s, SockAddr out) {
        TcpState st = s.tcpState();
        if (s.connection == null || st == TcpState.CLOSED || st == TcpState.SYN_SENT) {
            return -Errno.ENOTCONN;
        }
        Ipv6Names.fill(out, s.family, s.connection.tuple().remoteAddr(), s.connection.tuple().remotePort(), false);
        return 0;
    }
}
