package io.tcpsim.socket;

import static io.tcpsim.socket.SocketConstants.AF_INET;
import static io.tcpsim.socket.SocketConstants.F_GETFL;
import static io.tcpsim.socket.SocketConstants.IPPROTO_TCP;
import static io.tcpsim.socket.SocketConstants.IPPROTO_UDP;
import static io.tcpsim.socket.SocketConstants.MSG_DONTWAIT;
import static io.tcpsim.socket.SocketConstants.MSG_OOB;
import static io.tcpsim.socket.SocketConstants.MSG_PEEK;
import static io.tcpsim.socket.SocketConstants.MSG_TRUNC;
import static io.tcpsim.socket.SocketConstants.POLLIN;
import static io.tcpsim.socket.SocketConstants.POLLOUT;
import static io.tcpsim.socket.SocketConstants.POLLRDHUP;
import static io.tcpsim.socket.SocketConstants.SHUT_RD;
import static io.tcpsim.socket.SocketConstants.SHUT_RDWR;
import static io.tcpsim.socket.SocketConstants.SHUT_WR;
import static io.tcpsim.socket.SocketConstants.SOCK_DGRAM;
import static io.tcpsim.socket.SocketConstants.SOCK_NONBLOCK;
import static io.tcpsim.socket.SocketConstants.SOL_SOCKET;
import static io.tcpsim.socket.SocketConstants.SO_ACCEPTCONN;
import static io.tcpsim.socket.SocketConstants.SO_ERROR;
import static io.tcpsim.socket.SocketConstants.SO_RCVBUF;
import static io.tcpsim.socket.SocketConstants.SO_RCVTIMEO;
import static io.tcpsim.socket.SocketConstants.SO_REUSEADDR;
import static io.tcpsim.socket.SocketConstants.SO_REUSEPORT;
import static io.tcpsim.socket.SocketConstants.SO_SNDBUF;
import static io.tcpsim.socket.SocketConstants.SO_TYPE;
import static io.tcpsim.socket.SocketConstants.TCP_NODELAY;

import io.tcpsim.testsupport.RequiresTun;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * UDP sockets (SOCK_DGRAM) scenario by scenario, like {@link DifferentialTest}: each runs against
 * the Linux kernel (its peer: itself, over the loopback) and against tcpsim (its peer: the kernel
 * across the TUN), and the traces of return values, errno and noted values must be equal.
 */
@RequiresTun
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DatagramDifferentialTest {
    private static final byte[] HELLO = "hello".getBytes(StandardCharsets.US_ASCII);
    private static final int FOREIGN = 0x0A090909;
    private static final int WAIT_MILLIS = 2000;
    private static SocketStack stack;

    @BeforeAll
    static void start() throws Exception {
        stack = SocketStack.start(SocketLimits.LINUX_DEFAULTS.maxFiles());
    }

    @AfterAll
    static void stop() throws Exception {
        if (stack != null) {
            stack.close();
        }
    }

    private static void sameAsLinux(DifferentialTest.Scenario scenario) throws Exception {
        stack.sameAsLinux(scenario, 25000, 40);
    }

    private static int udp(Env e) {
        return e.api.socket(AF_INET, SOCK_DGRAM, 0);
    }

    /** api: a UDP socket bound to the wildcard address at port(i). */
    private static int bound(Env e, int i) {
        int fd = udp(e);
        e.api.bind(fd, 0, e.port(i));
        return fd;
    }

    /** Receives one datagram on the api side and notes its bytes and sender. */
    private static void recvAndNote(Env e, int fd, int len, int flags) {
        byte[] buf = new byte[Math.max(len, 1)];
        int[] from = {-1, -1};
        long n = e.api.recvfrom(fd, buf, len, flags, from);
        if (n >= 0) {
            e.note("data", new String(buf, 0, (int) Math.min(n, len), StandardCharsets.US_ASCII));
            e.note("from", (from[0] == e.peer) + ":" + (from[1] - e.port(0)));
        }
    }

    private static void noteName(Env e, int fd) {
        int[] name = {-1, -1};
        e.api.getsockname(fd, name);
        e.note("local address", name[0] == 0 ? "any" : name[0] == e.self ? "self" : Integer.toHexString(name[0]));
        boolean ours = name[1] >= e.port(0) && name[1] < e.port(40);
        e.note("local port", name[1] >= 32768 && name[1] <= 60999 ? "ephemeral"
                : ours ? "port(" + (name[1] - e.port(0)) + ")" : Integer.toString(name[1]));
    }

    // socket(2) and options

    @Test
    void socket_dgramProtocols_udpOnly() throws Exception {
        sameAsLinux(e -> {
            e.api.socket(AF_INET, SOCK_DGRAM, IPPROTO_UDP);
            e.api.socket(AF_INET, SOCK_DGRAM, IPPROTO_TCP);
            e.api.socket(AF_INET, SOCK_DGRAM, 1);
            e.api.fcntl(e.api.socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0), F_GETFL, 0);
        });
    }

    @Test
    void fresh_options_linuxDefaultsAndLevels() throws Exception {
        sameAsLinux(e -> {
            int fd = udp(e);
            e.api.getsockopt(fd, SOL_SOCKET, SO_TYPE);
            e.api.getsockopt(fd, SOL_SOCKET, SO_RCVBUF);
            e.api.getsockopt(fd, SOL_SOCKET, SO_SNDBUF);
            e.api.getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN);
            e.api.getsockopt(fd, SOL_SOCKET, SO_ERROR);
            e.api.getsockopt(fd, IPPROTO_TCP, TCP_NODELAY);
            e.api.getsockopt(fd, IPPROTO_UDP, 9999);
            e.api.setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, 1);
            e.api.setsockopt(fd, SOL_SOCKET, SO_RCVBUF, 1);
            e.api.getsockopt(fd, SOL_SOCKET, SO_RCVBUF);
            e.api.setsockopt(fd, SOL_SOCKET, SO_SNDBUF, 1);
            e.api.getsockopt(fd, SOL_SOCKET, SO_SNDBUF);
            e.api.fionread(fd);
        });
    }

    @Test
    void udp_listenAndAccept_eopnotsupp() throws Exception {
        sameAsLinux(e -> {
            int fd = bound(e, 1);
            e.api.listen(fd, 1);
            e.api.accept4(fd, 0);
        });
    }

    // bind(2)

    @Test
    void bind_foreignAddress_portZero_twice() throws Exception {
        sameAsLinux(e -> {
            e.api.bind(udp(e), FOREIGN, e.port(1));
            int fd = udp(e);
            e.api.bind(fd, 0, 0);
            noteName(e, fd);
            e.api.bind(fd, 0, e.port(2));
        });
    }

    @Test
    void bindConflicts_reuseaddrOrReuseportOnBoth() throws Exception {
        sameAsLinux(e -> {
            e.api.bind(udp(e), 0, e.port(1));
            e.api.bind(udp(e), 0, e.port(1));
            e.api.bind(udp(e), e.self, e.port(1));
            int[] pair = new int[4];
            int[] options = {SO_REUSEADDR, SO_REUSEADDR, SO_REUSEPORT, SO_REUSEPORT};
            for (int i = 0; i < 4; i++) {
                pair[i] = udp(e);
                e.api.setsockopt(pair[i], SOL_SOCKET, options[i], 1);
                e.api.bind(pair[i], i < 2 ? 0 : e.self, e.port(2 + i / 2));
            }
            int mixed = udp(e);
            e.api.setsockopt(mixed, SOL_SOCKET, SO_REUSEADDR, 1);
            e.api.bind(mixed, 0, e.port(3));
            int specific = udp(e);
            e.api.setsockopt(specific, SOL_SOCKET, SO_REUSEADDR, 1);
            e.api.bind(specific, e.self, e.port(2));
        });
    }

    // send(2) and sendto(2)

    @Test
    void unconnected_send_edestaddrreqButAutobound() throws Exception {
        sameAsLinux(e -> {
            int fd = udp(e);
            e.api.send(fd, HELLO, HELLO.length, 0);
            noteName(e, fd);
            e.api.getpeername(fd, new int[2]);
        });
    }

    @Test
    void sendto_portZero_einval_msgOob_eopnotsupp() throws Exception {
        sameAsLinux(e -> {
            int fd = udp(e);
            e.api.sendto(fd, HELLO, HELLO.length, 0, e.peer, 0);
            e.api.sendto(fd, HELLO, HELLO.length, MSG_OOB, e.peer, e.port(1));
        });
    }

    @Test
    void largestDatagram_65507Delivered_65508Emsgsize() throws Exception {
        sameAsLinux(e -> {
            int peer = e.peerUdp(e.port(0));
            int fd = udp(e);
            byte[] big = new byte[70_000];
            Arrays.fill(big, (byte) 'u');
            e.api.sendto(fd, big, 65_508, 0, e.peer, e.port(0));
            e.api.sendto(fd, big, 70_000, 0, e.peer, e.port(0));
            e.api.sendto(fd, big, 65_507, 0, e.peer, e.port(0));
            byte[] got = e.peerRecv(peer, new int[2]);
            e.note("peer got", got == null ? "nothing" : got.length + " bytes, same " + Arrays.equals(got,
                    Arrays.copyOf(big, 65_507)));
        });
    }

    @Test
    void connected_exchangesDatagramsAndNames() throws Exception {
        sameAsLinux(e -> {
            int peer = e.peerUdp(e.port(0));
            int fd = udp(e);
            e.api.connect(fd, e.peer, e.port(0));
            noteName(e, fd);
            int[] name = new int[2];
            e.api.getpeername(fd, name);
            e.note("peer", (name[0] == e.peer) + ":" + (name[1] - e.port(0)));
            e.api.send(fd, HELLO, HELLO.length, 0);
            int[] from = new int[2];
            byte[] got = e.peerRecv(peer, from);
            e.note("peer got", new String(got, StandardCharsets.US_ASCII) + " from self " + (from[0] == e.self));
            e.peerSendTo(peer, "back".getBytes(StandardCharsets.US_ASCII), from[0], from[1]);
            e.api.poll(fd, POLLIN, WAIT_MILLIS);
            e.api.fionread(fd);
            recvAndNote(e, fd, 16, 0);
        });
    }

    /**
     * The vector calls on UDP: writev and sendmsg each send one datagram of their buffers; recvmsg
     * and readv scatter one datagram, the rest of a longer one lost; recvmsg says the sender's
     * name length (a sockaddr_in), no control data, and MSG_TRUNC when the datagram did not fit.
     */
    @Test
    void connected_vectorCalls_oneDatagramEach_recvmsgReportsTruncation() throws Exception {
        sameAsLinux(e -> {
            int peer = e.peerUdp(e.port(0));
            int fd = udp(e);
            e.api.connect(fd, e.peer, e.port(0));
            e.api.writev(fd, new byte[][] {ascii("wri"), ascii("tev")});
            e.api.sendmsg(fd, new byte[][] {ascii("send"), new byte[0], ascii("msg")}, 0, false);
            int[] from = new int[2];
            e.note("peer got", new String(e.peerRecv(peer, from), StandardCharsets.US_ASCII));
            e.note("peer got", new String(e.peerRecv(peer, from), StandardCharsets.US_ASCII));
            e.peerSendTo(peer, ascii("0123456789"), from[0], from[1]);
            e.peerSendTo(peer, ascii("abcdef"), from[0], from[1]);
            e.peerSendTo(peer, ascii("xyz"), from[0], from[1]);
            e.api.poll(fd, POLLIN, WAIT_MILLIS);
            byte[][] small = {new byte[3], new byte[4]};
            e.api.recvmsg(fd, small, 0, new int[3]);
            e.note("data", text(small));
            e.api.poll(fd, POLLIN, WAIT_MILLIS);
            byte[][] large = {new byte[2], new byte[8]};
            e.api.readv(fd, large);
            e.note("data", text(large));
            e.api.poll(fd, POLLIN, WAIT_MILLIS);
            byte[][] room = {new byte[8]};
            e.api.recvmsg(fd, room, 0, new int[3]);
            e.note("data", text(room));
        });
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** The buffers' bytes up to the first zero, joined with '|'. */
    private static String text(byte[][] bufs) {
        StringBuilder b = new StringBuilder();
        for (byte[] buf : bufs) {
            int n = 0;
            while (n < buf.length && buf[n] != 0) {
                n++;
            }
            b.append(b.isEmpty() ? "" : "|").append(new String(buf, 0, n, StandardCharsets.US_ASCII));
        }
        return b.toString();
    }

    /** Linux allows connecting to port 0: no peer name, datagrams go to port 0, and the refusal comes back. */
    @Test
    void connectedToPortZero_noPeerNameButSendsAndIsRefused() throws Exception {
        sameAsLinux(e -> {
            int fd = udp(e);
            e.api.connect(fd, e.peer, 0);
            e.api.getpeername(fd, new int[2]);
            e.api.send(fd, HELLO, HELLO.length, 0);
            e.api.poll(fd, POLLIN, WAIT_MILLIS);
            e.api.recv(fd, new byte[16], 16, MSG_DONTWAIT);
        });
    }

    @Test
    void connected_sendtoAnotherDestination_allowed() throws Exception {
        sameAsLinux(e -> {
            e.peerUdp(e.port(0));
            int other = e.peerUdp(e.port(1));
            int fd = udp(e);
            e.api.connect(fd, e.peer, e.port(0));
            e.api.sendto(fd, HELLO, HELLO.length, 0, e.peer, e.port(1));
            byte[] got = e.peerRecv(other, new int[2]);
            e.note("other got", got == null ? "nothing" : new String(got, StandardCharsets.US_ASCII));
        });
    }

    @Test
    void connected_datagramFromAnotherSource_notDelivered() throws Exception {
        sameAsLinux(e -> {
            int peer = e.peerUdp(e.port(0));
            int stranger = e.peerUdp(e.port(1));
            int fd = bound(e, 2);
            e.api.connect(fd, e.peer, e.port(0));
            e.peerSendTo(stranger, "stranger".getBytes(StandardCharsets.US_ASCII), e.self, e.port(2));
            e.api.poll(fd, POLLIN, 300);
            e.peerSendTo(peer, HELLO, e.self, e.port(2));
            e.api.poll(fd, POLLIN, WAIT_MILLIS);
            recvAndNote(e, fd, 16, MSG_DONTWAIT);
            e.api.recv(fd, new byte[16], 16, MSG_DONTWAIT);
        });
    }

    // ICMP port unreachable

    @Test
    void connectedToClosedPort_send_thenRecvEconnrefusedOnce() throws Exception {
        sameAsLinux(e -> {
            int fd = udp(e);
            e.api.connect(fd, e.peer, e.port(0));
            e.api.send(fd, HELLO, HELLO.length, 0);
            e.api.poll(fd, POLLIN, WAIT_MILLIS);
            e.api.recv(fd, new byte[16], 16, MSG_DONTWAIT);
            e.api.recv(fd, new byte[16], 16, MSG_DONTWAIT);
        });
    }

    @Test
    void connectedToClosedPort_nextSendEconnrefused_soErrorReadAndClear() throws Exception {
        sameAsLinux(e -> {
            int fd = udp(e);
            e.api.connect(fd, e.peer, e.port(0));
            e.api.send(fd, HELLO, HELLO.length, 0);
            e.api.poll(fd, POLLIN, WAIT_MILLIS);
            e.api.send(fd, HELLO, HELLO.length, 0);
            e.api.getsockopt(fd, SOL_SOCKET, SO_ERROR);
            e.api.send(fd, HELLO, HELLO.length, 0);
            e.api.poll(fd, POLLIN, WAIT_MILLIS);
            e.api.getsockopt(fd, SOL_SOCKET, SO_ERROR);
            e.api.getsockopt(fd, SOL_SOCKET, SO_ERROR);
        });
    }

    @Test
    void unconnectedToClosedPort_errorIgnored() throws Exception {
        sameAsLinux(e -> {
            int fd = udp(e);
            e.api.sendto(fd, HELLO, HELLO.length, 0, e.peer, e.port(0));
            e.api.poll(fd, POLLIN, 300);
            e.api.getsockopt(fd, SOL_SOCKET, SO_ERROR);
            e.api.recv(fd, new byte[16], 16, MSG_DONTWAIT);
        });
    }

    // recv(2) and recvfrom(2)

    @Test
    void queuedDatagram_msgPeekThenMsgTrunc_realLengthAndConsumed() throws Exception {
        sameAsLinux(e -> {
            int peer = e.peerUdp(e.port(0));
            int fd = bound(e, 1);
            e.peerSendTo(peer, "abcdef".getBytes(StandardCharsets.US_ASCII), e.self, e.port(1));
            e.api.poll(fd, POLLIN, WAIT_MILLIS);
            e.api.fionread(fd);
            recvAndNote(e, fd, 2, MSG_PEEK);
            e.api.recv(fd, new byte[2], 2, MSG_PEEK | MSG_TRUNC);
            e.api.recv(fd, new byte[2], 2, MSG_TRUNC);
            e.api.recv(fd, new byte[16], 16, MSG_DONTWAIT);
        });
    }

    @Test
    void shortBuffer_restOfDatagramLost_nextDatagramWhole() throws Exception {
        sameAsLinux(e -> {
            int peer = e.peerUdp(e.port(0));
            int fd = bound(e, 1);
            e.peerSendTo(peer, "abcdef".getBytes(StandardCharsets.US_ASCII), e.self, e.port(1));
            e.peerSendTo(peer, "gh".getBytes(StandardCharsets.US_ASCII), e.self, e.port(1));
            e.api.poll(fd, POLLIN, WAIT_MILLIS);
            recvAndNote(e, fd, 3, 0);
            recvAndNote(e, fd, 16, 0);
        });
    }

    @Test
    void zeroLengthDatagrams_bothWays() throws Exception {
        sameAsLinux(e -> {
            int peer = e.peerUdp(e.port(0));
            int fd = bound(e, 1);
            e.api.sendto(fd, HELLO, 0, 0, e.peer, e.port(0));
            byte[] got = e.peerRecv(peer, new int[2]);
            e.note("peer got", got == null ? "nothing" : got.length + " bytes");
            e.peerSendTo(peer, new byte[0], e.self, e.port(1));
            e.api.poll(fd, POLLIN, WAIT_MILLIS);
            e.api.fionread(fd);
            e.api.recv(fd, new byte[16], 16, 0);
            e.api.recv(fd, new byte[16], 16, MSG_DONTWAIT);
        });
    }

    @Test
    void nothingQueued_blockingRecvWithRcvtimeo_eagain() throws Exception {
        sameAsLinux(e -> {
            int fd = bound(e, 1);
            e.api.setTimeout(fd, SO_RCVTIMEO, 0, 100_000);
            e.api.recv(fd, new byte[16], 16, 0);
            e.api.fcntl(fd, SocketConstants.F_SETFL, SocketConstants.O_NONBLOCK);
            e.api.recv(fd, new byte[16], 16, 0);
        });
    }

    @Test
    void smallRcvbuf_burstOfDatagrams_onlyWhatFitsIsQueued() throws Exception {
        sameAsLinux(e -> {
            int peer = e.peerUdp(e.port(0));
            int fd = udp(e);
            e.api.setsockopt(fd, SOL_SOCKET, SO_RCVBUF, 2000);
            e.api.bind(fd, 0, e.port(1));
            for (int i = 0; i < 8; i++) {
                e.peerSendTo(peer, HELLO, e.self, e.port(1));
            }
            Thread.sleep(300);
            int received = 0;
            while (e.api.recv(fd, new byte[16], 16, MSG_DONTWAIT) == HELLO.length) {
                received++;
            }
            e.note("received", received);
        });
    }

    // connect(2) with AF_UNSPEC

    @Test
    void connected_disconnect_forgetsPeerAndAutomaticPort() throws Exception {
        sameAsLinux(e -> {
            int fd = udp(e);
            e.api.connect(fd, e.peer, e.port(0));
            e.api.disconnect(fd);
            e.api.getpeername(fd, new int[2]);
            noteName(e, fd);
            e.api.send(fd, HELLO, HELLO.length, 0);
            e.api.disconnect(fd);
        });
    }

    @Test
    void boundThenConnected_disconnect_keepsWhatBindChose() throws Exception {
        sameAsLinux(e -> {
            int wildcard = bound(e, 1);
            e.api.connect(wildcard, e.peer, e.port(0));
            noteName(e, wildcard);
            e.api.disconnect(wildcard);
            noteName(e, wildcard);
            int specific = udp(e);
            e.api.bind(specific, e.self, 0);
            e.api.connect(specific, e.peer, e.port(0));
            e.api.disconnect(specific);
            noteName(e, specific);
        });
    }

    // shutdown(2)

    @Test
    void unconnected_shutdown_enotconnButTakesEffect() throws Exception {
        sameAsLinux(e -> {
            int fd = bound(e, 1);
            e.api.shutdown(fd, SHUT_RD);
            e.api.recv(fd, new byte[16], 16, MSG_DONTWAIT);
            e.api.setTimeout(fd, SO_RCVTIMEO, 2, 0);
            e.api.recv(fd, new byte[16], 16, 0);
            e.api.shutdown(fd, SHUT_WR);
            e.api.sendto(fd, HELLO, HELLO.length, 0, e.peer, e.port(0));
            e.api.poll(fd, POLLIN | POLLOUT | POLLRDHUP, 0);
            e.api.shutdown(fd, 7);
        });
    }

    @Test
    void connected_shutdownWr_zeroThenSendEpipe() throws Exception {
        sameAsLinux(e -> {
            e.peerUdp(e.port(0));
            int fd = udp(e);
            e.api.connect(fd, e.peer, e.port(0));
            e.api.shutdown(fd, SHUT_WR);
            e.api.send(fd, HELLO, HELLO.length, 0);
            e.api.poll(fd, POLLIN | POLLOUT, 0);
            e.api.shutdown(fd, SHUT_RDWR);
            e.api.poll(fd, POLLIN | POLLOUT, 0);
        });
    }
}
