package io.tcpsim.socket;

import static io.tcpsim.socket.SocketConstants.AF_INET;
import static io.tcpsim.socket.SocketConstants.F_GETFL;
import static io.tcpsim.socket.SocketConstants.F_SETFL;
import static io.tcpsim.socket.SocketConstants.IPPROTO_TCP;
import static io.tcpsim.socket.SocketConstants.MSG_DONTWAIT;
import static io.tcpsim.socket.SocketConstants.MSG_PEEK;
import static io.tcpsim.socket.SocketConstants.MSG_WAITALL;
import static io.tcpsim.socket.SocketConstants.O_NONBLOCK;
import static io.tcpsim.socket.SocketConstants.POLLIN;
import static io.tcpsim.socket.SocketConstants.POLLOUT;
import static io.tcpsim.socket.SocketConstants.POLLRDHUP;
import static io.tcpsim.socket.SocketConstants.SHUT_RD;
import static io.tcpsim.socket.SocketConstants.SHUT_RDWR;
import static io.tcpsim.socket.SocketConstants.SHUT_WR;
import static io.tcpsim.socket.SocketConstants.SOCK_NONBLOCK;
import static io.tcpsim.socket.SocketConstants.SOCK_STREAM;
import static io.tcpsim.socket.SocketConstants.SOL_SOCKET;
import static io.tcpsim.socket.SocketConstants.SO_ACCEPTCONN;
import static io.tcpsim.socket.SocketConstants.SO_ERROR;
import static io.tcpsim.socket.SocketConstants.SO_RCVBUF;
import static io.tcpsim.socket.SocketConstants.SO_RCVTIMEO;
import static io.tcpsim.socket.SocketConstants.SO_REUSEADDR;
import static io.tcpsim.socket.SocketConstants.SO_SNDBUF;
import static io.tcpsim.socket.SocketConstants.SO_TYPE;
import static io.tcpsim.socket.SocketConstants.TCP_MAXSEG;
import static io.tcpsim.socket.SocketConstants.TCP_NODELAY;

import io.tcpsim.testsupport.RequiresTun;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Each scenario runs twice in one namespace: against the Linux kernel (libc through FFM, the
 * kernel's own address, its peer itself over the TUN address) and against tcpsim (peer: the
 * kernel across the TUN). The traces of return values and errno must be equal.
 */
@RequiresTun
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DifferentialTest {
    private static final byte[] HELLO = "hello".getBytes(StandardCharsets.US_ASCII);
    private static final int FOREIGN = 0x0A090909;
    private static SocketStack stack;

    @FunctionalInterface
    interface Scenario {
        void run(Env env) throws Exception;
    }

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

    private static void sameAsLinux(Scenario scenario) throws Exception {
        stack.sameAsLinux(scenario, 20000, 50);
    }

    private static int tcp(Env e) {
        return e.api.socket(AF_INET, SOCK_STREAM, 0);
    }

    // socket(2)

    @Test
    void fresh_fcntlGetfl_exactlyORdwr() throws Exception {
        sameAsLinux(e -> e.api.fcntl(tcp(e), F_GETFL, 0));
    }

    @Test
    void sockNonblock_fcntlGetfl_reportsONonblock() throws Exception {
        sameAsLinux(e -> e.api.fcntl(e.api.socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0), F_GETFL, 0));
    }

    @Test
    void fresh_fcntlSetflNonblockThenClear_getflFollows() throws Exception {
        sameAsLinux(e -> {
            int fd = tcp(e);
            e.api.fcntl(fd, F_SETFL, O_NONBLOCK);
            e.api.fcntl(fd, F_GETFL, 0);
            e.api.fcntl(fd, F_SETFL, 0);
            e.api.fcntl(fd, F_GETFL, 0);
            e.api.fcntl(fd, 9999, 0);
        });
    }

    @Test
    void socket_unknownFamily_eafnosupport() throws Exception {
        sameAsLinux(e -> e.api.socket(12345, SOCK_STREAM, 0));
    }

    @Test
    void socket_unknownTypeFlag_einval() throws Exception {
        sameAsLinux(e -> e.api.socket(AF_INET, SOCK_STREAM | 0x10000, 0));
    }

    @Test
    void socket_typeAboveSockMax_einval() throws Exception {
        sameAsLinux(e -> e.api.socket(AF_INET, 15, 0));
    }

    @Test
    void socket_streamWithUdpProtocol_eprotonosupport() throws Exception {
        sameAsLinux(e -> e.api.socket(AF_INET, SOCK_STREAM, 17));
    }

    @Test
    void socket_streamWithTcpProtocol_succeeds() throws Exception {
        sameAsLinux(e -> e.api.socket(AF_INET, SOCK_STREAM, IPPROTO_TCP));
    }

    // close(2) and EBADF

    @Test
    void closed_closeAgain_ebadf() throws Exception {
        sameAsLinux(e -> {
            int fd = tcp(e);
            e.api.close(fd);
            e.api.close(fd);
        });
    }

    @Test
    void closedDescriptor_everyCall_ebadf() throws Exception {
        sameAsLinux(e -> {
            int fd = tcp(e);
            e.api.close(fd);
            e.api.bind(fd, 0, e.port(0));
            e.api.listen(fd, 1);
            e.api.accept4(fd, 0);
            e.api.connect(fd, e.peer, e.port(1));
            e.api.recv(fd, new byte[4], 4, 0);
            e.api.send(fd, HELLO, HELLO.length, 0);
            e.api.shutdown(fd, SHUT_RDWR);
            e.api.fcntl(fd, F_GETFL, 0);
            e.api.getsockopt(fd, SOL_SOCKET, SO_TYPE);
            e.api.setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, 1);
            e.api.getsockname(fd, new int[2]);
            e.api.fionread(fd);
        });
    }

    @Test
    void closedDescriptor_poll_pollnval() throws Exception {
        sameAsLinux(e -> {
            int fd = tcp(e);
            e.api.close(fd);
            e.api.poll(fd, POLLIN, 0);
        });
    }

    // bind(2)

    @Test
    void fresh_bindForeignAddress_eaddrnotavail() throws Exception {
        sameAsLinux(e -> e.api.bind(tcp(e), FOREIGN, e.port(0)));
    }

    @Test
    void bound_bindAgain_einval() throws Exception {
        sameAsLinux(e -> {
            int fd = tcp(e);
            e.api.bind(fd, 0, e.port(0));
            e.api.bind(fd, 0, e.port(1));
        });
    }

    @Test
    void portTaken_bindSamePort_eaddrinuse() throws Exception {
        sameAsLinux(e -> {
            e.api.bind(tcp(e), 0, e.port(0));
            e.api.bind(tcp(e), e.self, e.port(0));
        });
    }

    @Test
    void bothReuseaddrNotListening_bindSamePort_succeeds() throws Exception {
        sameAsLinux(e -> {
            int a = tcp(e);
            int b = tcp(e);
            e.api.setsockopt(a, SOL_SOCKET, SO_REUSEADDR, 1);
            e.api.setsockopt(b, SOL_SOCKET, SO_REUSEADDR, 1);
            e.api.bind(a, 0, e.port(0));
            e.api.bind(b, 0, e.port(0));
        });
    }

    @Test
    void reuseaddrListenerOnPort_bindSamePort_eaddrinuse() throws Exception {
        sameAsLinux(e -> {
            e.listening(0);
            int b = tcp(e);
            e.api.setsockopt(b, SOL_SOCKET, SO_REUSEADDR, 1);
            e.api.bind(b, 0, e.port(0));
        });
    }

    @Test
    void bindPortZero_getsockname_ephemeralPort() throws Exception {
        sameAsLinux(e -> {
            int fd = tcp(e);
            e.api.bind(fd, 0, 0);
            int[] name = new int[2];
            e.api.getsockname(fd, name);
            e.note("port in ip_local_port_range", name[1] >= 32768 && name[1] <= 60999);
        });
    }

    @Test
    void unbound_getsockname_wildcardPortZero() throws Exception {
        sameAsLinux(e -> {
            int[] name = {-1, -1};
            e.api.getsockname(tcp(e), name);
            e.note("name", name[0] + ":" + name[1]);
        });
    }

    @Test
    void unconnected_getpeername_enotconn() throws Exception {
        sameAsLinux(e -> e.api.getpeername(tcp(e), new int[2]));
    }

    // listen(2) and accept(2)

    @Test
    void unbound_listen_autobindsEphemeralPort() throws Exception {
        sameAsLinux(e -> {
            int fd = tcp(e);
            e.api.listen(fd, 4);
            int[] name = new int[2];
            e.api.getsockname(fd, name);
            e.note("port nonzero", name[1] != 0);
            e.api.getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN);
        });
    }

    @Test
    void listening_listenAgain_succeeds() throws Exception {
        sameAsLinux(e -> e.api.listen(e.listening(0), 32));
    }

    @Test
    void notListening_accept_einval() throws Exception {
        sameAsLinux(e -> e.api.accept4(tcp(e), 0));
    }

    @Test
    void listening_accept4UnknownFlag_einval() throws Exception {
        sameAsLinux(e -> e.api.accept4(e.listening(0), 0x1));
    }

    @Test
    void nonblockingListenerEmptyQueue_accept_eagain() throws Exception {
        sameAsLinux(e -> {
            int fd = e.listening(0);
            e.api.fcntl(fd, F_SETFL, O_NONBLOCK);
            e.api.accept4(fd, 0);
        });
    }

    @Test
    void listenerWithRcvtimeo_blockingAccept_eagainAfterTimeout() throws Exception {
        sameAsLinux(e -> {
            int fd = e.listening(0);
            e.api.setTimeout(fd, SO_RCVTIMEO, 0, 100_000);
            e.api.accept4(fd, 0);
        });
    }

    @Test
    void peerConnected_pollListenerThenAccept_connectionAccepted() throws Exception {
        sameAsLinux(e -> {
            int fd = e.listening(0);
            e.api.poll(fd, POLLIN, 0);
            e.peerConnect(e.self, e.port(0));
            e.api.poll(fd, POLLIN, 2000);
            int c = e.api.accept4(fd, SOCK_NONBLOCK);
            e.api.fcntl(c, F_GETFL, 0);
            e.api.getpeername(c, new int[2]);
            e.api.fcntl(fd, F_SETFL, O_NONBLOCK);
            e.api.accept4(fd, SOCK_NONBLOCK);
        });
    }

    @Test
    void listening_connect_eisconn() throws Exception {
        sameAsLinux(e -> e.api.connect(e.listening(0), e.peer, e.port(1)));
    }

    @Test
    void listening_shutdownRd_stopsListening() throws Exception {
        sameAsLinux(e -> {
            int fd = e.listening(0);
            e.api.shutdown(fd, SHUT_RD);
            e.api.getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN);
            e.api.accept4(fd, 0);
        });
    }

    // connect(2)

    @Test
    void closedPort_blockingConnect_econnrefusedTwice() throws Exception {
        sameAsLinux(e -> {
            int fd = tcp(e);
            e.api.connect(fd, e.peer, e.port(0));
            e.api.connect(fd, e.peer, e.port(0));
            e.api.getsockopt(fd, SOL_SOCKET, SO_ERROR);
        });
    }

    @Test
    void closedPort_nonblockingConnect_einprogressThenSoError() throws Exception {
        sameAsLinux(e -> {
            int fd = e.api.socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
            e.api.connect(fd, e.peer, e.port(0));
            e.api.poll(fd, POLLOUT, 2000);
            e.api.getsockopt(fd, SOL_SOCKET, SO_ERROR);
            e.api.getsockopt(fd, SOL_SOCKET, SO_ERROR);
            e.api.connect(fd, e.peer, e.port(0));
        });
    }

    @Test
    void closedPort_nonblockingConnectFailed_nextConnectReportsError() throws Exception {
        sameAsLinux(e -> {
            int fd = e.api.socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
            e.api.connect(fd, e.peer, e.port(0));
            e.api.poll(fd, POLLOUT, 2000);
            e.api.connect(fd, e.peer, e.port(0));
        });
    }

    @Test
    void listeningPeer_nonblockingConnect_einprogressZeroEisconn() throws Exception {
        sameAsLinux(e -> {
            e.peerListen(e.port(0));
            int fd = e.api.socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
            e.api.connect(fd, e.peer, e.port(0));
            e.api.poll(fd, POLLOUT, 2000);
            e.api.getsockopt(fd, SOL_SOCKET, SO_ERROR);
            e.api.connect(fd, e.peer, e.port(0));
            e.api.connect(fd, e.peer, e.port(0));
        });
    }

    @Test
    void listeningPeer_blockingConnect_connectedThenEisconn() throws Exception {
        sameAsLinux(e -> {
            int[] fds = e.connectedToPeer(0);
            int[] name = new int[2];
            e.api.getpeername(fds[0], name);
            e.note("peer port", name[1] - e.port(0));
            e.api.connect(fds[0], e.peer, e.port(0));
            e.api.listen(fds[0], 1);
            e.api.bind(fds[0], 0, 0);
        });
    }

    // read(2) / recv(2)

    @Test
    void unconnected_read_enotconn() throws Exception {
        sameAsLinux(e -> e.api.recv(tcp(e), new byte[8], 8, 0));
    }

    @Test
    void listening_read_enotconn() throws Exception {
        sameAsLinux(e -> e.api.recv(e.listening(0), new byte[8], 8, 0));
    }

    @Test
    void connectedNoData_recvDontwait_eagain() throws Exception {
        sameAsLinux(e -> e.api.recv(e.connectedToPeer(0)[0], new byte[8], 8, MSG_DONTWAIT));
    }

    @Test
    void connectedNonblockingNoData_read_eagain() throws Exception {
        sameAsLinux(e -> {
            int fd = e.connectedToPeer(0)[0];
            e.api.fcntl(fd, F_SETFL, O_NONBLOCK);
            e.api.recv(fd, new byte[8], 8, 0);
        });
    }

    @Test
    void connectedWithRcvtimeo_blockingRead_eagainAfterTimeout() throws Exception {
        sameAsLinux(e -> {
            int fd = e.connectedToPeer(0)[0];
            e.api.setTimeout(fd, SO_RCVTIMEO, 0, 100_000);
            e.api.recv(fd, new byte[8], 8, 0);
        });
    }

    @Test
    void peerSent_peekThenRead_sameBytesOnce() throws Exception {
        sameAsLinux(e -> {
            int[] fds = e.connectedToPeer(0);
            e.peerSend(fds[1], HELLO);
            e.api.poll(fds[0], POLLIN, 2000);
            e.api.fionread(fds[0]);
            byte[] buf = new byte[16];
            e.api.recv(fds[0], buf, 3, MSG_PEEK);
            e.api.recv(fds[0], buf, 16, MSG_PEEK);
            e.api.fionread(fds[0]);
            e.api.recv(fds[0], buf, 16, 0);
            e.note("bytes", new String(buf, 0, HELLO.length, StandardCharsets.US_ASCII));
            e.api.fionread(fds[0]);
            e.api.recv(fds[0], buf, 16, MSG_DONTWAIT);
        });
    }

    @Test
    void peerSentTen_recvWaitallTen_returnsTen() throws Exception {
        sameAsLinux(e -> {
            int[] fds = e.connectedToPeer(0);
            e.peerSend(fds[1], "0123456789".getBytes(StandardCharsets.US_ASCII));
            e.api.recv(fds[0], new byte[10], 10, MSG_WAITALL);
        });
    }

    @Test
    void peerSentThenClosed_readDataThenZero() throws Exception {
        sameAsLinux(e -> {
            int[] fds = e.connectedToPeer(0);
            e.peerSend(fds[1], HELLO);
            e.peerClose(fds[1]);
            e.api.poll(fds[0], POLLRDHUP, 2000);
            byte[] buf = new byte[16];
            e.api.recv(fds[0], buf, 16, MSG_WAITALL);
            e.api.recv(fds[0], buf, 16, 0);
            e.api.poll(fds[0], POLLIN | POLLOUT | POLLRDHUP, 0);
        });
    }

    /**
     * Linux tcp_fin(): the FIN that moves ESTABLISHED to CLOSE_WAIT enters pingpong mode, so the
     * ACK of it is delayed and the FIN of a prompt close() carries it: the peer receives SYN-ACK,
     * ACK of the request, response and FIN, four segments, not five.
     */
    @Test
    void requestResponsePeerClosesFirst_ourFinCarriesTheAckOfTheirs() throws Exception {
        sameAsLinux(e -> {
            int listener = e.listening(0);
            int peer = e.peerConnect(e.self, e.port(0));
            int fd = e.api.accept4(listener, 0);
            e.peerSend(peer, "GET /".getBytes(StandardCharsets.US_ASCII));
            e.api.recv(fd, new byte[5], 5, MSG_WAITALL);
            e.api.send(fd, HELLO, HELLO.length, 0);
            e.note("response", new String(e.peerRead(peer, HELLO.length, 2000), StandardCharsets.US_ASCII));
            e.kernel.shutdown(peer, SHUT_WR);
            e.api.poll(fd, POLLRDHUP, 2000);
            e.api.recv(fd, new byte[8], 8, 0);
            e.api.close(fd);
            e.peerRead(peer, 1, 2000);
            e.note("peer eof", e.peerEof);
            e.note("segments the peer received", e.peerSegsIn(peer));
        });
    }

    @Test
    void peerReset_readEconnresetThenZero() throws Exception {
        sameAsLinux(e -> {
            int[] fds = e.connectedToPeer(0);
            e.peerReset(fds[1]);
            e.api.poll(fds[0], POLLIN, 2000);
            e.api.recv(fds[0], new byte[8], 8, 0);
            e.api.recv(fds[0], new byte[8], 8, 0);
            e.api.getpeername(fds[0], new int[2]);
            e.api.shutdown(fds[0], SHUT_WR);
        });
    }

    @Test
    void peerReset_writeEconnresetThenEpipe() throws Exception {
        sameAsLinux(e -> {
            int[] fds = e.connectedToPeer(0);
            e.peerReset(fds[1]);
            e.api.poll(fds[0], POLLIN, 2000);
            e.api.getsockopt(fds[0], SOL_SOCKET, SO_ERROR);
            e.api.send(fds[0], HELLO, HELLO.length, 0);
        });
    }

    @Test
    void peerReset_sendBeforeSoError_econnreset() throws Exception {
        sameAsLinux(e -> {
            int[] fds = e.connectedToPeer(0);
            e.peerReset(fds[1]);
            e.api.poll(fds[0], POLLIN, 2000);
            e.api.send(fds[0], HELLO, HELLO.length, 0);
            e.api.send(fds[0], HELLO, HELLO.length, 0);
        });
    }

    // write(2) / send(2)

    @Test
    void unconnected_write_epipe() throws Exception {
        sameAsLinux(e -> e.api.send(tcp(e), HELLO, HELLO.length, 0));
    }

    @Test
    void listening_write_epipe() throws Exception {
        sameAsLinux(e -> e.api.send(e.listening(0), HELLO, HELLO.length, 0));
    }

    @Test
    void connected_writeZeroAndSome_countsReturned() throws Exception {
        sameAsLinux(e -> {
            int[] fds = e.connectedToPeer(0);
            e.api.send(fds[0], HELLO, 0, 0);
            e.api.send(fds[0], HELLO, HELLO.length, 0);
            byte[] buf = new byte[8];
            e.note("peer got", e.kernel.recv(fds[1], buf, 8, 0));
        });
    }

    // shutdown(2)

    @Test
    void shutWr_write_epipe_peerSeesEof() throws Exception {
        sameAsLinux(e -> {
            int[] fds = e.connectedToPeer(0);
            e.api.shutdown(fds[0], SHUT_WR);
            e.api.send(fds[0], HELLO, HELLO.length, 0);
            e.note("peer read", e.kernel.recv(fds[1], new byte[8], 8, 0));
            e.api.poll(fds[0], POLLIN | POLLOUT, 0);
        });
    }

    @Test
    void shutRd_read_returnsZero() throws Exception {
        sameAsLinux(e -> {
            int fd = e.connectedToPeer(0)[0];
            e.api.shutdown(fd, SHUT_RD);
            e.api.recv(fd, new byte[8], 8, 0);
            e.api.poll(fd, POLLIN | POLLRDHUP, 0);
        });
    }

    @Test
    void unconnected_shutdown_enotconn() throws Exception {
        sameAsLinux(e -> e.api.shutdown(tcp(e), SHUT_RDWR));
    }

    @Test
    void connected_shutdownBadHow_einval() throws Exception {
        sameAsLinux(e -> e.api.shutdown(e.connectedToPeer(0)[0], 7));
    }

    // options

    @Test
    void fresh_socketLevelOptions_linuxDefaults() throws Exception {
        sameAsLinux(e -> {
            int fd = tcp(e);
            e.api.getsockopt(fd, SOL_SOCKET, SO_TYPE);
            e.api.getsockopt(fd, SOL_SOCKET, SO_ERROR);
            e.api.getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN);
            e.api.getsockopt(fd, SOL_SOCKET, SO_REUSEADDR);
            e.api.getsockopt(fd, SOL_SOCKET, SO_SNDBUF);
            e.api.getsockopt(fd, SOL_SOCKET, SO_RCVBUF);
        });
    }

    @Test
    void bufferSizes_set_doubledCappedFloored() throws Exception {
        sameAsLinux(e -> {
            int fd = tcp(e);
            for (int v : new int[] {10_000, 1, -1, 1 << 30}) {
                e.api.setsockopt(fd, SOL_SOCKET, SO_SNDBUF, v);
                e.api.getsockopt(fd, SOL_SOCKET, SO_SNDBUF);
                e.api.setsockopt(fd, SOL_SOCKET, SO_RCVBUF, v);
                e.api.getsockopt(fd, SOL_SOCKET, SO_RCVBUF);
            }
        });
    }

    @Test
    void readOnlyOrUnknownOptions_setsockopt_enoprotoopt() throws Exception {
        sameAsLinux(e -> {
            int fd = tcp(e);
            e.api.setsockopt(fd, SOL_SOCKET, SO_TYPE, 1);
            e.api.setsockopt(fd, SOL_SOCKET, SO_ERROR, 1);
            e.api.setsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, 1);
            e.api.setsockopt(fd, SOL_SOCKET, 9999, 1);
            e.api.setsockopt(fd, IPPROTO_TCP, 9999, 1);
            e.api.getsockopt(fd, IPPROTO_TCP, 9999);
            e.api.setsockopt(fd, 4242, 1, 1);
        });
    }

    @Test
    void tcpNodelay_setAndGet() throws Exception {
        sameAsLinux(e -> {
            int fd = tcp(e);
            e.api.getsockopt(fd, IPPROTO_TCP, TCP_NODELAY);
            e.api.setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, 5);
            e.api.getsockopt(fd, IPPROTO_TCP, TCP_NODELAY);
        });
    }

    @Test
    void tcpMaxseg_defaultRangeAndUserValue() throws Exception {
        sameAsLinux(e -> {
            int fd = tcp(e);
            e.api.getsockopt(fd, IPPROTO_TCP, TCP_MAXSEG);
            e.api.setsockopt(fd, IPPROTO_TCP, TCP_MAXSEG, 87);
            e.api.setsockopt(fd, IPPROTO_TCP, TCP_MAXSEG, 32768);
            e.api.setsockopt(fd, IPPROTO_TCP, TCP_MAXSEG, 1000);
            e.api.getsockopt(fd, IPPROTO_TCP, TCP_MAXSEG);
        });
    }

    @Test
    void rcvtimeo_setGetAndEdom() throws Exception {
        sameAsLinux(e -> {
            int fd = tcp(e);
            long[] tv = new long[2];
            e.api.getTimeout(fd, SO_RCVTIMEO, tv);
            e.api.setTimeout(fd, SO_RCVTIMEO, 1, 500_000);
            e.api.getTimeout(fd, SO_RCVTIMEO, tv);
            e.api.setTimeout(fd, SO_RCVTIMEO, 0, 1_000_000);
            e.api.setTimeout(fd, SO_RCVTIMEO, 0, -1);
        });
    }

    @Test
    void rcvtimeoInt_setsockopt_einval() throws Exception {
        sameAsLinux(e -> e.api.setsockopt(tcp(e), SOL_SOCKET, SO_RCVTIMEO, 1));
    }

    // ioctl(2) and poll(2)

    @Test
    void listening_fionread_einval_unconnectedZero() throws Exception {
        sameAsLinux(e -> {
            e.api.fionread(e.listening(0));
            e.api.fionread(tcp(e));
        });
    }

    @Test
    void fresh_poll_outAndHup() throws Exception {
        sameAsLinux(e -> e.api.poll(tcp(e), POLLIN | POLLOUT, 0));
    }

    @Test
    void connectedIdle_poll_outOnly() throws Exception {
        sameAsLinux(e -> e.api.poll(e.connectedToPeer(0)[0], POLLIN | POLLOUT | POLLRDHUP, 0));
    }

    @Test
    void listeningEmpty_poll_timesOut() throws Exception {
        sameAsLinux(e -> e.api.poll(e.listening(0), POLLIN | POLLOUT, 50));
    }
}
