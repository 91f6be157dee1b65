package io.tcpsim.socket;

import static io.tcpsim.socket.SocketConstants.AF_INET;
import static io.tcpsim.socket.SocketConstants.EPOLLERR;
import static io.tcpsim.socket.SocketConstants.EPOLLET;
import static io.tcpsim.socket.SocketConstants.EPOLLEXCLUSIVE;
import static io.tcpsim.socket.SocketConstants.EPOLLHUP;
import static io.tcpsim.socket.SocketConstants.EPOLLIN;
import static io.tcpsim.socket.SocketConstants.EPOLLONESHOT;
import static io.tcpsim.socket.SocketConstants.EPOLLOUT;
import static io.tcpsim.socket.SocketConstants.EPOLLRDHUP;
import static io.tcpsim.socket.SocketConstants.EPOLL_CTL_ADD;
import static io.tcpsim.socket.SocketConstants.EPOLL_CTL_DEL;
import static io.tcpsim.socket.SocketConstants.EPOLL_CTL_MOD;
import static io.tcpsim.socket.SocketConstants.MSG_DONTWAIT;
import static io.tcpsim.socket.SocketConstants.POLLIN;
import static io.tcpsim.socket.SocketConstants.POLLOUT;
import static io.tcpsim.socket.SocketConstants.SHUT_WR;
import static io.tcpsim.socket.SocketConstants.SOCK_NONBLOCK;
import static io.tcpsim.socket.SocketConstants.SOCK_STREAM;
import static io.tcpsim.socket.SocketConstants.SOL_SOCKET;
import static io.tcpsim.socket.SocketConstants.SO_SNDBUF;

import io.tcpsim.testsupport.RequiresTun;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * epoll against the kernel: level and edge triggering (an edge only on a wake-up whose key meets
 * the interest, as Linux's keyed wake-ups), EPOLLONESHOT and its re-arming, the ready list's
 * round robin, EPOLLRDHUP, EPOLLERR and EPOLLHUP, EPOLLOUT once a full send buffer drains,
 * epoll_ctl's errno, nested epoll instances and poll(2) of one.
 */
@RequiresTun
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class EpollDifferentialTest {
    private static final byte[] DATA = "data".getBytes(StandardCharsets.US_ASCII);
    private static ApiDifferential fixture;

    @BeforeAll
    static void start() throws Exception {
        fixture = ApiDifferential.start(41_000);
    }

    @AfterAll
    static void stop() throws Exception {
        if (fixture != null) {
            fixture.close();
        }
    }

    private static int add(Env e, int ep, int fd, int events, long data) {
        return e.api.epollCtl(ep, EPOLL_CTL_ADD, fd, new EpollEvent(events, data));
    }

    private static int await(Env e, int ep, int max, int timeoutMillis) {
        return e.api.epollWait(ep, max, timeoutMillis, new int[8], new long[8]);
    }

    /** The kernel peer reads what the api side sent, so that its ACK comes back. */
    private static void peerDrains(Env e, int peer, int bytes) {
        e.note("peer drained", e.peerRead(peer, bytes, 2000).length);
    }

    @Test
    void levelTriggered_reportsWhileReadable() throws Exception {
        fixture.sameAsLinux(e -> {
            int[] fds = e.connectedToPeer(0);
            int ep = e.api.epollCreate1(0);
            add(e, ep, fds[0], EPOLLIN, 1);
            await(e, ep, 8, 0);
            e.peerSend(fds[1], DATA);
            await(e, ep, 8, 2000);
            await(e, ep, 8, 0);
            e.api.recv(fds[0], new byte[8], 8, 0);
            await(e, ep, 8, 0);
        });
    }

    @Test
    void edgeTriggered_onlyNewData_notTheAckOfOurs() throws Exception {
        fixture.sameAsLinux(e -> {
            int[] fds = e.connectedToPeer(0);
            int ep = e.api.epollCreate1(0);
            add(e, ep, fds[0], EPOLLIN | EPOLLET, 1);
            await(e, ep, 8, 0);
            e.peerSend(fds[1], DATA);
            await(e, ep, 8, 2000);
            await(e, ep, 8, 0);
            e.api.send(fds[0], DATA, DATA.length, 0);
            peerDrains(e, fds[1], DATA.length);
            await(e, ep, 8, 100);
            e.peerSend(fds[1], DATA);
            await(e, ep, 8, 2000);
        });
    }

    @Test
    void edgeTriggeredInOut_dataArrivalReportsBoth_ownSendNothing() throws Exception {
        fixture.sameAsLinux(e -> {
            int[] fds = e.connectedToPeer(0);
            int ep = e.api.epollCreate1(0);
            add(e, ep, fds[0], EPOLLIN | EPOLLOUT | EPOLLET, 1);
            await(e, ep, 8, 0);
            await(e, ep, 8, 0);
            e.peerSend(fds[1], DATA);
            await(e, ep, 8, 2000);
            e.api.send(fds[0], DATA, DATA.length, 0);
            peerDrains(e, fds[1], DATA.length);
            await(e, ep, 8, 100);
        });
    }

    @Test
    void oneShot_disabledAfterOneReport_untilMod() throws Exception {
        fixture.sameAsLinux(e -> {
            int[] fds = e.connectedToPeer(0);
            int ep = e.api.epollCreate1(0);
            add(e, ep, fds[0], EPOLLIN | EPOLLONESHOT, 1);
            e.peerSend(fds[1], DATA);
            await(e, ep, 8, 2000);
            await(e, ep, 8, 0);
            e.peerSend(fds[1], DATA);
            await(e, ep, 8, 100);
            e.api.epollCtl(ep, EPOLL_CTL_MOD, fds[0], new EpollEvent(EPOLLIN | EPOLLONESHOT, 2));
            await(e, ep, 8, 0);
            await(e, ep, 8, 0);
        });
    }

    @Test
    void levelTriggered_maxEventsOne_everyReadySocketGetsItsTurn() throws Exception {
        fixture.sameAsLinux(e -> {
            int ep = e.api.epollCreate1(0);
            for (int i = 0; i < 3; i++) {
                int[] fds = e.connectedToPeer(i);
                add(e, ep, fds[0], EPOLLIN, i);
                e.peerSend(fds[1], DATA);
                e.api.poll(fds[0], POLLIN, 2000);
            }
            for (int i = 0; i < 5; i++) {
                await(e, ep, 1, 0);
            }
        });
    }

    @Test
    void peerShutdownThenReset_rdhupThenErrHup() throws Exception {
        fixture.sameAsLinux(e -> {
            int[] fds = e.connectedToPeer(0);
            int ep = e.api.epollCreate1(0);
            add(e, ep, fds[0], EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET, 1);
            await(e, ep, 8, 0);
            e.kernel.shutdown(fds[1], SHUT_WR);
            await(e, ep, 8, 2000);
            e.peerReset(fds[1]);
            await(e, ep, 8, 2000);
            e.api.recv(fds[0], new byte[8], 8, 0);
            e.api.epollCtl(ep, EPOLL_CTL_MOD, fds[0], new EpollEvent(EPOLLIN | EPOLLOUT | EPOLLRDHUP, 2));
            await(e, ep, 8, 0);
        });
    }

    @Test
    void edgeTriggeredOut_reportedAgainOnlyOnceAFullBufferDrains() throws Exception {
        fixture.sameAsLinux(e -> {
            int listener = e.peerListen(e.port(0), 2304);
            int fd = e.api.socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
            e.api.setsockopt(fd, SOL_SOCKET, SO_SNDBUF, 8192);
            e.api.connect(fd, e.peer, e.port(0));
            e.api.poll(fd, POLLOUT, 2000);
            int peer = e.peerAccept(listener);
            int ep = e.api.epollCreate1(0);
            add(e, ep, fd, EPOLLOUT | EPOLLET, 1);
            await(e, ep, 8, 0);
            long sent = 0;
            byte[] chunk = new byte[4096];
            for (long n = 0; n >= 0; n = e.api.inner().send(fd, chunk, chunk.length, MSG_DONTWAIT)) {
                sent += n;
            }
            await(e, ep, 8, 100);
            e.note("peer got all", e.peerRead(peer, (int) sent, 3000).length == sent);
            await(e, ep, 8, 2000);
            e.api.send(fd, DATA, 1, 0);
            peerDrains(e, peer, 1);
            await(e, ep, 8, 100);
        });
    }

    @Test
    void epollCtl_errnosInLinuxOrder() throws Exception {
        fixture.sameAsLinux(e -> {
            int ep = e.api.epollCreate1(0);
            e.api.epollCreate1(1);
            int fd = e.api.socket(AF_INET, SOCK_STREAM, 0);
            int closed = e.api.socket(AF_INET, SOCK_STREAM, 0);
            e.api.close(closed);
            EpollEvent in = new EpollEvent(EPOLLIN, 1);
            e.api.epollCtl(closed, EPOLL_CTL_ADD, fd, in);
            e.api.epollCtl(ep, EPOLL_CTL_ADD, closed, in);
            e.api.epollCtl(ep, EPOLL_CTL_ADD, ep, in);
            e.api.epollCtl(fd, EPOLL_CTL_ADD, ep, in);
            e.api.epollCtl(ep, EPOLL_CTL_MOD, fd, in);
            e.api.epollCtl(ep, EPOLL_CTL_DEL, fd, null);
            e.api.epollCtl(ep, EPOLL_CTL_ADD, fd, null);
            e.api.epollCtl(ep, EPOLL_CTL_ADD, fd, in);
            e.api.epollCtl(ep, EPOLL_CTL_ADD, fd, in);
            e.api.epollCtl(ep, 99, fd, in);
            e.api.epollCtl(ep, EPOLL_CTL_MOD, fd, new EpollEvent(EPOLLIN | EPOLLEXCLUSIVE, 1));
            e.api.epollCtl(ep, EPOLL_CTL_DEL, fd, null);
            e.api.epollCtl(ep, EPOLL_CTL_ADD, fd, new EpollEvent(EPOLLIN | EPOLLEXCLUSIVE | EPOLLONESHOT, 1));
            e.api.epollCtl(ep, EPOLL_CTL_ADD, fd, new EpollEvent(EPOLLIN | EPOLLRDHUP | EPOLLEXCLUSIVE, 1));
            e.api.epollCtl(ep, EPOLL_CTL_ADD, fd, new EpollEvent(EPOLLIN | EPOLLEXCLUSIVE, 1));
            e.api.epollCtl(ep, EPOLL_CTL_MOD, fd, in);
            await(e, ep, 0, 0);
            await(e, fd, 8, 0);
            await(e, closed, 8, 0);
            e.api.close(fd);
            e.api.epollCtl(ep, EPOLL_CTL_DEL, fd, null);
        });
    }

    @Test
    void nestedEpoll_innerReadyIsOuterIn_pollOfAnEpoll_loopsRefused() throws Exception {
        fixture.sameAsLinux(e -> {
            int[] fds = e.connectedToPeer(0);
            int inner = e.api.epollCreate1(0);
            int outer = e.api.epollCreate1(0);
            add(e, inner, fds[0], EPOLLIN, 1);
            add(e, outer, inner, EPOLLIN, 7);
            e.api.poll(inner, POLLIN | POLLOUT, 0);
            await(e, outer, 8, 0);
            e.peerSend(fds[1], DATA);
            await(e, outer, 8, 2000);
            e.api.poll(inner, POLLIN | POLLOUT, 0);
            add(e, inner, outer, EPOLLIN, 8);
            e.api.epollCtl(outer, EPOLL_CTL_ADD, inner, new EpollEvent(EPOLLIN | EPOLLEXCLUSIVE, 1));
            int[] chain = new int[6];
            for (int i = 0; i < chain.length; i++) {
                chain[i] = e.api.epollCreate1(0);
            }
            for (int i = 1; i < chain.length; i++) {
                add(e, chain[i], chain[i - 1], EPOLLIN, i);
            }
            e.api.recv(fds[0], new byte[8], 8, 0);
            await(e, outer, 8, 0);
        });
    }

    @Test
    void errHupOnAFreshSocket_andAfterAFailedConnect() throws Exception {
        fixture.sameAsLinux(e -> {
            int ep = e.api.epollCreate1(0);
            int fresh = e.api.socket(AF_INET, SOCK_STREAM, 0);
            add(e, ep, fresh, EPOLLIN | EPOLLOUT, 1);
            await(e, ep, 8, 0);
            int refused = e.api.socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
            add(e, ep, refused, EPOLLOUT | EPOLLET, 2);
            e.api.epollCtl(ep, EPOLL_CTL_DEL, fresh, null);
            e.api.connect(refused, e.peer, e.port(0));
            await(e, ep, 8, 2000);
            e.api.getsockopt(refused, SOL_SOCKET, SocketConstants.SO_ERROR);
            e.api.epollCtl(ep, EPOLL_CTL_MOD, refused, new EpollEvent(EPOLLOUT | EPOLLERR | EPOLLHUP, 3));
            await(e, ep, 8, 0);
        });
    }
}
