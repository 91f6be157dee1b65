package io.tcpsim.socket;

import static io.tcpsim.socket.SocketConstants.AF_INET6;
import static io.tcpsim.socket.SocketConstants.IPPROTO_IP;
import static io.tcpsim.socket.SocketConstants.IPPROTO_IPV6;
import static io.tcpsim.socket.SocketConstants.IPPROTO_TCP;
import static io.tcpsim.socket.SocketConstants.IPV6_V6ONLY;
import static io.tcpsim.socket.SocketConstants.SOCK_STREAM;
import static io.tcpsim.socket.SocketConstants.SOL_SOCKET;
import static io.tcpsim.socket.SocketConstants.SO_ACCEPTCONN;
import static io.tcpsim.socket.SocketConstants.SO_ERROR;
import static io.tcpsim.socket.SocketConstants.SO_KEEPALIVE;
import static io.tcpsim.socket.SocketConstants.SO_OOBINLINE;
import static io.tcpsim.socket.SocketConstants.SO_RCVBUF;
import static io.tcpsim.socket.SocketConstants.SO_RCVTIMEO;
import static io.tcpsim.socket.SocketConstants.SO_REUSEADDR;
import static io.tcpsim.socket.SocketConstants.SO_REUSEPORT;
import static io.tcpsim.socket.SocketConstants.SO_SNDBUF;
import static io.tcpsim.socket.SocketConstants.SO_SNDTIMEO;
import static io.tcpsim.socket.SocketConstants.SO_TYPE;
import static io.tcpsim.socket.SocketConstants.TCP_CORK;
import static io.tcpsim.socket.SocketConstants.TCP_KEEPCNT;
import static io.tcpsim.socket.SocketConstants.TCP_KEEPIDLE;
import static io.tcpsim.socket.SocketConstants.TCP_KEEPINIT;
import static io.tcpsim.socket.SocketConstants.TCP_KEEPINTVL;
import static io.tcpsim.socket.SocketConstants.TCP_MAXSEG;
import static io.tcpsim.socket.SocketConstants.TCP_NODELAY;
import static io.tcpsim.socket.SocketConstants.TCP_NOTSENT_LOWAT;
import static io.tcpsim.socket.SocketConstants.TCP_USER_TIMEOUT;

import io.tcpsim.tcp.SocketOptions;
import io.tcpsim.tcp.TcpConfig;
import io.tcpsim.tcp.TcpConnection;
import io.tcpsim.tcp.TcpState;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * setsockopt(2) and getsockopt(2) on a TCP socket, on the stack thread ({@link OptionBytes} has
 * the C form): socket(7) for SOL_SOCKET, tcp(7) for IPPROTO_TCP, ipv6(7) IPV6_V6ONLY; SO_LINGER
 * and the timeouts on any socket's settings. Results are the value (get) or 0 (set), or -errno.
 * Options that apply to the connection (TCP_NODELAY, TCP_CORK, TCP_CONGESTION, the
 * buffer sizes, keep-alives, TCP_USER_TIMEOUT, SO_OOBINLINE) reach it at once when there is one,
 * else at connect(2) or, for a listener's child, as its handshake ends or at accept(2).
 */
final class SocketOptionCalls {
    /**
     * Linux's CONFIG_HZ on Debian's kernels: SO_LINGER keeps its time in jiffies, and an
     * unlimited time (a negative l_linger) reads back as MAX_SCHEDULE_TIMEOUT / HZ cut to an int.
     */
    static final int LINUX_HZ = 250;
    /** Linux MAX_TCP_WINDOW: the largest TCP_MAXSEG accepted. */
    private static final int MAX_TCP_WINDOW = 32_767;
    /** Linux TCP_MSS_DEFAULT: what TCP_MAXSEG reads before a connection has an MSS. */
    private static final int TCP_MSS_DEFAULT = 536;
    /** Linux MAX_TCP_KEEPIDLE, MAX_TCP_KEEPINTVL (seconds) and MAX_TCP_KEEPCNT. */
    private static final int MAX_TCP_KEEPIDLE = 32_767;
    private static final int MAX_TCP_KEEPINTVL = 32_767;
    private static final int MAX_TCP_KEEPCNT = 127;
    /** FreeBSD: UINT_MAX / hz (1000), the largest TCP_KEEPINIT in seconds. */
    private static final int MAX_TCP_KEEPINIT = 4_294_967;

    private SocketOptionCalls() {
    }

    /**
     * setsockopt(2) of an int option; options the connection keeps (keep-alives, user timeout,
     * SO_OOBINLINE) also take effect on it at once.
     */
    static int set(TcpSocket s, int level, int name, int value, SocketLimits limits, long now) {
        SocketSettings o = s.settings;
        TcpConnection c = s.connection;
        if (level == SOL_SOCKET) {
            switch (name) {
                case SO_REUSEADDR -> o.reuseAddress = value != 0;
                case SO_REUSEPORT -> o.reusePort = value != 0;
                case SO_KEEPALIVE -> {
                    o.keepAlive = value != 0;
                    if (c != null) {
                        c.setKeepAlive(o.keepAlive, now); // Linux tcp_set_keepalive()
                    }
                }
                case SO_OOBINLINE -> {
                    o.oobInline = value != 0;
                    if (c != null) {
                        c.setOobInline(o.oobInline);
                    }
                }
                // socket(7): the kernel doubles the value (BufferRules.reported; FreeBSD does not);
                // Linux caps it at wmem_max/rmem_max first (as unsigned, so a negative value means
                // the cap) and floors it at SOCK_MIN_*.
                case SO_SNDBUF -> {
                    o.sndBuf = Math.max(o.bufferRules.reported(capped(value, limits.wmemMax())),
                            SocketSettings.MIN_SNDBUF);
                    o.sndBufSet = true;
                    applyBuffers(s, 0, o.sndBuf, now);
                }
                case SO_RCVBUF -> {
                    o.rcvBuf = Math.max(o.bufferRules.reported(capped(value, limits.rmemMax())),
                            SocketSettings.MIN_RCVBUF);
                    o.rcvBufSet = true;
                    applyBuffers(s, o.rcvBuf, 0, now);
                }
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
            return setTcp(s, name, value, now);
        } else if (level == IPPROTO_IPV6 && s.family == AF_INET6) {
            return setIpv6(s, name, value);
        }
        return -Errno.ENOPROTOOPT; // Linux ip_setsockopt() / ipv6_setsockopt(): any other level
    }

    private static void applyBuffers(TcpSocket s, int receive, int send, long now) {
        if (s.connection != null && s.connection.state() != TcpState.CLOSED) {
            s.connection.setBuffers(receive, send, now);
        }
    }

    /** ipv6(7) IPV6_V6ONLY: EINVAL once the socket has a port (Linux inet_num), as bind or connect give it. */
    private static int setIpv6(TcpSocket s, int name, int value) {
        if (name != IPV6_V6ONLY) {
            return -Errno.ENOPROTOOPT;
        } else if (s.bound || s.connection != null) {
            return -Errno.EINVAL;
        }
        s.settings.v6Only = value != 0;
        return 0;
    }

    private static int setTcp(TcpSocket s, int name, int value, long now) {
        switch (name) {
            case TCP_KEEPIDLE, TCP_KEEPINTVL, TCP_KEEPCNT, TCP_USER_TIMEOUT -> {
                return setTimerOption(s.settings, s.connection, name, value, now);
            }
            case TCP_NODELAY -> {
                s.settings.noDelay = value != 0;
                if (s.connection != null) {
                    s.connection.setNoDelay(value != 0, now);
                }
            }
            case TCP_CORK -> {
                s.settings.cork = value != 0;
                if (s.connection != null) {
                    s.connection.setCork(value != 0, now);
                }
            }
            case TCP_MAXSEG -> {
                // tcp(7) / Linux do_tcp_setsockopt(): 0 resets, else TCP_MIN_MSS..MAX_TCP_WINDOW.
                if (value != 0 && (value < SocketOptions.MIN_MAX_SEG || value > MAX_TCP_WINDOW)) {
                    return -Errno.EINVAL;
                }
                s.settings.maxSeg = value;
                if (s.listener != null) {
                    s.listener.setMaxSeg(value);
                }
            }
            case TCP_NOTSENT_LOWAT -> {
                // Linux do_tcp_setsockopt(): any value (unsigned), then sk_write_space().
                s.settings.notSentLowat = value;
                if (s.connection != null) {
                    s.writable(s.connection);
                }
            }
            case TCP_KEEPINIT -> {
                return setKeepInit(s, value, now);
            }
            default -> {
                return -Errno.ENOPROTOOPT;
            }
        }
        return 0;
    }

    /**
     * FreeBSD tcp_ctloutput() TCP_KEEPINIT, seconds (an unsigned int up to UINT_MAX / hz, else
     * EINVAL; 0: the sysctl's): restarts an opening connection's establishment timer. Only where
     * the config has that timer; else ENOPROTOOPT, as on Linux.
     */
    private static int setKeepInit(TcpSocket s, int value, long now) {
        if (s.settings.keepInitDefault.isZero()) {
            return -Errno.ENOPROTOOPT;
        } else if (value < 0 || value > MAX_TCP_KEEPINIT) {
            return -Errno.EINVAL;
        }
        s.settings.keepInit = value;
        if (s.connection != null) {
            s.connection.setKeepInit(value != 0 ? Duration.ofSeconds(value) : s.settings.keepInitDefault, now);
        }
        return 0;
    }

    /**
     * tcp(7) TCP_KEEPIDLE, TCP_KEEPINTVL, TCP_KEEPCNT (Linux do_tcp_setsockopt(): 1..32767 s,
     * 1..32767 s, 1..127, else EINVAL) and TCP_USER_TIMEOUT (milliseconds, negative: EINVAL).
     */
    private static int setTimerOption(SocketSettings o, TcpConnection c, int name, int value, long now) {
        switch (name) {
            case TCP_KEEPIDLE -> {
                if (value < 1 || value > MAX_TCP_KEEPIDLE) {
                    return -Errno.EINVAL;
                }
                o.keepIdle = value;
                if (c != null) {
                    c.setKeepAliveIdle(Duration.ofSeconds(value), now);
                }
            }
            case TCP_KEEPINTVL -> {
                if (value < 1 || value > MAX_TCP_KEEPINTVL) {
                    return -Errno.EINVAL;
                }
                o.keepInterval = value;
                if (c != null) {
                    c.setKeepAliveInterval(Duration.ofSeconds(value));
                }
            }
            case TCP_KEEPCNT -> {
                if (value < 1 || value > MAX_TCP_KEEPCNT) {
                    return -Errno.EINVAL;
                }
                o.keepCount = value;
                if (c != null) {
                    c.setKeepAliveProbes(value);
                }
            }
            default -> {
                if (value < 0) {
                    return -Errno.EINVAL; // Linux tcp_sock_set_user_timeout()
                }
                o.userTimeout = value;
                if (c != null) {
                    c.setUserTimeout(Duration.ofMillis(value));
                }
            }
        }
        return 0;
    }

    /**
     * An int option's value, or -errno; {@code config} gives the sysctl defaults. Linux for the
     * levels: an unknown one is EOPNOTSUPP on an AF_INET socket (ip_getsockopt()) and ENOPROTOOPT
     * on an AF_INET6 one (ipv6_getsockopt()).
     */
    static long get(TcpSocket s, int level, int name, TcpConfig config) {
        SocketSettings o = s.settings;
        if (level == SOL_SOCKET) {
            return switch (name) {
                case SO_REUSEADDR -> o.reuseAddress ? 1 : 0;
                case SO_REUSEPORT -> o.reusePort ? 1 : 0;
                case SO_KEEPALIVE -> o.keepAlive ? 1 : 0;
                case SO_OOBINLINE -> o.oobInline ? 1 : 0;
                case SO_TYPE -> SOCK_STREAM;
                case SO_ERROR -> s.takeError();
                case SO_ACCEPTCONN -> s.tcpState() == TcpState.LISTEN ? 1 : 0;
                case SO_SNDBUF -> sendBuffer(s);
                case SO_RCVBUF -> receiveBuffer(s);
                default -> -Errno.ENOPROTOOPT;
            };
        } else if (level == IPPROTO_TCP) {
            return switch (name) {
                case TCP_NODELAY -> o.noDelay ? 1 : 0;
                case TCP_MAXSEG -> maxSeg(s);
                case TCP_CORK -> o.cork ? 1 : 0;
                // Linux keepalive_time_when() and friends: the sysctl's value until set.
                case TCP_KEEPIDLE -> o.keepIdle != 0 ? o.keepIdle : config.keepAliveTime().toSeconds();
                case TCP_KEEPINTVL -> o.keepInterval != 0 ? o.keepInterval : config.keepAliveInterval().toSeconds();
                case TCP_KEEPCNT -> o.keepCount != 0 ? o.keepCount : config.keepAliveProbes();
                case TCP_USER_TIMEOUT -> o.userTimeout;
                case TCP_NOTSENT_LOWAT -> Integer.toUnsignedLong(o.notSentLowat); // as set: 0 until then (Linux)
                // FreeBSD TP_KEEPINIT() / hz: the socket's, else the sysctl's.
                case TCP_KEEPINIT -> o.keepInitDefault.isZero() ? -Errno.ENOPROTOOPT
                        : o.keepInit != 0 ? o.keepInit : o.keepInitDefault.toSeconds();
                default -> -Errno.ENOPROTOOPT;
            };
        } else if (level == IPPROTO_IPV6 && s.family == AF_INET6) {
            return name == IPV6_V6ONLY ? (o.v6Only ? 1 : 0) : -Errno.ENOPROTOOPT;
        }
        return level == IPPROTO_IP || s.family == AF_INET6 ? -Errno.ENOPROTOOPT : -Errno.EOPNOTSUPP;
    }

    /**
     * SO_SNDBUF: as set; unset on a connection, twice the bytes its send buffer holds (Linux
     * instead grows an unset buffer with the congestion window, tcp_sndbuf_expand(): 46080 at the
     * start of a connection with MSS 1460, more later; tcpsim keeps the config's fixed buffer).
     */
    private static int sendBuffer(TcpSocket s) {
        SocketSettings o = s.settings;
        boolean live = s.connection != null && s.tcpState() != TcpState.CLOSED;
        return o.sndBufSet || !live ? o.sndBuf : o.bufferRules.reported(s.connection.sendBufferSize());
    }

    /**
     * SO_RCVBUF: as set; unset on a connection, the bytes its receive buffer holds as the buffer
     * rules report them (Linux: twice, no autotuning; FreeBSD: as rounded to the MSS).
     */
    private static int receiveBuffer(TcpSocket s) {
        SocketSettings o = s.settings;
        boolean live = s.connection != null && s.tcpState() != TcpState.CLOSED;
        return o.rcvBufSet || !live ? o.rcvBuf : o.bufferRules.reported(s.connection.receiveBufferSize());
    }

    /** TCP_CONGESTION (tcp(7)): ENOENT for an algorithm tcpsim does not have; names are case-sensitive. */
    static int setCongestion(TcpSocket s, String name) {
        if (!TcpConnection.congestionControlAvailable(name)) {
            return -Errno.ENOENT;
        }
        s.settings.congestion = name;
        if (s.connection != null) {
            s.connection.setCongestionControl(name);
        }
        return 0;
    }

    /** The socket's algorithm: its connection's, else the one set, else the stack's default. */
    static String congestion(TcpSocket s, String stackDefault) {
        if (s.connection != null) {
            return s.connection.congestionControl();
        }
        return s.settings.congestion != null ? s.settings.congestion : stackDefault;
    }

    /**
     * SO_LINGER (socket(7)), Linux sk_setsockopt(): onoff 0 turns lingering off and keeps the
     * time; a negative time (huge as unsigned) means no limit.
     */
    static int setLinger(SocketSettings o, Linger l) {
        if (l.onoff() == 0) {
            o.linger = false;
        } else {
            o.linger = true;
            o.lingerSeconds = l.linger() < 0 ? SocketSettings.FOREVER : l.linger();
        }
        return 0;
    }

    static Linger linger(SocketSettings o) {
        long seconds = o.lingerSeconds;
        int shown = seconds == SocketSettings.FOREVER ? (int) (Long.MAX_VALUE / LINUX_HZ) : (int) seconds;
        return new Linger(o.linger ? 1 : 0, shown);
    }

    /**
     * What a new or accepted connection takes from the socket's options. An accepted one got its
     * window from the listener's options at listen(2); buffer sizes set since then apply now.
     */
    static void applyToConnection(TcpSocket s, long now) {
        SocketSettings o = s.settings;
        if (o.rcvBufSet || o.sndBufSet) {
            s.connection.setBuffers(o.rcvBufSet ? o.rcvBuf : 0, o.sndBufSet ? o.sndBuf : 0, now);
        }
        if (o.noDelay) {
            s.connection.setNoDelay(true, now);
        }
        if (o.cork) {
            s.connection.setCork(true, now);
        }
        if (o.congestion != null) {
            s.connection.setCongestionControl(o.congestion);
        }
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
