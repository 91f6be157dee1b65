package io.tcpsim.socket;

import static io.tcpsim.socket.SocketConstants.AF_INET;
import static io.tcpsim.socket.SocketConstants.EPOLLET;
import static io.tcpsim.socket.SocketConstants.EPOLLIN;
import static io.tcpsim.socket.SocketConstants.EPOLLONESHOT;
import static io.tcpsim.socket.SocketConstants.EPOLL_CTL_ADD;
import static io.tcpsim.socket.SocketConstants.EPOLL_CTL_MOD;
import static io.tcpsim.socket.SocketConstants.SHUT_RD;
import static io.tcpsim.socket.SocketConstants.SOCK_STREAM;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcpsim.testsupport.RequiresTun;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Blocking calls on virtual threads, what wakes them, epoll's triggers and the descriptor limit. */
@RequiresTun
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class BlockingTest {
    private static final int MAX_FILES = 16;
    private static SocketStack stack;
    private static SocketApi api;

    @BeforeAll
    static void start() throws Exception {
        stack = SocketStack.start(MAX_FILES);
        api = stack.api();
    }

    @AfterAll
    static void stop() throws Exception {
        if (stack != null) {
            stack.close();
        }
    }

    /** A tcpsim socket connected to a kernel socket: {tcpsim fd, kernel socket}. */
    private static Object[] connected(int port) throws Exception {
        try (ServerSocket server = stack.inside(() -> new ServerSocket(port, 4, InetAddress.getByName("10.0.0.1")))) {
            int fd = api.socket(AF_INET, SOCK_STREAM, 0);
            assertEquals(0, api.connect(fd, SockAddrIn.of(SocketStack.KERNEL, port)), "errno " + SocketApi.errno());
            return new Object[] {fd, stack.inside(server::accept)};
        }
    }

    @Test
    void virtualThreadBlockedInRead_peerWrites_wakesWithTheBytes() throws Exception {
        Object[] c = connected(7001);
        try (Socket peer = (Socket) c[1]) {
            int fd = (int) c[0];
            CompletableFuture<Long> read = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> read.complete(api.read(fd, new byte[64], 0, 64)));
            Thread.sleep(100);
            assertTrue(!read.isDone(), "the read blocks while nothing has arrived");
            peer.getOutputStream().write(new byte[5]);
            assertEquals(5, read.get(5, TimeUnit.SECONDS));
            api.close(fd);
        }
    }

    @Test
    void blockedRead_shutdownRdFromAnotherThread_returnsZero() throws Exception {
        Object[] c = connected(7002);
        try (Socket peer = (Socket) c[1]) {
            int fd = (int) c[0];
            CompletableFuture<Long> read = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> read.complete(api.read(fd, new byte[64], 0, 64)));
            Thread.sleep(100);
            assertEquals(0, api.shutdown(fd, SHUT_RD));
            assertEquals(0, read.get(5, TimeUnit.SECONDS));
            api.close(fd);
        }
    }

    @Test
    void blockingWrite_largerThanSendBuffer_returnsOnlyWhenAllCopied() throws Exception {
        Object[] c = connected(7003);
        try (Socket peer = (Socket) c[1]) {
            int fd = (int) c[0];
            byte[] big = new byte[1 << 20];
            CompletableFuture<Long> written = new CompletableFuture<>();
            Thread.ofVirtual().start(() -> written.complete(api.write(fd, big, 0, big.length)));
            CompletableFuture<byte[]> drained = CompletableFuture.supplyAsync(() -> {
                try {
                    return peer.getInputStream().readNBytes(big.length);
                } catch (java.io.IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            assertEquals(big.length, written.get(20, TimeUnit.SECONDS));
            assertEquals(big.length, drained.get(20, TimeUnit.SECONDS).length);
            api.close(fd);
        }
    }

    @Test
    void stackAsleep_execute_runsTaskWithinMilliseconds() throws Exception {
        int fd = api.socket(AF_INET, SOCK_STREAM, 0);
        long start = System.nanoTime();
        for (int i = 0; i < 20; i++) {
            api.getsockname(fd, new SockAddrIn());
        }
        long perCallMicros = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - start) / 20;
        api.close(fd);
        assertTrue(perCallMicros < 10_000, "a call waited " + perCallMicros + " us for the stack thread (50 ms sleep?)");
    }

    @Test
    void fullTable_socket_emfile_closeFreesLowestDescriptor() {
        int[] fds = new int[MAX_FILES];
        int n = 0;
        int fd;
        while ((fd = api.socket(AF_INET, SOCK_STREAM, 0)) >= 0) {
            fds[n++] = fd;
        }
        assertEquals(Errno.EMFILE, SocketApi.errno());
        assertEquals(MAX_FILES - FdTable.FIRST, n);
        api.close(fds[2]);
        assertEquals(fds[2], api.socket(AF_INET, SOCK_STREAM, 0));
        for (int i = 0; i < n; i++) {
            api.close(fds[i]);
        }
    }

    @Test
    void epoll_levelEdgeAndOneshot_reportAsLinuxDescribes() throws Exception {
        Object[] c = connected(7004);
        try (Socket peer = (Socket) c[1]) {
            int fd = (int) c[0];
            int ep = api.epollCreate1(0);
            EpollEvent[] events = {new EpollEvent()};
            assertEquals(0, api.epollCtl(ep, EPOLL_CTL_ADD, fd, new EpollEvent(EPOLLIN | EPOLLET, 42)));
            assertEquals(0, api.epollWait(ep, events, 1, 0), "nothing to read yet");
            peer.getOutputStream().write(new byte[3]);
            assertEquals(1, api.epollWait(ep, events, 1, 2000));
            assertEquals(42, events[0].data);
            assertEquals(0, api.epollWait(ep, events, 1, 50), "edge-triggered: reported once");
            assertEquals(0, api.epollCtl(ep, EPOLL_CTL_MOD, fd, new EpollEvent(EPOLLIN, 7)));
            assertEquals(1, api.epollWait(ep, events, 1, 0));
            assertEquals(1, api.epollWait(ep, events, 1, 0), "level-triggered: again while readable");
            assertEquals(0, api.epollCtl(ep, EPOLL_CTL_MOD, fd, new EpollEvent(EPOLLIN | EPOLLONESHOT, 7)));
            assertEquals(1, api.epollWait(ep, events, 1, 0));
            assertEquals(0, api.epollWait(ep, events, 1, 0), "one-shot: disabled until EPOLL_CTL_MOD");
            assertEquals(-1, api.epollCtl(ep, EPOLL_CTL_ADD, fd, new EpollEvent(EPOLLIN, 0)));
            assertEquals(Errno.EEXIST, SocketApi.errno());
            api.close(ep);
            api.close(fd);
        }
    }

    @Test
    void wildcardListener_kernelConnects_acceptReturnsPeerAddress() throws Exception {
        int fd = api.socket(AF_INET, SOCK_STREAM, 0);
        assertEquals(0, api.bind(fd, SockAddrIn.of(0, 7005)));
        assertEquals(0, api.listen(fd, 4));
        try (Socket peer = stack.inside(() -> {
            Socket s = new Socket();
            s.connect(new InetSocketAddress("10.0.0.2", 7005), 5000);
            return s;
        })) {
            SockAddrIn from = new SockAddrIn();
            int child = api.accept(fd, from);
            assertTrue(child >= 0, "errno " + SocketApi.errno());
            assertEquals(peer.getLocalPort(), from.port());
            assertEquals(SocketStack.KERNEL, from.address());
            api.close(child);
        }
        api.close(fd);
    }
}
