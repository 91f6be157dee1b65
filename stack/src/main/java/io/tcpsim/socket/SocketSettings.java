package io.tcpsim.socket;

import io.tcpsim.tcp.SocketOptions;

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

    boolean reuseAddress;
    boolean reusePort;
    boolean keepAlive;
    boolean noDelay;
    boolean cork;
    int maxSeg;
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

    /** Linux sk_clone_lock(): an accepted socket starts with its listener's options. */
    SocketSettings copy() {
        SocketSettings s = new SocketSettings();
        s.reuseAddress = reuseAddress;
        s.reusePort = reusePort;
        s.keepAlive = keepAlive;
        s.noDelay = noDelay;
        s.cork = cork;
        s.maxSeg = maxSeg;
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

    /** What the TCP layer takes at listen() and connect(): the buffer sizes only when set. */
    SocketOptions tcpOptions() {
        return new SocketOptions(reuseAddress, maxSeg, rcvBufSet ? rcvBuf : 0, sndBufSet ? sndBuf : 0);
    }
}
