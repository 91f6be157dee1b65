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
    int maxSeg;
    int sndBuf = DEFAULT_SNDBUF;
    int rcvBuf = DEFAULT_RCVBUF;
    volatile long rcvTimeoutNanos = FOREVER;
    volatile long sndTimeoutNanos = FOREVER;

    /** Linux sk_clone_lock(): an accepted socket starts with its listener's options. */
    SocketSettings copy() {
        SocketSettings s = new SocketSettings();
        s.reuseAddress = reuseAddress;
        s.reusePort = reusePort;
        s.keepAlive = keepAlive;
        s.noDelay = noDelay;
        s.maxSeg = maxSeg;
        s.sndBuf = sndBuf;
        s.rcvBuf = rcvBuf;
        s.rcvTimeoutNanos = rcvTimeoutNanos;
        s.sndTimeoutNanos = sndTimeoutNanos;
        return s;
    }

    /** What the TCP layer takes at listen() and connect(). */
    SocketOptions tcpOptions() {
        return new SocketOptions(reuseAddress, maxSeg);
    }
}
