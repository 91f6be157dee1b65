package io.tcpsim.socket;

import static io.tcpsim.socket.SocketConstants.AF_INET;
import static io.tcpsim.socket.SocketConstants.EPOLLERR;
import static io.tcpsim.socket.SocketConstants.EPOLLIN;
import static io.tcpsim.socket.SocketConstants.EPOLLOUT;
import static io.tcpsim.socket.SocketConstants.EPOLL_CTL_ADD;
import static io.tcpsim.socket.SocketConstants.SHUT_RD;
import static io.tcpsim.socket.SocketConstants.SOCK_DGRAM;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.tcpsim.testsupport.RequiresTun;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** UDP sockets' blocking calls on virtual threads and their epoll readiness, with the kernel as the peer. */
@RequiresTun
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DatagramBlockingTest {
    private static SocketStack stack;
    private static SocketApi api;

    @BeforeAll
    static void start() throws Exception {
        stack = SocketStack.start(64);
        api = stack.api();
    }

    @AfterAll
    static void stop() throws Exception {
        if (stack != null) {
            stack.close();
        }
    }

    private static int bound(int port) {
        int fd = api.socket(AF_INET, SOCK_DGRAM, 0);
        assertEquals(0, api.bind(fd, SockAddrIn.of(0, port)), "errno " + SocketApi.errno());
        return fd;
    }

    private static DatagramSocket kernelSocket() throws Exception {
        return stack.inside(() -> new DatagramSocket(new InetSocketAddress(InetAddress.getByName("10.0.0.1"), 0)));
    }

    private static void kernelSend(DatagramSocket kernel, String text, int port) throws Exception {
        byte[] data = text.getBytes(StandardCharsets.US_ASCII);
        kernel.send(new DatagramPacket(data, data.length, InetAddress.getByName("10.0.0.2"), port));
    }

    @Test
    void blockedRecvfrom_datagramArrives_wakesWithItAndItsSender() throws Exception {
        int fd = bound(7101);
        try (DatagramSocket kernel = kernelSocket()) {
            byte[] buf = new byte[64];
            SockAddrIn from = new SockAddrIn();
            CompletableFuture<Long> recv = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> recv.complete(api.recvfrom(fd, buf, 0, buf.length, 0, from)));
            Thread.sleep(100);
            assertFalse(recv.isDone(), "the receive blocks while nothing has arrived");
            kernelSend(kernel, "wake", 7101);
            assertEquals(4, recv.get(5, TimeUnit.SECONDS));
            assertArrayEquals("wake".getBytes(StandardCharsets.US_ASCII), Arrays.copyOf(buf, 4));
            assertEquals(SocketStack.KERNEL, from.address());
            assertEquals(kernel.getLocalPort(), from.port());
        } finally {
            api.close(fd);
        }
    }

    @Test
    void blockedRecv_shutdownRdFromAnotherThread_returnsZero() throws Exception {
        int fd = bound(7102);
        CompletableFuture<Long> recv = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> recv.complete(api.recv(fd, new byte[16], 0, 16, 0)));
        Thread.sleep(100);
        assertEquals(-1, api.shutdown(fd, SHUT_RD), "unconnected: ENOTCONN, yet it takes effect");
        assertEquals(Errno.ENOTCONN, SocketApi.errno());
        assertEquals(0, recv.get(5, TimeUnit.SECONDS));
        api.close(fd);
    }

    @Test
    void blockedRecv_closeFromAnotherThread_failsWithEbadf() throws Exception {
        int fd = bound(7103);
        CompletableFuture<Integer> errno = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> errno.complete(api.recv(fd, new byte[16], 0, 16, 0) < 0 ? SocketApi.errno() : 0));
        Thread.sleep(100);
        assertEquals(0, api.close(fd));
        assertEquals(Errno.EBADF, errno.get(5, TimeUnit.SECONDS));
    }

    @Test
    void epoll_datagramMakesItReadable_portUnreachableMakesItErr() throws Exception {
        int fd = bound(7104);
        int ep = api.epollCreate1(0);
        EpollEvent[] events = {new EpollEvent()};
        try (DatagramSocket kernel = kernelSocket()) {
            assertEquals(0, api.epollCtl(ep, EPOLL_CTL_ADD, fd, new EpollEvent(EPOLLIN, 9)));
            assertEquals(0, api.epollWait(ep, events, 1, 0), "nothing queued");
            kernelSend(kernel, "x", 7104);
            assertEquals(1, api.epollWait(ep, events, 1, 2000));
            assertEquals(EPOLLIN, events[0].events);
            assertEquals(1, api.recv(fd, new byte[4], 0, 4, 0));
            assertEquals(0, api.connect(fd, SockAddrIn.of(SocketStack.KERNEL, kernel.getLocalPort() + 1)));
            assertEquals(1, api.send(fd, new byte[1], 0, 1, 0));
            assertEquals(1, api.epollWait(ep, events, 1, 2000), "the kernel's port unreachable arrives");
            assertEquals(EPOLLERR, events[0].events);
            int[] error = new int[1];
            assertEquals(0, api.getsockopt(fd, SocketConstants.SOL_SOCKET, SocketConstants.SO_ERROR, error));
            assertEquals(Errno.ECONNREFUSED, error[0]);
            assertEquals(0, api.epollCtl(ep, SocketConstants.EPOLL_CTL_MOD, fd, new EpollEvent(EPOLLIN | EPOLLOUT, 9)));
            assertEquals(1, api.epollWait(ep, events, 1, 0));
            assertEquals(EPOLLOUT, events[0].events, "always writable, the error read");
        } finally {
            api.close(ep);
            api.close(fd);
        }
    }

    @Test
    void manyDatagramsFromTheKernel_allQueuedAndReadOneByOne() throws Exception {
        int fd = bound(7105);
        try (DatagramSocket kernel = kernelSocket()) {
            for (int i = 0; i < 50; i++) {
                kernelSend(kernel, "datagram " + i, 7105);
            }
            byte[] buf = new byte[64];
            for (int i = 0; i < 50; i++) {
                long n = api.recv(fd, buf, 0, buf.length, 0);
                assertEquals("datagram " + i, new String(buf, 0, (int) n, StandardCharsets.US_ASCII));
            }
            int[] queued = new int[1];
            assertEquals(0, api.ioctl(fd, SocketConstants.FIONREAD, queued));
            assertEquals(0, queued[0]);
        } finally {
            api.close(fd);
        }
    }
}
