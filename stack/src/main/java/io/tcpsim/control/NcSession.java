package io.tcpsim.control;

import static io.tcpsim.socket.SocketConstants.AF_INET;
import static io.tcpsim.socket.SocketConstants.AF_INET6;
import static io.tcpsim.socket.SocketConstants.POLLIN;
import static io.tcpsim.socket.SocketConstants.SHUT_WR;
import static io.tcpsim.socket.SocketConstants.SOCK_STREAM;
import static io.tcpsim.socket.SocketConstants.SOL_SOCKET;
import static io.tcpsim.socket.SocketConstants.SO_REUSEADDR;

import io.tcpsim.socket.Errno;
import io.tcpsim.socket.PollFd;
import io.tcpsim.socket.SockAddr;
import io.tcpsim.socket.SockAddrIn;
import io.tcpsim.socket.SockAddrIn6;
import io.tcpsim.socket.SocketApi;
import io.tcpsim.wire.IpAddress;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The instance's half of {@code tcpsim nc}: a connection made (or accepted) with the instance's
 * {@link SocketApi}, relayed to the client over the control socket. Client to network: frames,
 * a zero-length one is the client's end of input, answered with shutdown(SHUT_WR) as nc -N does;
 * the control socket ending without it means the client went away, and the connection is closed.
 * Network to client: raw bytes; the peer's FIN ends the client's stream.
 */
final class NcSession {
    private static final int BUFFER = 16_384;

    private final SocketChannel ch;
    private final SocketApi api;
    private final int fd;
    private final AtomicBoolean closed = new AtomicBoolean();

    private NcSession(SocketChannel ch, SocketApi api, int fd) {
        this.ch = ch;
        this.api = api;
        this.fd = fd;
    }

    /**
     * {@code nc ADDRESS PORT}: connect (AF_INET6 to an IPv6 address), then relay; a failure is one
     * error line naming the errno.
     */
    static void connect(SocketChannel ch, SocketApi api, IpAddress address, int port) throws IOException {
        SockAddr peer = address.isIpv4() ? SockAddrIn.of(address.ipv4(), port) : SockAddrIn6.of(address.bytes(), port);
        int fd = api.socket(address.isIpv4() ? AF_INET : AF_INET6, SOCK_STREAM, 0);
        if (fd < 0) {
            fail(ch, "socket: " + Errno.name(SocketApi.errno()));
        } else if (api.connect(fd, peer) < 0) {
            int errno = SocketApi.errno();
            api.close(fd);
            fail(ch, "connect " + peer + ": " + Errno.name(errno));
        } else {
            new NcSession(ch, api, fd).relay();
        }
    }

    /**
     * {@code nc -l PORT}: listen on every local address of both families (AF_INET6 on {@code ::},
     * dual stack), accept one connection (heartbeats to the client meanwhile), stop listening, relay.
     */
    static void listen(SocketChannel ch, SocketApi api, int port) throws IOException {
        int listener = api.socket(AF_INET6, SOCK_STREAM, 0);
        if (listener < 0) {
            fail(ch, "socket: " + Errno.name(SocketApi.errno()));
            return;
        }
        try {
            api.setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, 1);
            if (api.bind(listener, SockAddrIn6.of(SockAddrIn6.ANY, port)) < 0 || api.listen(listener, 1) < 0) {
                fail(ch, "bind [::]:" + port + ": " + Errno.name(SocketApi.errno()));
                return;
            }
            int fd = awaitConnection(ch, api, listener);
            api.close(listener); // nc -l takes one connection
            listener = -1;
            if (fd >= 0) {
                new NcSession(ch, api, fd).relay();
            }
        } finally {
            if (listener >= 0) {
                api.close(listener);
            }
        }
    }

    /** The accepted descriptor, or -1 when the client went away (a heartbeat could not be sent). */
    private static int awaitConnection(SocketChannel ch, SocketApi api, int listener) throws IOException {
        PollFd[] poll = {new PollFd(listener, POLLIN)};
        while (api.poll(poll, (int) ControlProtocol.HEARTBEAT.toMillis()) == 0) {
            Lines.write(ch, "\n"); // throws once the client is gone
        }
        int fd = api.accept(listener, null);
        if (fd < 0) {
            fail(ch, "accept: " + Errno.name(SocketApi.errno()));
        }
        return fd;
    }

    private static void fail(SocketChannel ch, String message) throws IOException {
        Lines.write(ch, ControlProtocol.ERROR + message + "\n");
    }

    private void relay() throws IOException {
        try {
            Lines.write(ch, ControlProtocol.OK + "\n");
            Thread up = Thread.ofVirtual().name("tcpsim-nc-up").start(this::clientToNetwork);
            if (networkToClient()) {
                up.join(); // the peer closed its half only: the client's input still goes out, until it ends
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeConnection();
        }
    }

    /** Copies what the peer sends; true when it ended with the peer's FIN (passed on as end of stream). */
    private boolean networkToClient() {
        byte[] buf = new byte[BUFFER];
        try {
            while (true) {
                long n = api.read(fd, buf, 0, buf.length);
                if (n == 0) {
                    ch.shutdownOutput();
                    return true;
                } else if (n < 0) {
                    return false;
                }
                Lines.writeFully(ch, ByteBuffer.wrap(buf, 0, (int) n));
            }
        } catch (IOException e) {
            return false;
        }
    }

    /** Frames from the client to the connection; the end of input is a half-close, a lost client a close. */
    private void clientToNetwork() {
        ByteBuffer header = ByteBuffer.allocate(Integer.BYTES);
        byte[] data = new byte[ControlProtocol.MAX_FRAME];
        try {
            while (true) {
                header.clear();
                if (!Lines.readFully(ch, header)) {
                    break;
                }
                int length = header.getInt(0);
                if (length == 0) {
                    api.shutdown(fd, SHUT_WR);
                    continue;
                } else if (length < 0 || length > ControlProtocol.MAX_FRAME
                        || !Lines.readFully(ch, ByteBuffer.wrap(data, 0, length))
                        || api.write(fd, data, 0, length) < 0) {
                    break;
                }
            }
        } catch (IOException e) {
            // the client went away: fall through to close
        }
        closeConnection();
    }

    /** Closes the connection once (the descriptor number may be reused), and the control channel. */
    private void closeConnection() {
        if (closed.compareAndSet(false, true)) {
            api.close(fd);
            try {
                ch.close();
            } catch (IOException e) {
                // nothing more to tell the client
            }
        }
    }
}
