package io.tcpsim.socket;

import static io.tcpsim.socket.SocketConstants.IPPROTO_TCP;
import static io.tcpsim.socket.SocketConstants.SOCK_STREAM;
import static io.tcpsim.socket.SocketConstants.SOL_SOCKET;
import static io.tcpsim.socket.SocketConstants.SO_ACCEPTCONN;
import static io.tcpsim.socket.SocketConstants.SO_ERROR;
import static io.tcpsim.socket.SocketConstants.SO_KEEPALIVE;
import static io.tcpsim.socket.SocketConstants.SO_RCVBUF;
import static io.tcpsim.socket.SocketConstants.SO_RCVTIMEO;
import static io.tcpsim.socket.SocketConstants.SO_REUSEADDR;
import static io.tcpsim.socket.SocketConstants.SO_REUSEPORT;
import static io.tcpsim.socket.SocketConstants.SO_SNDBUF;
import static io.tcpsim.socket.SocketConstants.SO_SNDTIMEO;
import static io.tcpsim.socket.SocketConstants.SO_TYPE;
import static io.tcpsim.socket.SocketConstants.TCP_MAXSEG;
import static io.tcpsim.socket.SocketConstants.TCP_NODELAY;

import io.tcpsim.tcp.SocketOptions;
import io.tcpsim.tcp.TcpState;
import java.util.concurrent.TimeUnit;

/**
 * setsockopt(2) and getsockopt(2) on a TCP socket, on the stack thread: socket(7) for SOL_SOCKET,
 * tcp(7) for IPPROTO_TCP. Results are the value (get) or 0 (set), or -errno.
 */
final class SocketOptionCalls {
    /** Linux MAX_TCP_WINDOW: the largest TCP_MAXSEG accepted. */
    private static final int MAX_TCP_WINDOW = 32_767;
    /** Linux TCP_MSS_DEFAULT: what TCP_MAXSEG reads before a connection has an MSS. */
    private static final int TCP_MSS_DEFAULT = 536;

    private SocketOptionCalls() {
    }

    static int set(TcpSocket s, int level, int name, int value, SocketLimits limits) {
        SocketSettings o = s.settings;
        if (level == SOL_SOCKET) {
            switch (name) {
                case SO_REUSEADDR -> o.reuseAddress = value != 0;
                case SO_REUSEPORT -> o.reusePort = value != 0;
                case SO_KEEPALIVE -> o.keepAlive = value != 0;
                // socket(7): the kernel doubles the value; Linux caps it at wmem_max/rmem_max first
                // (as unsigned, so a negative value means the cap) and floors it at SOCK_MIN_*.
                case SO_SNDBUF -> o.sndBuf = Math.max(2 * capped(value, limits.wmemMax()), SocketSettings.MIN_SNDBUF);
                case SO_RCVBUF -> o.rcvBuf = Math.max(2 * capped(value, limits.rmemMax()), SocketSettings.MIN_RCVBUF);
                // Linux: an int is shorter than struct timeval (sock_copy_user_timeval()).
                case SO_RCVTIMEO, SO_SNDTIMEO -> {
                    return -Errno.EINVAL;
                }
                // socket(7): SO_TYPE, SO_ERROR, SO_ACCEPTCONN are read-only; Linux says ENOPROTOOPT.
                default -> {
                    return -Errno.ENOPROTOOPT;
                }
            }
            return 0;
        } else if (level == IPPROTO_TCP) {
            return setTcp(s, name, value);
        }
        return -Errno.ENOPROTOOPT; // Linux ip_setsockopt(): any other level
    }

    private static int setTcp(TcpSocket s, int name, int value) {
        switch (name) {
            case TCP_NODELAY -> s.settings.noDelay = value != 0;
            case TCP_MAXSEG -> {
                // tcp(7) / Linux do_tcp_setsockopt(): 0 resets, else TCP_MIN_MSS..MAX_TCP_WINDOW.
                if (value != 0 && (value < SocketOptions.MIN_MAX_SEG || value > MAX_TCP_WINDOW)) {
                    return -Errno.EINVAL;
                }
                s.settings.maxSeg = value;
            }
            default -> {
                return -Errno.ENOPROTOOPT;
            }
        }
        return 0;
    }

    static long get(TcpSocket s, int level, int name) {
        SocketSettings o = s.settings;
        if (level == SOL_SOCKET) {
            return switch (name) {
                case SO_REUSEADDR -> o.reuseAddress ? 1 : 0;
                case SO_REUSEPORT -> o.reusePort ? 1 : 0;
                case SO_KEEPALIVE -> o.keepAlive ? 1 : 0;
                case SO_TYPE -> SOCK_STREAM;
                case SO_ERROR -> s.takeError();
                case SO_ACCEPTCONN -> s.tcpState() == TcpState.LISTEN ? 1 : 0;
                case SO_SNDBUF -> o.sndBuf;
                case SO_RCVBUF -> o.rcvBuf;
                case SO_RCVTIMEO, SO_SNDTIMEO -> -Errno.EINVAL;
                default -> -Errno.ENOPROTOOPT;
            };
        } else if (level == IPPROTO_TCP) {
            return switch (name) {
                case TCP_NODELAY -> o.noDelay ? 1 : 0;
                case TCP_MAXSEG -> maxSeg(s);
                default -> -Errno.ENOPROTOOPT;
            };
        }
        return -Errno.ENOPROTOOPT;
    }

    /**
     * Linux do_tcp_getsockopt(TCP_MAXSEG): the MSS in use (mss_cache, TCP_MSS_DEFAULT before a
     * connection); in CLOSE and LISTEN the user's value when one is set.
     */
    private static int maxSeg(TcpSocket s) {
        TcpState st = s.tcpState();
        if (s.settings.maxSeg != 0 && (st == TcpState.CLOSED || st == TcpState.LISTEN)) {
            return s.settings.maxSeg;
        }
        return s.connection == null || st == TcpState.SYN_SENT ? TCP_MSS_DEFAULT : s.connection.sndMss();
    }

    /**
     * SO_RCVTIMEO / SO_SNDTIMEO (socket(7)): EDOM for microseconds outside 0..999999; Linux
     * sock_set_timeout(): a negative second count sets a zero timeout (the call then does not
     * wait at all), 0:0 means forever.
     */
    static int setTimeout(TcpSocket s, int level, int name, Timeval tv) {
        return setTimeout(s.settings, level, name, tv);
    }

    /** {@link #setTimeout(TcpSocket, int, int, Timeval)} for any socket's settings. */
    static int setTimeout(SocketSettings o, int level, int name, Timeval tv) {
        if (level != SOL_SOCKET || (name != SO_RCVTIMEO && name != SO_SNDTIMEO)) {
            return level == SOL_SOCKET || level == IPPROTO_TCP ? -Errno.EINVAL : -Errno.ENOPROTOOPT;
        } else if (tv.usec() < 0 || tv.usec() >= 1_000_000) {
            return -Errno.EDOM;
        }
        long nanos;
        if (tv.sec() < 0) {
            nanos = 0;
        } else if (tv.sec() == 0 && tv.usec() == 0) {
            nanos = SocketSettings.FOREVER;
        } else {
            nanos = TimeUnit.SECONDS.toNanos(tv.sec()) + TimeUnit.MICROSECONDS.toNanos(tv.usec());
        }
        if (name == SO_RCVTIMEO) {
            o.rcvTimeoutNanos = nanos;
        } else {
            o.sndTimeoutNanos = nanos;
        }
        return 0;
    }

    /** The timeout as a timeval, 0:0 for none; null for an option that is not a timeout. */
    static Timeval getTimeout(TcpSocket s, int level, int name) {
        return getTimeout(s.settings, level, name);
    }

    /** {@link #getTimeout(TcpSocket, int, int)} for any socket's settings. */
    static Timeval getTimeout(SocketSettings o, int level, int name) {
        if (level != SOL_SOCKET || (name != SO_RCVTIMEO && name != SO_SNDTIMEO)) {
            return null;
        }
        long nanos = name == SO_RCVTIMEO ? o.rcvTimeoutNanos : o.sndTimeoutNanos;
        if (nanos == SocketSettings.FOREVER) {
            return Timeval.ZERO;
        }
        long usec = TimeUnit.NANOSECONDS.toMicros(nanos);
        return new Timeval(usec / 1_000_000, usec % 1_000_000);
    }

    static int capped(int value, int max) {
        return Integer.compareUnsigned(value, max) > 0 ? max : value;
    }
}
