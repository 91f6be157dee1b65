package io.tcpsim.socket;

import static io.tcpsim.socket.SocketConstants.AF_INET;
import static io.tcpsim.socket.SocketConstants.F_SETFL;
import static io.tcpsim.socket.SocketConstants.IPPROTO_TCP;
import static io.tcpsim.socket.SocketConstants.MSG_DONTWAIT;
import static io.tcpsim.socket.SocketConstants.MSG_ERRQUEUE;
import static io.tcpsim.socket.SocketConstants.MSG_MORE;
import static io.tcpsim.socket.SocketConstants.MSG_PEEK;
import static io.tcpsim.socket.SocketConstants.MSG_TRUNC;
import static io.tcpsim.socket.SocketConstants.O_NONBLOCK;
import static io.tcpsim.socket.SocketConstants.POLLIN;
import static io.tcpsim.socket.SocketConstants.POLLOUT;
import static io.tcpsim.socket.SocketConstants.SHUT_WR;
import static io.tcpsim.socket.SocketConstants.SIOCINQ;
import static io.tcpsim.socket.SocketConstants.SIOCOUTQ;
import static io.tcpsim.socket.SocketConstants.SIOCOUTQNSD;
import static io.tcpsim.socket.SocketConstants.SOCK_NONBLOCK;
import static io.tcpsim.socket.SocketConstants.SOCK_STREAM;
import static io.tcpsim.socket.SocketConstants.SOL_SOCKET;
import static io.tcpsim.socket.SocketConstants.SO_ERROR;
import static io.tcpsim.socket.SocketConstants.SO_LINGER;
import static io.tcpsim.socket.SocketConstants.SO_RCVBUF;
import static io.tcpsim.socket.SocketConstants.SO_SNDBUF;
import static io.tcpsim.socket.SocketConstants.SO_SNDTIMEO;
import static io.tcpsim.socket.SocketConstants.TCP_CONGESTION;
import static io.tcpsim.socket.SocketConstants.TCP_CORK;
import static io.tcpsim.socket.SocketConstants.TCP_NODELAY;

import io.tcpsim.testsupport.RequiresTun;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The socket API's second part against the kernel: readv/writev/sendmsg/recvmsg, MSG_MORE and
 * TCP_CORK, SO_LINGER, SO_RCVBUF/SO_SNDBUF applied to the connection and SIOCOUTQ, TCP_CONGESTION,
 * and the errno classes the first differential test did not reach (EALREADY, ETIMEDOUT,
 * EHOSTUNREACH, ENETUNREACH, ENOTSOCK, EOPNOTSUPP, EMFILE). Timing-based checks leave wide
 * margins: "not yet" polls 50 ms where the kernel and tcpsim wait an RTO (at least 200 ms).
 */
@RequiresTun
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ApiDifferentialTest {
    private static final byte[] HELLO = "hello".getBytes(StandardCharsets.US_ASCII);
    private static ApiDifferential fixture;

    @BeforeAll
    static void start() throws Exception {
        fixture = ApiDifferential.start(21_000);
    }

    @AfterAll
    static void stop() throws Exception {
        if (fixture != null) {
            fixture.close();
        }
    }

    private static void sameAsLinux(ApiDifferential.Scenario scenario) throws Exception {
        fixture.sameAsLinux(scenario);
    }

    private static int tcp(Env e) {
        return e.api.socket(AF_INET, SOCK_STREAM, 0);
    }

    private static byte[][] bufs(String... parts) {
        byte[][] b = new byte[parts.length][];
        for (int i = 0; i < parts.length; i++) {
            b[i] = parts[i].getBytes(StandardCharsets.US_ASCII);
        }
        return b;
    }

    private static byte[][] room(int... sizes) {
        byte[][] b = new byte[sizes.length][];
        for (int i = 0; i < sizes.length; i++) {
            b[i] = new byte[sizes[i]];
        }
        return b;
    }

    private static byte[][] ones(int count) {
        byte[][] b = new byte[count][];
        for (int i = 0; i < count; i++) {
            b[i] = new byte[1];
        }
        return b;
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.US_ASCII);
    }

    // readv(2), writev(2), sendmsg(2), recvmsg(2), read(2) and write(2)

    @Test
    void unconnected_vectorCallsAndEmptyReads_linuxErrnos() throws Exception {
        sameAsLinux(e -> {
            int fd = tcp(e);
            e.api.readv(fd, ones(0));
            e.api.writev(fd, ones(0));
            e.api.readv(fd, ones(1025));
            e.api.writev(fd, ones(1025));
            e.api.readv(fd, ones(1024));
            e.api.writev(fd, ones(1024));
            e.api.read(fd, new byte[4], 0);
            e.api.write(fd, HELLO, 0);
            e.api.recv(fd, new byte[4], 0, MSG_DONTWAIT);
            e.api.sendmsg(fd, ones(1025), 0, false);
            e.api.recvmsg(fd, ones(1025), MSG_DONTWAIT, new int[3]);
            e.api.sendmsg(fd, ones(0), 0, false);
            e.api.recvmsg(fd, ones(0), MSG_DONTWAIT, new int[3]);
        });
    }

    @Test
    void closedDescriptor_vectorCalls_ebadfBeforeTheCount() throws Exception {
        sameAsLinux(e -> {
            int fd = tcp(e);
            e.api.close(fd);
            e.api.readv(fd, ones(1025));
            e.api.writev(fd, ones(2));
            e.api.sendmsg(fd, ones(1025), 0, false);
            e.api.recvmsg(fd, ones(1), 0, new int[3]);
            e.api.read(fd, new byte[1], 1);
            e.api.write(fd, HELLO, 1);
        });
    }

    @Test
    void connected_writevGathers_recvmsgScattersWithoutNameOrFlags() throws Exception {
        sameAsLinux(e -> {
            int[] fds = e.connectedToPeer(0);
            e.api.writev(fds[0], bufs("ab", "", "cdefg"));
            e.note("peer got", text(e.peerRead(fds[1], 7, 2000)));
            e.peerSend(fds[1], "0123456789".getBytes(StandardCharsets.US_ASCII));
            e.api.poll(fds[0], POLLIN, 2000);
            byte[][] into = room(3, 10);
            e.api.recvmsg(fds[0], into, 0, new int[3]);
            e.note("scattered", text(into[0]) + "|" + text(into[1]).trim());
        });
    }

    @Test
    void connected_sendmsgWithAName_nameIgnored() throws Exception {
        sameAsLinux(e -> {
            int[] fds = e.connectedToPeer(0);
            e.api.sendmsg(fds[0], bufs("hel", "lo"), 0, true);
            e.note("peer got", text(e.peerRead(fds[1], 5, 2000)));
        });
    }

    @Test
    void peerSent_msgTruncDiscards_peekTruncKeeps() throws Exception {
        sameAsLinux(e -> {
            int[] fds = e.connectedToPeer(0);
            e.peerSend(fds[1], "0123456789".getBytes(StandardCharsets.US_ASCII));
            e.api.poll(fds[0], POLLIN, 2000);
            byte[] buf = new byte[16];
            e.api.recv(fds[0], buf, 4, MSG_TRUNC);
            e.api.ioctl(fds[0], SIOCINQ);
            e.api.recv(fds[0], buf, 1, MSG_TRUNC | MSG_PEEK);
            e.api.ioctl(fds[0], SIOCINQ);
            e.api.recv(fds[0], buf, 16, 0);
            e.note("rest", text(buf).trim());
        });
    }

    @Test
    void connected_emptyReads_zeroOrEagainAsLinux() throws Exception {
        sameAsLinux(e -> {
            int[] fds = e.connectedToPeer(0);
            e.api.recvmsg(fds[0], ones(0), MSG_DONTWAIT, new int[3]);
            e.api.recv(fds[0], new byte[4], 4, MSG_ERRQUEUE);
            e.peerSend(fds[1], "xy".getBytes(StandardCharsets.US_ASCII));
            e.api.poll(fds[0], POLLIN, 2000);
            e.api.recvmsg(fds[0], ones(0), MSG_DONTWAIT, new int[3]);
            e.api.read(fds[0], new byte[4], 0);
            e.api.recv(fds[0], new byte[4], 0, 0);
            e.api.writev(fds[0], ones(0));
            e.api.ioctl(fds[0], SIOCINQ);
            byte[][] two = room(1, 1);
            e.api.readv(fds[0], two);
            e.note("read", text(two[0]) + text(two[1]));
        });
    }

    @Test
    void epollDescriptor_readWriteEinval_socketCallsEnotsock() throws Exception {
        sameAsLinux(e -> {
            int ep = e.api.epollCreate1(0);
            e.api.read(ep, new byte[4], 4);
            e.api.write(ep, HELLO, 5);
            e.api.readv(ep, room(4));
            e.api.recv(ep, new byte[4], 4, 0);
            e.api.send(ep, HELLO, 5, 0);
            e.api.connect(ep, e.peer, e.port(0));
            e.api.getsockopt(ep, SOL_SOCKET, SO_ERROR);
            e.api.shutdown(ep, SHUT_WR);
            e.api.sendmsg(ep, ones(1), 0, false);
        });
    }

    // TCP_CORK and MSG_MORE

    @Test
    void tcpCork_setAndGet() throws Exception {
        sameAsLinux(e -> {
            int fd = tcp(e);
            e.api.getsockopt(fd, IPPROTO_TCP, TCP_CORK);
            e.api.setsockopt(fd, IPPROTO_TCP, TCP_CORK, 7);
            e.api.getsockopt(fd, IPPROTO_TCP, TCP_CORK);
            e.api.setsockopt(fd, IPPROTO_TCP, TCP_CORK, 0);
            e.api.getsockopt(fd, IPPROTO_TCP, TCP_CORK);
        });
    }

    @Test
    void corkedSmallWrite_heldThenSentByThePersistTimer() throws Exception {
        sameAsLinux(e -> {
            int[] fds = e.connectedToPeer(0);
            e.api.setsockopt(fds[0], IPPROTO_TCP, TCP_CORK, 1);
            e.api.send(fds[0], HELLO, 3, 0);
            e.api.ioctl(fds[0], SIOCOUTQ);
            e.api.ioctl(fds[0], SIOCOUTQNSD);
            e.note("peer at 50 ms", e.peerPoll(fds[1], POLLIN, 50));
            e.note("peer later", e.peerPoll(fds[1], POLLIN, 3000));
            e.note("peer got", text(e.peerRead(fds[1], 3, 1000)));
        });
    }

    @Test
    void corked_uncorkSendsAtOnce() throws Exception {
        sameAsLinux(e -> {
            int[] fds = e.connectedToPeer(0);
            e.api.setsockopt(fds[0], IPPROTO_TCP, TCP_CORK, 1);
            e.api.send(fds[0], HELLO, 5, 0);
            e.note("peer at 50 ms", e.peerPoll(fds[1], POLLIN, 50));
            e.api.setsockopt(fds[0], IPPROTO_TCP, TCP_CORK, 0);
            e.note("peer after uncork", e.peerPoll(fds[1], POLLIN, 50));
        });
    }

    @Test
    void corked_nodelayPushesWhatIsQueuedOnce_laterWritesStayCorked() throws Exception {
        sameAsLinux(e -> {
            int[] fds = e.connectedToPeer(0);
            e.api.setsockopt(fds[0], IPPROTO_TCP, TCP_CORK, 1);
            e.api.send(fds[0], HELLO, 3, 0);
            e.note("peer at 50 ms", e.peerPoll(fds[1], POLLIN, 50));
            e.api.setsockopt(fds[0], IPPROTO_TCP, TCP_NODELAY, 1);
            e.note("peer after nodelay", e.peerPoll(fds[1], POLLIN, 50));
            e.note("peer got", text(e.peerRead(fds[1], 3, 1000)));
            e.api.getsockopt(fds[0], IPPROTO_TCP, TCP_CORK);
            e.api.send(fds[0], HELLO, 2, 0);
            e.note("peer at 50 ms again", e.peerPoll(fds[1], POLLIN, 50));
            e.note("peer later", e.peerPoll(fds[1], POLLIN, 3000));
        });
    }

    @Test
    void msgMore_heldUntilAPlainSend() throws Exception {
        sameAsLinux(e -> {
            int[] fds = e.connectedToPeer(0);
            e.api.send(fds[0], "abc".getBytes(StandardCharsets.US_ASCII), 3, MSG_MORE);
            e.note("peer at 50 ms", e.peerPoll(fds[1], POLLIN, 50));
            e.api.send(fds[0], "def".getBytes(StandardCharsets.US_ASCII), 3, 0);
            e.note("peer after plain send", e.peerPoll(fds[1], POLLIN, 50));
            e.note("peer got", text(e.peerRead(fds[1], 6, 1000)));
        });
    }

    @Test
    void msgMoreAlone_goesWithThePersistTimer() throws Exception {
        sameAsLinux(e -> {
            int[] fds = e.connectedToPeer(0);
            e.api.sendmsg(fds[0], bufs("ab", "c"), MSG_MORE, false);
            e.note("peer at 50 ms", e.peerPoll(fds[1], POLLIN, 50));
            e.note("peer later", e.peerPoll(fds[1], POLLIN, 3000));
        });
    }

    @Test
    void corked_closeAndShutdownSendDataAndFinAtOnce() throws Exception {
        sameAsLinux(e -> {
            int[] a = e.connectedToPeer(0);
            e.api.setsockopt(a[0], IPPROTO_TCP, TCP_CORK, 1);
            e.api.send(a[0], HELLO, 3, 0);
            e.api.shutdown(a[0], SHUT_WR);
            e.note("peer after shutdown", e.peerPoll(a[1], POLLIN, 50));
            e.note("peer got", text(e.peerRead(a[1], 10, 1000)) + " eof " + e.peerEof);
            int[] b = e.connectedToPeer(1);
            e.api.setsockopt(b[0], IPPROTO_TCP, TCP_CORK, 1);
            e.api.send(b[0], HELLO, 3, 0);
            e.api.close(b[0]);
            e.note("peer after close", e.peerPoll(b[1], POLLIN, 50));
            e.note("peer got", text(e.peerRead(b[1], 10, 1000)) + " eof " + e.peerEof);
        });
    }

    // SO_LINGER

    @Test
    void soLinger_structSetGetAndShortForms() throws Exception {
        sameAsLinux(e -> {
            int fd = tcp(e);
            int[] l = new int[2];
            e.api.getLinger(fd, l);
            int[][] values = {{1, 5}, {0, 7}, {1, 0}, {5, 3}, {0, 0}, {1, Integer.MAX_VALUE}};
            for (int[] v : values) {
                e.api.setLinger(fd, v[0], v[1]);
                e.api.getLinger(fd, l);
            }
            e.api.setsockopt(fd, SOL_SOCKET, SO_LINGER, 1);
            e.api.getsockopt(fd, SOL_SOCKET, SO_LINGER);
            e.api.getsockopt(fd, SOL_SOCKET, SO_LINGER, new byte[16], new int[] {4});
            e.api.getsockopt(fd, SOL_SOCKET, SO_LINGER, new byte[16], new int[] {12});
            e.api.setsockopt(fd, SOL_SOCKET, SO_LINGER, new byte[16], 16);
            e.api.getLinger(fd, l);
        });
    }

    @Test
    void lingerZero_closeResets_noTimeWaitKeepsThePort() throws Exception {
        sameAsLinux(e -> {
            int[] a = e.connectedToPeer(0);
            int[] name = new int[2];
            e.api.getsockname(a[0], name);
            e.api.setLinger(a[0], 1, 0);
            e.api.close(a[0]);
            e.note("peer", e.peerPoll(a[1], POLLIN, 2000));
            e.note("peer recv", e.kernel.recv(a[1], new byte[4], 4, MSG_DONTWAIT) + " errno " + e.kernel.errno());
            e.api.bind(tcp(e), e.self, name[1]);
            int[] b = e.connectedToPeer(1);
            e.api.getsockname(b[0], name);
            e.api.close(b[0]);
            e.api.bind(tcp(e), e.self, name[1]);
        });
    }

    @Test
    void lingerTimed_peerReads_closeReturnsOnceTheFinIsAcknowledged() throws Exception {
        sameAsLinux(e -> {
            int[] fds = e.connectedToPeer(0);
            e.api.setLinger(fds[0], 1, 5);
            e.api.send(fds[0], HELLO, 5, 0);
            long start = System.nanoTime();
            e.api.close(fds[0]);
            e.note("close under 2 s", System.nanoTime() - start < 2_000_000_000L);
            e.note("peer got", text(e.peerRead(fds[1], 10, 1000)) + " eof " + e.peerEof);
        });
    }

    @Test
    void lingerTimed_peerStalled_closeWaitsTheTimeThenTheOrphanDelivers() throws Exception {
        sameAsLinux(e -> {
            for (int nonBlocking = 0; nonBlocking < 2; nonBlocking++) {
                int listener = e.peerListen(e.port(nonBlocking), 2304);
                int fd = tcp(e);
                e.api.connect(fd, e.peer, e.port(nonBlocking));
                int peer = e.peerAccept(listener);
                e.api.fcntl(fd, F_SETFL, O_NONBLOCK);
                long sent = fill(e, fd);
                if (nonBlocking == 0) {
                    e.api.fcntl(fd, F_SETFL, 0);
                }
                e.api.setLinger(fd, 1, 1);
                long start = System.nanoTime();
                e.api.close(fd);
                long took = System.nanoTime() - start;
                e.note("close waited about 1 s", took > 800_000_000L && took < 3_000_000_000L);
                e.note("peer got all", e.peerRead(peer, (int) sent + 1, 3000).length == sent);
                e.note("then eof", e.peerEof);
            }
        });
    }

    /** Non-blocking sends until EAGAIN (not recorded: the counts differ); returns the bytes taken. */
    private static long fill(Env e, int fd) {
        Sockets raw = e.api.inner();
        byte[] chunk = new byte[16_384];
        long sent = 0;
        for (int i = 0; i < 10_000; i++) {
            long n = raw.send(fd, chunk, chunk.length, MSG_DONTWAIT);
            if (n < 0) {
                e.note("fill ended", Errno.name(raw.errno()));
                return sent;
            }
            sent += n;
        }
        throw new IllegalStateException("the send buffer never filled");
    }

    // SO_RCVBUF, SO_SNDBUF, SIOCOUTQ

    @Test
    void soRcvbufBeforeConnect_firstWindowAndScaleAsLinux() throws Exception {
        sameAsLinux(e -> {
            int[] sizes = {1, 2304, 4096, 10_000, 30_000, 65_536, 100_000, 300_000, 1 << 20};
            for (int i = 0; i < sizes.length; i++) {
                int listener = e.peerListen(e.port(i), 0);
                int fd = tcp(e);
                e.api.setsockopt(fd, SOL_SOCKET, SO_RCVBUF, sizes[i]);
                e.api.connect(fd, e.peer, e.port(i));
                int peer = e.peerAccept(listener);
                int[] info = e.peerInfo(peer);
                e.note("rcvbuf " + sizes[i] + " wscale/window", info[0] + "/" + info[2]);
                e.api.getsockopt(fd, SOL_SOCKET, SO_RCVBUF);
            }
        });
    }

    @Test
    void listenerBuffers_inheritedByTheAcceptedSocket_synAckWindow() throws Exception {
        sameAsLinux(e -> {
            int fd = tcp(e);
            e.api.setsockopt(fd, SOL_SOCKET, SocketConstants.SO_REUSEADDR, 1);
            e.api.setsockopt(fd, SOL_SOCKET, SO_RCVBUF, 10_000);
            e.api.setsockopt(fd, SOL_SOCKET, SO_SNDBUF, 20_000);
            e.api.bind(fd, 0, e.port(0));
            e.api.listen(fd, 4);
            int peer = e.peerConnect(e.self, e.port(0));
            int child = e.api.accept4(fd, 0);
            int[] info = e.peerInfo(peer);
            e.note("wscale/window seen by the peer", info[0] + "/" + info[2]);
            e.api.getsockopt(child, SOL_SOCKET, SO_RCVBUF);
            e.api.getsockopt(child, SOL_SOCKET, SO_SNDBUF);
        });
    }

    @Test
    void soSndbufSmall_sendQueueHoldsAboutTheValue_thenDrains() throws Exception {
        sameAsLinux(e -> {
            int listener = e.peerListen(e.port(0), 2304);
            int fd = e.api.socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
            e.api.setsockopt(fd, SOL_SOCKET, SO_SNDBUF, 10_000);
            e.api.connect(fd, e.peer, e.port(0));
            e.api.poll(fd, POLLOUT, 2000);
            int peer = e.peerAccept(listener);
            long sent = fill(e, fd);
            int queued = e.api.inner().ioctl(fd, SIOCOUTQ);
            e.note("queued about SO_SNDBUF", queued >= 5_000 && queued <= 20_000);
            e.note("unsent no more than queued", e.api.inner().ioctl(fd, SIOCOUTQNSD) <= queued);
            e.api.poll(fd, POLLOUT, 0);
            e.note("peer got all", e.peerRead(peer, (int) sent, 3000).length == sent);
            e.api.poll(fd, POLLOUT, 2000);
            e.api.poll(fd, POLLIN, 200);
            e.api.ioctl(fd, SIOCOUTQ);
            e.api.ioctl(fd, SIOCOUTQNSD);
        });
    }

    @Test
    void bulkTransfers_unsetBuffersAutotunedAsLinux_setOnesStay() throws Exception {
        sameAsLinux(e -> {
            int[] c = e.connectedToPeer(0);
            // Linux tcp_init_buffer_space() -> tcp_sndbuf_expand(): 46080 for MSS 1460; tcp_rmem[1].
            e.api.getsockopt(c[0], SOL_SOCKET, SO_SNDBUF);
            e.api.getsockopt(c[0], SOL_SOCKET, SO_RCVBUF);
            int first = e.api.inner().getsockopt(c[0], SOL_SOCKET, SO_RCVBUF);
            e.note("every byte read", receiveBulk(e, c[1], c[0], BULK) == BULK);
            e.note("SO_RCVBUF grew past its first value (tcp_rcv_space_adjust())",
                    e.api.inner().getsockopt(c[0], SOL_SOCKET, SO_RCVBUF) > first);
            int firstSnd = e.api.inner().getsockopt(c[0], SOL_SOCKET, SO_SNDBUF);
            e.note("every byte sent", sendBulk(e, c[0], c[1], BULK) == BULK);
            e.note("SO_SNDBUF grew past its first value (tcp_sndbuf_expand())",
                    e.api.inner().getsockopt(c[0], SOL_SOCKET, SO_SNDBUF) > firstSnd);
            int listener = e.peerListen(e.port(1));
            int fd = tcp(e);
            e.api.setsockopt(fd, SOL_SOCKET, SO_RCVBUF, 100_000);
            e.api.setsockopt(fd, SOL_SOCKET, SO_SNDBUF, 100_000);
            e.api.connect(fd, e.peer, e.port(1));
            int peer = e.peerAccept(listener);
            e.note("every byte read with SO_RCVBUF set", receiveBulk(e, peer, fd, BULK) == BULK);
            e.api.getsockopt(fd, SOL_SOCKET, SO_RCVBUF);
            e.api.getsockopt(fd, SOL_SOCKET, SO_SNDBUF);
        });
    }

    private static final int BULK = 8 << 20;

    /**
     * The kernel peer sends {@code total} bytes that fd reads as they come (neither recorded: the
     * counts per call differ), for at most 20 s; returns the bytes read.
     */
    private static long receiveBulk(Env e, int peer, int fd, int total) {
        Sockets raw = e.api.inner();
        byte[] chunk = new byte[65_536];
        byte[] buf = new byte[65_536];
        long sent = 0;
        long got = 0;
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (got < total && System.nanoTime() < deadline) {
            if (sent < total) {
                long n = e.kernel.send(peer, chunk, (int) Math.min(chunk.length, total - sent), MSG_DONTWAIT);
                sent += Math.max(n, 0);
            }
            long r = raw.recv(fd, buf, buf.length, MSG_DONTWAIT);
            if (r > 0) {
                got += r;
            } else {
                raw.poll(fd, POLLIN, 1);
            }
        }
        return got;
    }

    /** fd sends {@code total} bytes that the kernel peer reads as they come, as {@link #receiveBulk}. */
    private static long sendBulk(Env e, int fd, int peer, int total) {
        Sockets raw = e.api.inner();
        byte[] chunk = new byte[65_536];
        byte[] buf = new byte[65_536];
        long sent = 0;
        long got = 0;
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (got < total && System.nanoTime() < deadline) {
            if (sent < total) {
                long n = raw.send(fd, chunk, (int) Math.min(chunk.length, total - sent), MSG_DONTWAIT);
                sent += Math.max(n, 0);
            }
            long r = e.kernel.recv(peer, buf, buf.length, MSG_DONTWAIT);
            if (r > 0) {
                got += r;
            } else {
                e.kernel.poll(peer, POLLIN, 1);
            }
        }
        return got;
    }

    @Test
    void queueIoctls_listenerEinval_unconnectedZero_unknownEnotty() throws Exception {
        sameAsLinux(e -> {
            int l = e.listening(0);
            e.api.ioctl(l, SIOCOUTQ);
            e.api.ioctl(l, SIOCOUTQNSD);
            e.api.ioctl(l, SIOCINQ);
            int fd = tcp(e);
            e.api.ioctl(fd, SIOCOUTQ);
            e.api.ioctl(fd, SIOCOUTQNSD);
            e.api.ioctl(fd, 0x1234);
            int[] c = e.connectedToPeer(1);
            e.api.send(c[0], HELLO, 5, 0);
            e.note("peer got", text(e.peerRead(c[1], 5, 1000)));
            e.api.poll(c[0], POLLIN, 100);
            e.api.ioctl(c[0], SIOCOUTQ);
        });
    }

    // TCP_CONGESTION

    @Test
    void tcpCongestion_defaultSetUnknownAndLengths() throws Exception {
        sameAsLinux(e -> {
            int fd = tcp(e);
            byte[] name = new byte[64];
            e.api.getsockopt(fd, IPPROTO_TCP, TCP_CONGESTION, name, new int[] {16});
            e.api.setsockopt(fd, IPPROTO_TCP, TCP_CONGESTION, "cubic".getBytes(StandardCharsets.US_ASCII), 5);
            e.api.getsockopt(fd, IPPROTO_TCP, TCP_CONGESTION, name, new int[] {16});
            e.api.setsockopt(fd, IPPROTO_TCP, TCP_CONGESTION, "bogus".getBytes(StandardCharsets.US_ASCII), 5);
            e.api.setsockopt(fd, IPPROTO_TCP, TCP_CONGESTION, "RENO".getBytes(StandardCharsets.US_ASCII), 4);
            e.api.setsockopt(fd, IPPROTO_TCP, TCP_CONGESTION, new byte[1], 0);
            e.api.setsockopt(fd, IPPROTO_TCP, TCP_CONGESTION, "renoX".getBytes(StandardCharsets.US_ASCII), 4);
            e.api.getsockopt(fd, IPPROTO_TCP, TCP_CONGESTION, name, new int[] {4});
            e.api.getsockopt(fd, IPPROTO_TCP, TCP_CONGESTION, name, new int[] {40});
            e.api.getsockopt(fd, IPPROTO_TCP, TCP_CONGESTION);
            e.api.setsockopt(fd, IPPROTO_TCP, TCP_CONGESTION, 1);
        });
    }

    @Test
    void tcpCongestion_listenerChoiceReachesTheAcceptedSocket_connectedOneChanges() throws Exception {
        sameAsLinux(e -> {
            int l = e.listening(0);
            e.api.setsockopt(l, IPPROTO_TCP, TCP_CONGESTION, "cubic".getBytes(StandardCharsets.US_ASCII), 5);
            e.peerConnect(e.self, e.port(0));
            int child = e.api.accept4(l, 0);
            byte[] name = new byte[16];
            e.api.getsockopt(child, IPPROTO_TCP, TCP_CONGESTION, name, new int[] {16});
            int[] c = e.connectedToPeer(1);
            e.api.getsockopt(c[0], IPPROTO_TCP, TCP_CONGESTION, name, new int[] {16});
            e.api.setsockopt(c[0], IPPROTO_TCP, TCP_CONGESTION, "cubic".getBytes(StandardCharsets.US_ASCII), 5);
            e.api.getsockopt(c[0], IPPROTO_TCP, TCP_CONGESTION, name, new int[] {16});
        });
    }

    @Test
    void intOptions_byteForms_shortLengthsAsLinux() throws Exception {
        sameAsLinux(e -> {
            int fd = tcp(e);
            e.api.setsockopt(fd, SOL_SOCKET, SocketConstants.SO_REUSEADDR, new byte[] {1, 0}, 2);
            e.api.setsockopt(fd, SOL_SOCKET, SocketConstants.SO_REUSEADDR, new byte[] {1, 0, 0, 0, 0, 0, 0, 0}, 8);
            e.api.setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, new byte[] {1}, 1);
            e.api.getsockopt(fd, SOL_SOCKET, SO_RCVBUF, new byte[8], new int[] {2});
            e.api.getsockopt(fd, SOL_SOCKET, SO_RCVBUF, new byte[8], new int[] {0});
            e.api.getsockopt(fd, SOL_SOCKET, SO_RCVBUF, new byte[8], new int[] {8});
            e.api.getsockopt(fd, IPPROTO_TCP, TCP_NODELAY, new byte[8], new int[] {1});
            e.api.getsockopt(fd, SOL_SOCKET, SO_RCVBUF, new byte[8], new int[] {-1});
            e.api.getsockopt(fd, SOL_SOCKET, SocketConstants.SO_RCVTIMEO, new byte[16], new int[] {4});
            e.api.getsockopt(fd, SOL_SOCKET, SocketConstants.SO_RCVTIMEO);
            e.api.getsockopt(fd, 4242, 1);
            e.api.getsockopt(fd, SocketConstants.IPPROTO_IP, 9999);
            e.api.setsockopt(fd, SocketConstants.IPPROTO_IP, 9999, 1);
        });
    }

    // The errno classes of connect(2) that need an unanswered or unreachable destination

    @Test
    void blackHole_einprogressEalreadyThenEtimedout() throws Exception {
        sameAsLinux(e -> {
            int fd = e.api.socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
            e.api.connect(fd, ApiDifferential.BLACK_HOLE, 80);
            e.api.connect(fd, ApiDifferential.BLACK_HOLE, 80);
            e.api.poll(fd, POLLOUT, 0);
            int timed = tcp(e);
            e.api.setTimeout(timed, SO_SNDTIMEO, 0, 100_000);
            e.api.connect(timed, ApiDifferential.BLACK_HOLE, 81);
            e.api.connect(timed, ApiDifferential.BLACK_HOLE, 81);
            int blocking = tcp(e);
            e.api.connect(blocking, ApiDifferential.BLACK_HOLE, 82);
            e.api.getsockopt(blocking, SOL_SOCKET, SO_ERROR);
            e.api.connect(fd, ApiDifferential.BLACK_HOLE, 80);
        });
    }

    @Test
    void unreachableDestinations_ehostunreachAndEnetunreach() throws Exception {
        sameAsLinux(e -> {
            e.api.connect(tcp(e), ApiDifferential.HOST_UNREACHABLE, 80);
            e.api.connect(tcp(e), ApiDifferential.NET_UNREACHABLE, 80);
        });
    }

    // EMFILE: a full descriptor table (RLIMIT_NOFILE for the kernel, the table's size for tcpsim)

    @Test
    void fullDescriptorTable_socketAcceptAndEpollCreateFailWithEmfile() throws Exception {
        LinuxSockets linux = new LinuxSockets();
        long[] saved = new long[1];
        ApiDifferential.Scenario onLinux = e -> emfile(e, () -> {
            saved[0] = linux.openFileLimit();
            linux.setOpenFileLimit(highestOpenDescriptor() + 8);
        }, () -> linux.setOpenFileLimit(saved[0]));
        ApiDifferential.Scenario onTcpsim = e -> emfile(e, () -> { }, () -> { });
        List<List<String>> traces = fixture.traces(onLinux, onTcpsim, fixture.stack().api(16));
        ApiDifferential.compare(traces.get(0), traces.get(1));
    }

    private static void emfile(Env e, Runnable limit, Runnable restore) {
        int listener = e.listening(0);
        e.peerConnect(e.self, e.port(0));
        Sockets raw = e.api.inner();
        List<Integer> filled = new java.util.ArrayList<>();
        // Load what the full table's window uses first: a class loaded then could not open its file.
        e.note("table", Errno.name(Errno.EMFILE).length() > 0);
        limit.run();
        try {
            for (int fd = raw.socket(AF_INET, SOCK_STREAM, 0); fd >= 0 && filled.size() < 10_000;
                    fd = raw.socket(AF_INET, SOCK_STREAM, 0)) {
                filled.add(fd);
            }
            e.note("filled until", Errno.name(raw.errno()));
            e.api.socket(AF_INET, SOCK_STREAM, 0);
            e.api.accept4(listener, 0);
            e.api.epollCreate1(0);
            raw.close(filled.removeLast());
            e.api.accept4(listener, 0);
            e.api.socket(AF_INET, SOCK_STREAM, 0);
        } finally {
            restore.run();
            filled.forEach(raw::close);
        }
    }

    private static long highestOpenDescriptor() {
        try (var fds = java.nio.file.Files.list(java.nio.file.Path.of("/proc/self/fd"))) {
            return fds.mapToLong(p -> Long.parseLong(p.getFileName().toString())).max().orElse(0);
        } catch (java.io.IOException x) {
            throw new java.io.UncheckedIOException(x);
        }
    }
}
