package io.tcpsim.socket;

import static io.tcpsim.socket.SocketConstants.AF_INET;
import static io.tcpsim.socket.SocketConstants.SOCK_STREAM;

import io.tcpsim.tcp.TcpInfo;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * What a differential scenario sees: {@code api} (recorded) is the side under test at address
 * {@code self}; {@code kernel} is the Linux peer at {@code peer}, not recorded. Ports come from
 * {@link #port} (fresh for each run, so TIME_WAIT of one run never meets the next).
 */
final class Env {
    final Recorder api;
    final LinuxSockets kernel = new LinuxSockets();
    final int self;
    final int peer;
    private final int basePort;
    private final List<String> trace;
    private final List<Integer> peerFds = new ArrayList<>();

    Env(Sockets api, int self, int peer, int basePort, List<String> trace) {
        this.api = new Recorder(api, trace);
        this.self = self;
        this.peer = peer;
        this.basePort = basePort;
        this.trace = trace;
    }

    int port(int i) {
        return basePort + i;
    }

    /** Adds a value the scenario computed to the trace. */
    void note(String label, Object value) {
        trace.add(label + "=" + value);
    }

    /** A kernel listener at peer:port (SO_REUSEADDR). */
    int peerListen(int port) {
        int fd = peerSocket();
        kernel.setsockopt(fd, SocketConstants.SOL_SOCKET, SocketConstants.SO_REUSEADDR, 1);
        require(kernel.bind(fd, peer, port) == 0, "peer bind");
        require(kernel.listen(fd, 16) == 0, "peer listen");
        return fd;
    }

    /** A kernel socket connected (blocking) to addr:port. */
    int peerConnect(int addr, int port) {
        int fd = peerSocket();
        require(kernel.connect(fd, addr, port) == 0, "peer connect errno " + kernel.errno());
        return fd;
    }

    int peerAccept(int listener) {
        int fd = kernel.accept4(listener, 0);
        require(fd >= 0, "peer accept errno " + kernel.errno());
        peerFds.add(fd);
        return fd;
    }

    void peerSend(int fd, byte[] data) {
        require(kernel.send(fd, data, data.length, 0) == data.length, "peer send");
    }

    /** SO_LINGER {1, 0} and close: the kernel sends a RST. */
    void peerReset(int fd) {
        kernel.lingerZero(fd);
        peerClose(fd);
    }

    void peerClose(int fd) {
        kernel.close(fd);
        peerFds.remove(Integer.valueOf(fd));
    }

    /** api: a socket listening on the wildcard address at port(i). */
    int listening(int i) {
        int fd = api.socket(AF_INET, SOCK_STREAM, 0);
        api.setsockopt(fd, SocketConstants.SOL_SOCKET, SocketConstants.SO_REUSEADDR, 1);
        api.bind(fd, 0, port(i));
        api.listen(fd, 16);
        return fd;
    }

    /** api: a socket connected to a kernel listener at peer:port(i); the kernel's side is accepted. */
    int[] connectedToPeer(int i) {
        int listener = peerListen(port(i));
        int fd = api.socket(AF_INET, SOCK_STREAM, 0);
        api.connect(fd, peer, port(i));
        return new int[] {fd, peerAccept(listener)};
    }

    /** A kernel UDP socket bound to peer:port, whose receives give up after 2 s. */
    int peerUdp(int port) {
        int fd = kernel.socket(AF_INET, SocketConstants.SOCK_DGRAM, 0);
        require(fd >= 0, "peer udp socket");
        peerFds.add(fd);
        kernel.setTimeout(fd, SocketConstants.SO_RCVTIMEO, 2, 0);
        require(kernel.bind(fd, peer, port) == 0, "peer udp bind errno " + kernel.errno());
        return fd;
    }

    void peerSendTo(int fd, byte[] data, int addr, int port) {
        require(kernel.sendto(fd, data, data.length, 0, addr, port) == data.length, "peer sendto errno " + kernel.errno());
    }

    /** The next datagram the kernel socket receives (at most 2 s away), or null; from gets its sender. */
    byte[] peerRecv(int fd, int[] from) {
        byte[] buf = new byte[65_536];
        long n = kernel.recvfrom(fd, buf, buf.length, 0, from);
        return n < 0 ? null : Arrays.copyOf(buf, (int) n);
    }

    /** A kernel listener at peer:port with SO_RCVBUF set first (0: left alone). */
    int peerListen(int port, int rcvbuf) {
        int fd = peerSocket();
        kernel.setsockopt(fd, SocketConstants.SOL_SOCKET, SocketConstants.SO_REUSEADDR, 1);
        if (rcvbuf > 0) {
            kernel.setsockopt(fd, SocketConstants.SOL_SOCKET, SocketConstants.SO_RCVBUF, rcvbuf);
        }
        require(kernel.bind(fd, peer, port) == 0, "peer bind");
        require(kernel.listen(fd, 16) == 0, "peer listen");
        return fd;
    }

    /** The kernel peer's poll(2) of one descriptor: revents, 0 on timeout. */
    int peerPoll(int fd, int events, int timeoutMillis) {
        return kernel.poll(fd, events, timeoutMillis);
    }

    /**
     * What the kernel peer reads within the time: up to max bytes, waiting for each chunk at most
     * timeoutMillis; stops early at end of stream (then {@link #peerEof} is set) or an error.
     */
    byte[] peerRead(int fd, int max, int timeoutMillis) {
        byte[] all = new byte[max];
        int got = 0;
        peerEof = false;
        while (got < max && kernel.poll(fd, SocketConstants.POLLIN, timeoutMillis) > 0) {
            byte[] chunk = new byte[max - got];
            long n = kernel.recv(fd, chunk, chunk.length, SocketConstants.MSG_DONTWAIT);
            if (n <= 0) {
                peerEof = n == 0;
                break;
            }
            System.arraycopy(chunk, 0, all, got, (int) n);
            got += (int) n;
        }
        return Arrays.copyOf(all, got);
    }

    /** The last {@link #peerRead} ended at the peer's end of stream. */
    boolean peerEof;

    /** The kernel peer's TCP_INFO of fd: {snd_wscale, rcv_wscale, snd_wnd}. */
    int[] peerInfo(int fd) {
        return kernel.tcpInfo(fd);
    }

    /** The kernel peer's tcpi_segs_in of fd: the segments it has received from the side under test. */
    long peerSegsIn(int fd) {
        byte[] b = new byte[TcpInfo.SIZE];
        int[] len = {b.length};
        require(kernel.getsockopt(fd, SocketConstants.IPPROTO_TCP, SocketConstants.TCP_INFO, b, len) == 0,
                "peer TCP_INFO errno " + kernel.errno());
        return TcpInfo.wrap(b, len[0]).segsIn();
    }

    void closeAll() {
        api.closeAll();
        for (int fd : peerFds) {
            kernel.close(fd);
        }
    }

    private int peerSocket() {
        int fd = kernel.socket(AF_INET, SOCK_STREAM, 0);
        require(fd >= 0, "peer socket");
        peerFds.add(fd);
        return fd;
    }

    private static void require(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException(what + " failed");
        }
    }
}
