package io.tcpsim.socket;

import io.tcpsim.socket.TcpSocket.SockState;
import io.tcpsim.tcp.FourTuple;
import io.tcpsim.tcp.TcpConnection;
import io.tcpsim.tcp.TcpException;
import io.tcpsim.tcp.TcpLayer;
import io.tcpsim.tcp.TcpState;

/**
 * The TCP part of bind, listen, accept, connect, shutdown and close, run on the stack thread.
 * Each returns a result (>= 0) or -errno; -EAGAIN (and for connect -EINPROGRESS / -EALREADY)
 * tells the caller that a blocking call must wait and try again.
 */
final class StreamCalls {
    private final Ports ports = new Ports();
    private final int stackAddress;

    StreamCalls(int stackAddress) {
        this.stackAddress = stackAddress;
    }

    /**
     * bind(2), Linux inet_bind() order: EADDRNOTAVAIL for an address that is not ours, EINVAL
     * when already bound (or not CLOSED), EADDRINUSE on a conflict; port 0 picks a free one.
     */
    int bind(TcpLayer tcp, TcpSocket s, int addr, int port) {
        if (addr != 0 && addr != stackAddress) {
            return -Errno.EADDRNOTAVAIL; // ip(7): no IP_FREEBIND, no non-local bind
        } else if (s.bound || s.tcpState() != TcpState.CLOSED) {
            return -Errno.EINVAL; // bind(2): the socket is already bound
        }
        int chosen = port != 0 ? port : ports.ephemeral(tcp, s, addr);
        if (chosen < 0 || ports.conflict(tcp, s, addr, chosen)) {
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
     * here: the TCP listener's backlog is fixed, see the report).
     */
    int listen(TcpLayer tcp, TcpSocket s, int backlog) {
        TcpState st = s.tcpState();
        if (s.sockState != SockState.UNCONNECTED || (st != TcpState.CLOSED && st != TcpState.LISTEN)) {
            return -Errno.EINVAL;
        } else if (st == TcpState.LISTEN) {
            return 0;
        } else if (!s.bound) {
            int r = bind(tcp, s, 0, 0);
            if (r < 0) {
                return r;
            }
        }
        try {
            s.listener = tcp.listen(s.localAddr, s.localPort, backlog, s.settings.tcpOptions());
        } catch (TcpException e) {
            return -Errno.of(e.error());
        }
        s.listener.setAcceptHandler(l -> s.waiters().wakeAll());
        s.listener.setChildSetup(s.settings::applyTo); // Linux: the child inherits the listener's options
        return 0;
    }

    /**
     * accept(2): EINVAL when not listening; the oldest established connection, or -EAGAIN.
     * The caller has checked for a free descriptor first, as Linux does (EMFILE before dequeuing).
     */
    TcpSocket accept(TcpSocket s, boolean nonBlocking) {
        TcpConnection c = s.listener == null ? null : s.listener.accept();
        return c == null ? null : TcpSocket.accepted(c, nonBlocking, s.settings.copy());
    }

    /**
     * connect(2), Linux __inet_stream_connect(): EISCONN when connected or listening, EALREADY
     * while a previous attempt is in progress, else a SYN and EINPROGRESS; then, if the handshake
     * is over, 0 (connected) or the error that ended it (sock_error(), else ECONNABORTED).
     */
    int connect(TcpLayer tcp, TcpSocket s, int addr, int port, long now) {
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
                int r = start(tcp, s, addr, port, now);
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

    private int start(TcpLayer tcp, TcpSocket s, int addr, int port, long now) {
        int local = s.bound && s.localAddr != 0 ? s.localAddr : stackAddress;
        if (addr == 0 || port == 0) {
            return -Errno.ECONNREFUSED; // see SocketApi: Linux would try the loopback / port 0 and be refused
        }
        try {
            s.connection = tcp.connect(new FourTuple(local, s.bound ? s.localPort : 0, addr, port),
                    s.settings.tcpOptions(), now);
        } catch (TcpException e) {
            return -Errno.of(e.error());
        }
        s.connection.setListener(s);
        s.settings.applyTo(s.connection, now);
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
                if ((mask & TcpSocket.SEND_SHUTDOWN) != 0) {
                    s.connection.shutdownOutput(now);
                }
            }
        }
        s.waiters().wakeAll();
        return result;
    }

    /**
     * close(2): a listener stops (queued connections are reset); a connection gets CLOSE, or
     * ABORT when received data was never read (RFC 1122 §4.2.2.13, as Linux tcp_close()).
     */
    void close(TcpSocket s, long now) {
        s.markClosed();
        ports.remove(s);
        if (s.listener != null) {
            stopListening(s, now);
        } else if (s.connection != null) {
            s.connection.close(now);
        }
        s.waiters().wakeAll();
    }

    private void stopListening(TcpSocket s, long now) {
        s.listener.close(now);
        s.listener = null;
    }

    /** getsockname(2): the bound or connected local address; 0.0.0.0:0 when unbound. */
    void sockName(TcpSocket s, SockAddrIn out) {
        if (s.connection != null && s.tcpState() != TcpState.CLOSED) {
            out.set(s.connection.tuple().localAddr(), s.connection.tuple().localPort());
        } else {
            out.set(s.bound ? s.localAddr : 0, s.bound ? s.localPort : 0);
        }
    }

    /** getpeername(2): ENOTCONN unless connected (Linux inet_getname(): not CLOSE, not SYN_SENT). */
    int peerName(TcpSocket s, SockAddrIn out) {
        TcpState st = s.tcpState();
        if (s.connection == null || st == TcpState.CLOSED || st == TcpState.SYN_SENT) {
            return -Errno.ENOTCONN;
        }
        out.set(s.connection.tuple().remoteAddr(), s.connection.tuple().remotePort());
        return 0;
    }
}
