package io.tcpsim.udp;

import io.tcpsim.wire.IpAddress;
import java.util.ArrayDeque;

/**
 * One UDP socket's protocol state, Linux's {@code struct udp_sock} in short: the bound and the
 * connected address, the binding options, the receive queue with its memory charge, and
 * {@code sk_err}, the pending error. "Connected" is Linux's TCP_ESTABLISHED of a datagram socket.
 * Addresses of either family ({@link IpAddress}, IPv4 held mapped); the endpoint of an AF_INET6
 * socket ({@link #isIpv6()}) has {@code ::} as its wildcard, which takes IPv4 datagrams too unless
 * IPV6_V6ONLY, as Linux's dual-stack sockets do. Stack thread only.
 */
public final class UdpEndpoint {
    /** Linux net.core.rmem_default: a fresh socket's SO_RCVBUF. */
    public static final int DEFAULT_RCVBUF = 212_992;

    private final DatagramListener listener;
    private final UdpCounters counters;
    private final ArrayDeque<Datagram> queue = new ArrayDeque<>();
    private final boolean ipv6;
    IpAddress localAddr;
    int localPort;
    IpAddress remoteAddr;
    int remotePort;
    /** IPV6_V6ONLY of an AF_INET6 socket: the wildcard {@code ::} takes no IPv4 datagrams. */
    private boolean ipv6Only;
    boolean connected;
    /** In the layer's table: localPort is this endpoint's. */
    boolean hashed;
    /** SOCK_BINDADDR_LOCK and SOCK_BINDPORT_LOCK: bind(2) chose the address / the port. */
    boolean addressLocked;
    boolean portLocked;
    private boolean reuseAddress;
    private boolean reusePort;
    private int rcvBuf = DEFAULT_RCVBUF;
    /** sk_rmem_alloc: the truesize of the queued datagrams. */
    private int rmemAlloc;
    private UdpError error;

    UdpEndpoint(DatagramListener listener, UdpCounters counters, boolean ipv6) {
        this.listener = listener;
        this.counters = counters;
        this.ipv6 = ipv6;
        this.localAddr = wildcard();
        this.remoteAddr = wildcard();
    }

    /** The endpoint of an AF_INET6 socket. */
    public boolean isIpv6() {
        return ipv6;
    }

    /** The wildcard of the endpoint's family: {@code ::} for AF_INET6, 0.0.0.0 for AF_INET. */
    IpAddress wildcard() {
        return ipv6 ? IpAddress.ANY_IPV6 : IpAddress.ANY_IPV4;
    }

    public boolean ipv6Only() {
        return ipv6Only;
    }

    /** IPV6_V6ONLY; the socket layer allows it only on an AF_INET6 endpoint without a port. */
    public void setIpv6Only(boolean on) {
        ipv6Only = on;
    }

    /** The bound (or, once connected, the source) address; the family's wildcard when none. */
    public IpAddress localAddr() {
        return localAddr;
    }

    public int localPort() {
        return localPort;
    }

    /** The connected peer's address, the family's wildcard when not connected. */
    public IpAddress remoteAddr() {
        return remoteAddr;
    }

    /** The connected peer's port, 0 when not connected (or connected to port 0, as Linux allows). */
    public int remotePort() {
        return remotePort;
    }

    public boolean isConnected() {
        return connected;
    }

    /** A local port is bound (by bind(2) or automatically). */
    public boolean isBound() {
        return hashed;
    }

    public boolean reuseAddress() {
        return reuseAddress;
    }

    public void setReuseAddress(boolean on) {
        reuseAddress = on;
    }

    public boolean reusePort() {
        return reusePort;
    }

    public void setReusePort(boolean on) {
        reusePort = on;
    }

    public int rcvBuf() {
        return rcvBuf;
    }

    /** The receive buffer limit in bytes of truesize (the socket layer has already doubled it). */
    public void setRcvBuf(int bytes) {
        rcvBuf = bytes;
    }

    /** The receive queue's charge (sk_rmem_alloc), what /proc/net/udp calls rx_queue. */
    public int rmemAlloc() {
        return rmemAlloc;
    }

    /** The next datagram, left in the queue (MSG_PEEK, FIONREAD), or null. */
    public Datagram peek() {
        return queue.peekFirst();
    }

    /** Removes and returns the next datagram, or null; counts it as InDatagrams (Linux udp_recvmsg()). */
    public Datagram take() {
        Datagram d = queue.pollFirst();
        if (d != null) {
            rmemAlloc -= d.truesize();
            counters.countInDatagram();
        }
        return d;
    }

    public int queuedDatagrams() {
        return queue.size();
    }

    public boolean hasError() {
        return error != null;
    }

    /** sock_error(): the pending error, cleared; null when none. */
    public UdpError takeError() {
        UdpError e = error;
        error = null;
        return e;
    }

    /**
     * Linux 6.18 __udp_enqueue_schedule_skb() / __sock_rcvbuf_has_space(): a datagram is queued
     * when its truesize fits what SO_RCVBUF leaves, or when the queue is empty (so that even a
     * datagram larger than the buffer gets through alone); otherwise dropped and counted
     * RcvbufErrors. Linux releases the charge lazily on reads (up to a quarter of the buffer, while
     * more datagrams wait); tcpsim at once.
     */
    boolean enqueue(Datagram d) {
        if (rmemAlloc + d.truesize() > rcvBuf && rmemAlloc != 0) {
            counters.countRcvbufError();
            return false;
        }
        queue.addLast(d);
        rmemAlloc += d.truesize();
        listener.readable(this);
        return true;
    }

    /** RFC 1122 §4.1.3.3: an ICMP error becomes the pending error (sk_err) and wakes the owner. */
    void reportError(UdpError e) {
        error = e;
        listener.errorReported(this);
    }

    void discardQueue() {
        queue.clear();
        rmemAlloc = 0;
    }

    @Override
    public String toString() {
        return "UdpEndpoint[" + localAddr + ":" + localPort
                + (connected ? " -> " + remoteAddr + ":" + remotePort : "")
                + ", queued " + queue.size() + "]";
    }
}
