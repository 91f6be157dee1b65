package io.tcpsim.socket;

import static io.tcpsim.socket.SocketConstants.EPOLLET;
import static io.tcpsim.socket.SocketConstants.EPOLLIN;
import static io.tcpsim.socket.SocketConstants.EPOLLONESHOT;
import static io.tcpsim.socket.SocketConstants.EPOLLOUT;
import static io.tcpsim.socket.SocketConstants.EPOLL_CTL_ADD;
import static io.tcpsim.socket.SocketConstants.EPOLL_CTL_MOD;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * The ready list of an epoll instance without a network: fresh sockets are always writable
 * (EPOLLOUT | EPOLLHUP), so what each epoll_wait reports depends only on the ready list's rules
 * (Linux ep_poll_callback(), ep_send_events()).
 */
class EpollTest {
    private final Epoll epoll = new Epoll();

    private static TcpSocket fresh() {
        return new TcpSocket(SocketConstants.AF_INET, false, new SocketSettings());
    }

    private long[] harvest(int max) {
        EpollEvent[] out = new EpollEvent[8];
        int n = epoll.collect(out, max);
        long[] data = new long[n];
        for (int i = 0; i < n; i++) {
            data[i] = out[i].data;
        }
        return data;
    }

    @Test
    void levelTriggered_smallMaxEvents_takesTurns() {
        for (int i = 0; i < 3; i++) {
            epoll.control(EPOLL_CTL_ADD, 10 + i, fresh(), new EpollEvent(EPOLLOUT, i));
        }
        assertArrayEquals(new long[] {0}, harvest(1));
        assertArrayEquals(new long[] {1, 2}, harvest(2));
        assertArrayEquals(new long[] {0, 1, 2}, harvest(8));
    }

    @Test
    void edgeTriggered_onlyAWakeUpWhoseKeyMeetsTheEventsQueuesAgain() {
        TcpSocket s = fresh();
        epoll.control(EPOLL_CTL_ADD, 10, s, new EpollEvent(EPOLLOUT | EPOLLET, 7));
        assertArrayEquals(new long[] {7}, harvest(8));
        assertArrayEquals(new long[] {}, harvest(8));
        s.waiters().wake(TcpSocket.READ_KEY);
        assertArrayEquals(new long[] {}, harvest(8));
        s.waiters().wake(TcpSocket.WRITE_KEY);
        assertArrayEquals(new long[] {7}, harvest(8));
        s.waiters().wakeAll();
        assertArrayEquals(new long[] {7}, harvest(8));
    }

    @Test
    void oneShot_silentAfterOneReport_untilModified() {
        TcpSocket s = fresh();
        epoll.control(EPOLL_CTL_ADD, 10, s, new EpollEvent(EPOLLOUT | EPOLLONESHOT, 1));
        assertArrayEquals(new long[] {1}, harvest(8));
        s.waiters().wakeAll();
        assertArrayEquals(new long[] {}, harvest(8));
        assertEquals(0, epoll.control(EPOLL_CTL_MOD, 10, s, new EpollEvent(EPOLLOUT | EPOLLONESHOT, 2)));
        assertArrayEquals(new long[] {2}, harvest(8));
    }

    @Test
    void interestInEventsTheFileDoesNotHave_isNeverReported() {
        TcpSocket s = fresh();
        epoll.control(EPOLL_CTL_ADD, 10, s, new EpollEvent(EPOLLIN, 1));
        s.waiters().wakeAll();
        assertArrayEquals(new long[] {}, harvest(8));
    }

    @Test
    void nestedInstance_isReadableWhileItHasAReadyFile() {
        Epoll inner = new Epoll();
        TcpSocket s = fresh();
        epoll.control(EPOLL_CTL_ADD, 10, inner, new EpollEvent(EPOLLIN, 9));
        assertEquals(0, inner.pollMask());
        assertArrayEquals(new long[] {}, harvest(8));
        inner.control(EPOLL_CTL_ADD, 11, s, new EpollEvent(EPOLLOUT, 1));
        assertEquals(SocketConstants.POLLIN | SocketConstants.POLLRDNORM, inner.pollMask());
        assertArrayEquals(new long[] {9}, harvest(8));
    }

    @Test
    void closedFile_isDroppedFromTheReadyList() {
        TcpSocket s = fresh();
        epoll.control(EPOLL_CTL_ADD, 10, s, new EpollEvent(EPOLLOUT, 1));
        s.markClosed();
        assertArrayEquals(new long[] {}, harvest(8));
        assertEquals(0, epoll.control(EPOLL_CTL_ADD, 10, fresh(), new EpollEvent(EPOLLOUT, 2)));
        assertArrayEquals(new long[] {2}, harvest(8));
    }
}
