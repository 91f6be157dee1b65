package io.tcpsim.app;

import static io.tcpsim.socket.SocketConstants.AF_INET;
import static io.tcpsim.socket.SocketConstants.AF_INET6;
import static io.tcpsim.socket.SocketConstants.SOCK_STREAM;
import static io.tcpsim.socket.SocketConstants.SOL_SOCKET;
import static io.tcpsim.socket.SocketConstants.SO_REUSEADDR;

import io.tcpsim.socket.Errno;
import io.tcpsim.socket.SockAddr;
import io.tcpsim.socket.SockAddrIn;
import io.tcpsim.socket.SockAddrIn6;
import io.tcpsim.socket.SocketApi;
import java.io.IOException;

/**
 * A listening socket with an accept loop on a virtual thread and a virtual thread per connection,
 * the shape of the seeds' C servers (socket, bind, listen, then accept and serve) with threads in
 * place of fork(2).
 */
final class TcpService implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(TcpService.class.getName());
    static final int BACKLOG = 128;

    private final SocketApi api;
    private final String name;
    private final int listener;
    private final boolean ipv6;
    private final ConnectionHandler handler;
    private final LiveConnections live;
    private volatile boolean closed;

    private TcpService(SocketApi api, String name, int listener, boolean ipv6, ConnectionHandler handler,
                       LiveConnections live) {
        this.api = api;
        this.name = name;
        this.listener = listener;
        this.ipv6 = ipv6;
        this.handler = handler;
        this.live = live;
    }

    /**
     * Binds {@code local} and starts accepting; IOException when socket, bind or listen fails. An
     * AF_INET6 address ({@code ::}) serves both families (dual stack, IPV6_V6ONLY off).
     */
    static TcpService start(SocketApi api, String name, SockAddr local, ConnectionHandler handler,
            LiveConnections live) throws IOException {
        int fd = api.socket(local instanceof SockAddrIn6 ? AF_INET6 : AF_INET, SOCK_STREAM, 0);
        if (fd < 0) {
            throw failure(name, "socket");
        }
        api.setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, 1);
        if (api.bind(fd, local) < 0 || api.listen(fd, BACKLOG) < 0) {
            IOException e = failure(name, "bind/listen " + local);
            api.close(fd);
            throw e;
        }
        TcpService service = new TcpService(api, name, fd, local instanceof SockAddrIn6, handler, live);
        Thread.ofVirtual().name(name + "-accept").start(service::acceptLoop);
        return service;
    }

    private void acceptLoop() {
        while (!closed) {
            SockAddr peer = ipv6 ? new SockAddrIn6() : new SockAddrIn();
            int fd = api.accept(listener, peer);
            if (fd >= 0) {
                live.add(fd, name, peer);
                Thread.ofVirtual().name(name + "-" + fd).start(() -> serve(fd));
            } else if (closed || SocketApi.errno() == Errno.EBADF) {
                return;
            } else {
                LOG.log(System.Logger.Level.WARNING, name + ": accept failed: " + Errno.name(SocketApi.errno()));
            }
        }
    }

    private void serve(int fd) {
        try {
            handler.serve(api, fd);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, name + ": connection " + fd + " ended: " + e.getMessage());
        } finally {
            live.remove(fd);
            api.close(fd);
        }
    }

    private static IOException failure(String name, String call) {
        return new IOException(name + ": " + call + " failed: " + Errno.name(SocketApi.errno()));
    }

    /** Stops accepting; connections being served go on until their peers leave. */
    @Override
    public void close() {
        closed = true;
        api.close(listener);
    }
}
