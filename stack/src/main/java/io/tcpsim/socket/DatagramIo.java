package io.tcpsim.socket;

import static io.tcpsim.socket.SocketApi.fail;
import static io.tcpsim.socket.SocketApi.result;

import io.tcpsim.udp.Datagram;
import io.tcpsim.udp.UdpEndpoint;
import io.tcpsim.udp.UdpLayer;
import io.tcpsim.wire.IpAddress;

/**
 * The I/O calls on a UDP socket (send, sendto, sendmsg, write, writev; recv, recvfrom, recvmsg,
 * read, readv), after Linux udp_sendmsg() and udp_recvmsg(); a vector is one datagram. A send
 * never blocks: tcpsim transmits each datagram at once, so the send buffer never fills (SO_SNDBUF
 * is kept, not enforced, and MSG_MORE corking is not supported). A receive parks the caller
 * until a datagram, an error, a shutdown, a close or SO_RCVTIMEO.
 */
final class DatagramIo {
    /** Linux: udp_sendmsg() refuses more than 0xFFFF bytes before it looks at the address. */
    private static final int MAX_LENGTH_FIELD = 0xFFFF;
    /** sizeof(struct sockaddr_in): recvmsg's msg_namelen for a UDP sender. */
    private static final int SOCKADDR_IN_LENGTH = 16;
    /** sizeof(struct sockaddr_in6): msg_namelen on an AF_INET6 socket. */
    private static final int SOCKADDR_IN6_LENGTH = 28;

    private final SocketApi api;

    DatagramIo(SocketApi api) {
        this.api = api;
    }

    /**
     * sendto(2) and sendmsg(2) of the bytes of {@code v} as one datagram; {@code to} null is
     * send(2). Linux order: an unbound socket is bound to an ephemeral port first
     * (inet_send_prepare(), EAGAIN when none is free, and the port stays even when the send then
     * fails); EMSGSIZE above 65535; EOPNOTSUPP for MSG_OOB; the address (read as a sockaddr_in,
     * {@link DatagramCalls#asIpv4}): EAFNOSUPPORT unless AF_INET or AF_UNSPEC, EINVAL for port 0;
     * without one EDESTADDRREQ unless connected (a connected socket may still name another
     * destination); EMSGSIZE above 65507 (the IPv4 limit); then the pending error (and it is
     * cleared), EPIPE after SHUT_WR. An AF_INET6 socket reads its address as Linux udpv6_sendmsg()
     * ({@link DatagramNames#destination6}: EINVAL for another family); over IPv6 the limit is
     * 65527 bytes.
     */
    long send(UdpSocket s, IoVector v, int flags, SockAddr to) {
        // One step through the vector, cut just past the largest length so that EMSGSIZE still shows.
        int hint = Math.min(v.length(), MAX_LENGTH_FIELD + 1);
        return result(api.onStack(now -> s.isClosed() ? -Errno.EBADF
                : v.write(0, hint, (buf, off, len) -> sendOnce(s, buf, off, len, flags, to))));
    }

    private int sendOnce(UdpSocket s, byte[] buf, int off, int len, int flags, SockAddr to) {
        UdpEndpoint e = s.endpoint;
        if (!api.stack.udp().autobind(e)) {
            return -Errno.EAGAIN;
        } else if (len > MAX_LENGTH_FIELD) {
            return -Errno.EMSGSIZE;
        } else if ((flags & SocketConstants.MSG_OOB) != 0) {
            return -Errno.EOPNOTSUPP;
        }
        DatagramNames.Target dest = destination(s, to);
        if (dest.failed()) {
            return -dest.errno();
        } else if (len > UdpLayer.maxPayload(dest.addr())) {
            return -Errno.EMSGSIZE;
        }
        int error = s.takeError();
        if (error != 0) {
            return -error; // sock_alloc_send_pskb(): sock_error() first
        } else if ((s.shutdown & TcpSocket.SEND_SHUTDOWN) != 0) {
            return -Errno.EPIPE;
        }
        api.stack.udp().send(e, dest.addr(), dest.port(), buf, off, len);
        return len;
    }

    /**
     * Where a datagram goes: {@code to}, else the connected peer (EDESTADDRREQ unless connected).
     * AF_INET: EAFNOSUPPORT unless AF_INET or AF_UNSPEC, EINVAL for port 0, ENETUNREACH for
     * INADDR_ANY (Linux routes it to the loopback, which tcpsim lacks). AF_INET6: AF_UNSPEC is no
     * address, else {@link DatagramNames#destination6}, then EINVAL for port 0.
     */
    private DatagramNames.Target destination(UdpSocket s, SockAddr to) {
        UdpEndpoint e = s.endpoint;
        boolean six = s.family == SocketConstants.AF_INET6;
        if (to == null || (six && to.family() == SocketConstants.AF_UNSPEC)) {
            if (!e.isConnected()) {
                return DatagramNames.Target.error(Errno.EDESTADDRREQ);
            }
            return DatagramNames.Target.of(e.remoteAddr(), e.remotePort());
        } else if (six) {
            DatagramNames.Target t = api.datagrams.names().destination6(e, to, Errno.ENETUNREACH, Errno.EINVAL);
            return !t.failed() && t.port() == 0 ? DatagramNames.Target.error(Errno.EINVAL) : t;
        }
        SockAddrIn in = DatagramCalls.asIpv4(to);
        if (in.family() != SocketConstants.AF_INET && in.family() != SocketConstants.AF_UNSPEC) {
            return DatagramNames.Target.error(Errno.EAFNOSUPPORT);
        } else if (in.port() == 0) {
            return DatagramNames.Target.error(Errno.EINVAL);
        } else if (in.address() == 0) {
            return DatagramNames.Target.error(Errno.ENETUNREACH);
        }
        return DatagramNames.Target.of(IpAddress.ofIpv4(in.address()), in.port());
    }

    /**
     * recvfrom(2), recvmsg(2), read(2) into {@code v}; {@code from} (may be null) receives the
     * sender, and {@code msg} (may be null) the name length and MSG_TRUNC when the datagram was
     * longer than the room. Linux __skb_recv_udp() and udp_recvmsg(): the pending error first
     * (cleared), even before queued datagrams; then the next datagram, whose bytes past the room
     * are lost (MSG_PEEK leaves it queued); the result is the bytes copied, or the datagram's real
     * length with MSG_TRUNC. With nothing queued a blocking call waits, and returns 0 once SHUT_RD
     * was called; a non-blocking one says EAGAIN. MSG_ERRQUEUE: EAGAIN, the error queue is always
     * empty without IP_RECVERR.
     */
    long receive(UdpSocket s, IoVector v, int flags, SockAddr from, MsgHdr msg) {
        if ((flags & SocketConstants.MSG_ERRQUEUE) != 0) {
            return fail(Errno.EAGAIN);
        }
        WaitQueue.Waiter waiter = new WaitQueue.Waiter();
        s.waiters().add(waiter);
        try {
            long deadline = DataCalls.deadline(s.settings.rcvTimeoutNanos);
            boolean wait = !s.nonBlocking() && (flags & SocketConstants.MSG_DONTWAIT) == 0
                    && deadline != Long.MIN_VALUE;
            while (true) {
                int r = api.onStack(now -> s.isClosed() ? -Errno.EBADF : receiveOnce(s, v, flags, from, msg, wait));
                if (r != -Errno.EAGAIN || !wait) {
                    return result(r);
                }
                int w = waiter.await(deadline);
                if (w < 0) {
                    return fail(-w);
                }
            }
        } finally {
            s.waiters().remove(waiter);
        }
    }

    private static int receiveOnce(UdpSocket s, IoVector v, int flags, SockAddr from, MsgHdr msg, boolean wait) {
        int error = s.takeError();
        if (error != 0) {
            return -error;
        }
        Datagram d = s.endpoint.peek();
        if (d == null) {
            return wait && (s.shutdown & TcpSocket.RCV_SHUTDOWN) != 0 ? 0 : -Errno.EAGAIN;
        }
        int copied = v.read(0, d.length(), (buf, off, len) -> {
            int n = Math.min(len, d.length());
            System.arraycopy(d.data(), 0, buf, off, n);
            return n;
        });
        if ((flags & SocketConstants.MSG_PEEK) == 0) {
            s.endpoint.take();
        }
        if (from != null) {
            Ipv6Names.fill(from, s.family, d.srcAddr(), d.srcPort(), false);
        }
        if (msg != null) {
            int nameLength = s.family == SocketConstants.AF_INET6 ? SOCKADDR_IN6_LENGTH : SOCKADDR_IN_LENGTH;
            msg.nameLength = from == null ? 0 : nameLength;
            msg.controlLength = 0;
            msg.flags = copied < d.length() ? SocketConstants.MSG_TRUNC : 0;
        }
        return (flags & SocketConstants.MSG_TRUNC) != 0 ? d.length() : copied;
    }
}
