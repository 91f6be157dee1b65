package io.tcpsim.app;

import static io.tcpsim.socket.SocketConstants.AF_INET;
import static io.tcpsim.socket.SocketConstants.AF_INET6;
import static io.tcpsim.socket.SocketConstants.SOCK_DGRAM;

import io.tcpsim.socket.Errno;
import io.tcpsim.socket.SockAddr;
import io.tcpsim.socket.SockAddrIn;
import io.tcpsim.socket.SockAddrIn6;
import io.tcpsim.socket.SocketApi;
import java.io.IOException;

/**
 * A UDP socket bound to a service's port and one virtual thread that answers each datagram to its
 * sender, the shape of inetd's datagram services (socket, bind, then recvfrom and sendto). An
 * AF_INET6 socket on {@code ::} serves IPv4 (mapped) and IPv6 senders alike.
 */
final class UdpService implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(UdpService.class.getName());
    /** Room for the largest IPv4 datagram (65507 bytes). */
    private static final int MAX_DATAGRAM = 65_535;

    private final SocketApi api;
    private final String name;
    private final int fd;
    private final boolean ipv6;
    private final DatagramHandler handler;
    private volatile boolean closed;

    private UdpService(SocketApi api, String name, int fd, boolean ipv6, DatagramHandler handler) {
        this.api = api;
        this.name = name;
        this.fd = fd;
        this.ipv6 = ipv6;
        this.handler = handler;
    }

    /**
     * Binds {@code local} (a sockaddr_in6: an AF_INET6 socket) and starts answering; IOException
     * when socket or bind fails.
     */
    static UdpService start(SocketApi api, String name, SockAddr local, DatagramHandler handler) throws IOException {
        boolean ipv6 = local instanceof SockAddrIn6;
        int fd = api.socket(ipv6 ? AF_INET6 : AF_INET, SOCK_DGRAM, 0);
        if (fd < 0) {
            throw new IOException(name + "/udp: socket failed: " + Errno.name(SocketApi.errno()));
        }
        if (api.bind(fd, local) < 0) {
            IOException e = new IOException(name + "/udp: bind " + local + " failed: " + Errno.name(SocketApi.errno()));
            api.close(fd);
            throw e;
        }
        UdpService service = new UdpService(api, name, fd, ipv6, handler);
        Thread.ofVirtual().name(name + "-udp").start(service::serve);
        return service;
    }

    private void serve() {
        byte[] buf = new byte[MAX_DATAGRAM];
        while (!closed) {
            SockAddr from = ipv6 ? new SockAddrIn6() : new SockAddrIn();
            long n = api.recvfrom(fd, buf, 0, buf.length, 0, from);
            if (n >= 0) {
                answer(buf, (int) n, from);
            } else if (closed || SocketApi.errno() == Errno.EBADF) {
                return;
            } else {
                LOG.log(System.Logger.Level.DEBUG, name + "/udp: recvfrom failed: " + Errno.name(SocketApi.errno()));
            }
        }
    }

    /** A failed sendto (a pending ICMP error, say) loses that answer only, as with inetd. */
    private void answer(byte[] request, int length, SockAddr to) {
        byte[] reply = handler.answer(request, length);
        if (reply != null && api.sendto(fd, reply, 0, reply.length, 0, to) < 0) {
            LOG.log(System.Logger.Level.DEBUG, name + "/udp: sendto " + to + " failed: "
                    + Errno.name(SocketApi.errno()));
        }
    }

    /** Stops answering. */
    @Override
    public void close() {
        closed = true;
        api.close(fd);
    }
}
