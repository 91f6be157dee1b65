package io.tcpsim.socket;

import io.tcpsim.tcp.BufferRules;
import io.tcpsim.tcp.SocketOptions;
import io.tcpsim.tcp.TcpConfig;
import io.tcpsim.tcp.TcpConnection;
import java.time.Duration;

/**
 * A socket's options as setsockopt(2) left them. The timeouts are volatile (the calling thread
 * reads them while it waits); the rest is touched on the stack thread.
 */
final class SocketSettings {
    /** Linux tcp_wmem[1] and tcp_rmem[1]: a fresh TCP socket's SO_SNDBUF and SO_RCVBUF. */
    static final int DEFAULT_SNDBUF = 16_384;
    static final int DEFAULT_RCVBUF = 131_072;
    /** Linux SOCK_MIN_SNDBUF and SOCK_MIN_RCVBUF (2 and 1 times TCP_SKB_MIN_TRUESIZE, 64-bit). */
    static final int MIN_SNDBUF = 4_608;
    static final int MIN_RCVBUF = 2_304;
    /** No timeout: wait forever (Linux MAX_SCHEDULE_TIMEOUT). */
    static final long FOREVER = Long.MAX_VALUE;

    /** How SO_RCVBUF / SO_SNDBUF are reported and set: the stack's (Linux doubles them). */
    BufferRules bufferRules = BufferRules.LINUX;
    boolean reuseAddress;
    boolean reusePort;
    boolean keepAlive;
    /** SO_OOBINLINE. */
    boolean oobInline;
    /** TCP_KEEPIDLE, TCP_KEEPINTVL (seconds), TCP_KEEPCNT; 0 = the sysctl's (Linux keepalive_time 0). */
    int keepIdle;
    int keepInterval;
    int keepCount;
    /** TCP_USER_TIMEOUT in milliseconds; 0 = off. */
    int userTimeout;
    /**
     * The config's connection-establishment timeout (FreeBSD net.inet.tcp.keepinit); zero: the
     * stack has none and TCP_KEEPINIT is no option (Linux).
     */
    Duration keepInitDefault = Duration.ZERO;
    /** TCP_KEEPINIT in seconds; 0 = the sysctl's (FreeBSD TP_KEEPINIT). */
    int keepInit;
    boolean noDelay;
    boolean cork;
    int maxSeg;
    /** TCP_NOTSENT_LOWAT as set, unsigned; 0: not set ({@link NotSentLowat}). */
    int notSentLowat;
    int sndBuf = DEFAULT_SNDBUF;
    int rcvBuf = DEFAULT_RCVBUF;
    /** SO_SNDBUF / SO_RCVBUF were set (Linux SOCK_SNDBUF_LOCK, SOCK_RCVBUF_LOCK). */
    boolean sndBufSet;
    boolean rcvBufSet;
    /** TCP_CONGESTION set on the socket; null: the stack's default (net.ipv4.tcp_congestion_control). */
    String congestion;
    /** SO_LINGER: on, and the time close(2) may wait, in seconds ({@link #FOREVER}: no limit). */
    boolean linger;
    long lingerSeconds;
    /** IPV6_V6ONLY (AF_INET6 only): no IPv4 through this socket. */
    boolean v6Only;
    volatile long rcvTimeoutNanos = FOREVER;
    volatile long sndTimeoutNanos = FOREVER;

    /**
     * A fresh TCP socket's settings on a stack with this config: SO_RCVBUF reports the config's
     * receive buffer as its buffer rules do (Linux: 131072 for 65536 bytes, tcp_rmem[1]; FreeBSD:
     * net.inet.tcp.recvspace as it is). SO_SNDBUF starts at Linux's tcp_wmem[1] when the buffers
     * are doubled as Linux's, else at the config's send buffer (FreeBSD net.inet.tcp.sendspace).
     */
    static SocketSettings forTcp(TcpConfig config) {
        SocketSettings s = new SocketSettings();
        s.bufferRules = config.bufferRules();
        s.keepInitDefault = config.keepInit();
        s.rcvBuf = s.bufferRules.reported(config.receiveBuffer());
        s.sndBuf = s.bufferRules.equals(BufferRules.LINUX) ? DEFAULT_SNDBUF
                : s.bufferRules.reported(config.sendBuffer());
        return s;
    }

    /** Linux sk_clone_lock(): an accepted socket starts with its listener's options. */
    SocketSettings copy() {
        SocketSettings s = new SocketSettings();
        s.bufferRules = bufferRules;
        s.reuseAddress = reuseAddress;
        s.reusePort = reusePort;
        s.keepAlive = keepAlive;
        s.oobInline = oobInline;
        s.keepIdle = keepIdle;
        s.keepInterval = keepInterval;
        s.keepCount = keepCount;
        s.userTimeout = userTimeout;
        s.keepInitDefault = keepInitDefault;
        s.keepInit = keepInit;
        s.noDelay = noDelay;
        s.cork = cork;
        s.maxSeg = maxSeg;
        s.notSentLowat = notSentLowat;
        s.sndBuf = sndBuf;
        s.rcvBuf = rcvBuf;
        s.sndBufSet = sndBufSet;
        s.rcvBufSet = rcvBufSet;
        s.congestion = congestion;
        s.linger = linger;
        s.lingerSeconds = lingerSeconds;
        s.v6Only = v6Only;
        s.rcvTimeoutNanos = rcvTimeoutNanos;
        s.sndTimeoutNanos = sndTimeoutNanos;
        return s;
    }

    /**
     * Gives a connection the options the TCP layer keeps per connection: keep-alives, user
     * timeout, TCP_KEEPINIT, SO_OOBINLINE (at connect(), and for a listener's child as its handshake ends).
     */
    void applyTo(TcpConnection c, long now) {
        if (keepIdle != 0) {
            c.setKeepAliveIdle(Duration.ofSeconds(keepIdle), now);
        }
        if (keepInterval != 0) {
            c.setKeepAliveInterval(Duration.ofSeconds(keepInterval));
        }
        if (keepCount != 0) {
            c.setKeepAliveProbes(keepCount);
        }
        c.setUserTimeout(Duration.ofMillis(userTimeout));
        if (keepInit != 0) {
            c.setKeepInit(Duration.ofSeconds(keepInit), now);
        }
        c.setOobInline(oobInline);
        c.setKeepAlive(keepAlive, now);
    }

    /**
     * What the TCP layer takes at listen() and connect(): the buffer sizes only when set;
     * {@code ipv6Socket} for an AF_INET6 socket.
     */
    SocketOptions tcpOptions(boolean ipv6Socket) {
        return new SocketOptions(reuseAddress, maxSeg, rcvBufSet ? rcvBuf : 0, sndBufSet ? sndBuf : 0, v6Only,
                ipv6Socket);
    }
}
