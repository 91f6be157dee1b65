package io.tcpsim.socket;

import static io.tcpsim.socket.SocketConstants.AF_INET;
import static io.tcpsim.socket.SocketConstants.IPPROTO_TCP;
import static io.tcpsim.socket.SocketConstants.SIOCOUTQ;
import static io.tcpsim.socket.SocketConstants.SOCK_STREAM;
import static io.tcpsim.socket.SocketConstants.SOL_SOCKET;
import static io.tcpsim.socket.SocketConstants.SO_REUSEADDR;
import static io.tcpsim.socket.SocketConstants.SO_TYPE;
import static io.tcpsim.socket.SocketConstants.TCP_INFO;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcpsim.tcp.TcpInfo;
import io.tcpsim.testsupport.RequiresTun;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Arrays;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * getsockopt(TCP_INFO) and SIOCOUTQ against the kernel. One connection between tcpsim and the
 * kernel is looked at from both ends: what is symmetric must agree (state, options, each side's
 * window scale and window as the other sees it, MSS, cwnd 10, bytes acked by one and received by
 * the other, data segments), and what Linux fixes must match (initial values of a fresh socket, a
 * listener's queue and backlog, optlen cut to the buffer).
 */
@RequiresTun
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TcpInfoDifferentialTest {
    private static final int OPTIONS = TcpInfo.TCPI_OPT_TIMESTAMPS | TcpInfo.TCPI_OPT_SACK | TcpInfo.TCPI_OPT_WSCALE;
    private static final Duration SETTLE = Duration.ofSeconds(10);
    private static SocketStack stack;

    private final LinuxSockets kernel = new LinuxSockets();
    private final LinuxOptionBytes kernelBytes = new LinuxOptionBytes();

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

    private SocketApi api() {
        return stack.api();
    }

    private TcpInfo tcpsimInfo(int fd) {
        byte[] b = new byte[TcpInfo.SIZE];
        int[] len = {b.length};
        assertEquals(0, api().getsockopt(fd, IPPROTO_TCP, TCP_INFO, b, len));
        assertEquals(TcpInfo.SIZE, len[0]);
        return TcpInfo.wrap(b, len[0]);
    }

    private TcpInfo kernelInfo(int fd) {
        byte[] b = new byte[TcpInfo.SIZE];
        int[] len = {b.length};
        assertEquals(0, kernelBytes.getsockopt(fd, IPPROTO_TCP, TCP_INFO, b, len));
        assertEquals(TcpInfo.SIZE, len[0], "this kernel's struct tcp_info is at least Linux 6.7's");
        return TcpInfo.wrap(b, len[0]);
    }

    private int kernelListener(int port, int backlog) {
        int l = kernel.socket(AF_INET, SOCK_STREAM, 0);
        kernel.setsockopt(l, SOL_SOCKET, SO_REUSEADDR, 1);
        assertEquals(0, kernel.bind(l, SocketStack.KERNEL, port));
        assertEquals(0, kernel.listen(l, backlog));
        return l;
    }

    private int tcpsimListener(int port, int backlog) {
        int l = api().socket(AF_INET, SOCK_STREAM, 0);
        api().setsockopt(l, SOL_SOCKET, SO_REUSEADDR, 1);
        assertEquals(0, api().bind(l, SockAddrIn.of(SocketStack.STACK, port)));
        assertEquals(0, api().listen(l, backlog));
        return l;
    }

    @Test
    void tcpsimConnectingAndTheKernelAcceptingSeeOneConnectionAlike() throws Exception {
        stack.inside(() -> {
            int listener = kernelListener(21_000, 5);
            int mine = api().socket(AF_INET, SOCK_STREAM, 0);
            assertEquals(0, api().connect(mine, SockAddrIn.of(SocketStack.KERNEL, 21_000)));
            int theirs = kernel.accept4(listener, 0);
            assertSameConnection(tcpsimInfo(mine), kernelInfo(theirs));
            assertEquals(1, tcpsimInfo(mine).bytesAcked(), "an active open counts its SYN, as Linux does");
            assertEquals(0, kernelInfo(theirs).bytesAcked(), "a passive open does not");
            exchange(mine, theirs, 10_000, 5_000);
            assertEquals(1 + 10_000, tcpsimInfo(mine).bytesAcked());
            assertEquals(10_000, kernelInfo(theirs).bytesReceived());
            assertEquals(5_000, kernelInfo(theirs).bytesAcked());
            assertEquals(5_000, tcpsimInfo(mine).bytesReceived());
            api().close(mine);
            kernel.close(theirs);
            kernel.close(listener);
            return null;
        });
    }

    @Test
    void theKernelConnectingAndTcpsimAcceptingSeeOneConnectionAlike() throws Exception {
        stack.inside(() -> {
            int listener = tcpsimListener(21_001, 5);
            int theirs = kernel.socket(AF_INET, SOCK_STREAM, 0);
            assertEquals(0, kernel.connect(theirs, SocketStack.STACK, 21_001));
            int mine = api().accept(listener, null);
            assertSameConnection(tcpsimInfo(mine), kernelInfo(theirs));
            assertEquals(0, tcpsimInfo(mine).bytesAcked());
            assertEquals(1, kernelInfo(theirs).bytesAcked());
            exchange(mine, theirs, 3_000, 20_000);
            assertEquals(3_000, tcpsimInfo(mine).bytesAcked());
            assertEquals(1 + 20_000, kernelInfo(theirs).bytesAcked());
            kernel.close(theirs);
            api().close(mine);
            api().close(listener);
            return null;
        });
    }

    /** The fields both ends of a fresh connection over the 1500-byte TUN must agree on. */
    private static void assertSameConnection(TcpInfo mine, TcpInfo theirs) {
        assertEquals(1, mine.state(), "ESTABLISHED");
        assertEquals(theirs.state(), mine.state());
        assertEquals(theirs.options() & OPTIONS, mine.options() & OPTIONS, "negotiated options");
        assertEquals(TcpInfo.TCPI_OPT_TIMESTAMPS | TcpInfo.TCPI_OPT_WSCALE,
                mine.options() & (TcpInfo.TCPI_OPT_TIMESTAMPS | TcpInfo.TCPI_OPT_WSCALE));
        assertEquals(theirs.rcvWscale(), mine.sndWscale(), "the shift one sends is the one the other receives with");
        assertEquals(theirs.sndWscale(), mine.rcvWscale());
        assertEquals(theirs.rcvWnd(), mine.sndWnd(), "the window the kernel offered is the one tcpsim sees");
        assertEquals(mine.rcvWnd(), theirs.sndWnd(), "and the other way round");
        for (TcpInfo i : new TcpInfo[] {mine, theirs}) {
            assertEquals(1448, i.sndMss(), "1500 - 40 - 12 (timestamps)");
            assertEquals(1448, i.advmss());
            assertEquals(536, i.rcvMss(), "TCP_MSS_DEFAULT until data arrives");
            assertEquals(1500, i.pmtu());
            assertEquals(10, i.sndCwnd(), "IW10");
            assertEquals(3, i.reordering());
            assertEquals(TcpInfo.INFINITE_SSTHRESH, i.sndSsthresh());
            assertEquals(14_480, i.rcvSpace(), "10 * advmss");
            assertEquals(0, i.unacked());
            assertEquals(0, i.caState());
            assertTrue(i.rto() >= 200_000 && i.rto() <= 1_000_000, "rto " + i.rto() + " us: from the handshake's RTT");
        }
    }

    /** Sends {@code fromTcpsim} and {@code fromKernel} bytes, reads them, and waits until all is acknowledged. */
    private void exchange(int mine, int theirs, int fromTcpsim, int fromKernel) {
        byte[] out = new byte[fromTcpsim];
        assertEquals(fromTcpsim, api().write(mine, out, 0, out.length));
        readFully(theirs, fromTcpsim, false);
        byte[] back = new byte[fromKernel];
        assertEquals(fromKernel, kernel.send(theirs, back, back.length, 0));
        readFully(mine, fromKernel, true);
        Awaitility.await().atMost(SETTLE).untilAsserted(() -> {
            TcpInfo m = tcpsimInfo(mine);
            TcpInfo t = kernelInfo(theirs);
            assertEquals(0, m.unacked());
            assertEquals(0, t.unacked());
            assertEquals(m.dataSegsOut(), t.dataSegsIn(), "every data segment tcpsim sent arrived once");
            assertEquals(t.dataSegsOut(), m.dataSegsIn(), "and the other way round");
        });
        TcpInfo m = tcpsimInfo(mine);
        TcpInfo t = kernelInfo(theirs);
        assertTrue(m.dataSegsOut() >= (fromTcpsim + 1447) / 1448, "segments of at most 1448 bytes: " + m.dataSegsOut());
        // Sent once each: a tail loss probe under load (a PTO of 2 * SRTT + 2 ms in a namespace) adds
        // its bytes to bytes_sent and bytes_retrans alike, on either side (Linux tcp_get_info()).
        assertEquals(fromTcpsim, m.bytesSent() - m.bytesRetrans(), "bytes sent, retransmissions aside: " + m);
        assertEquals(fromKernel, t.bytesSent() - t.bytesRetrans(), "bytes sent, retransmissions aside: " + t);
        assertEquals(1448, m.rcvMss(), "the kernel's full-sized segments were seen");
        assertEquals(1448, t.rcvMss());
        assertTrue(m.rtt() > 0 && m.rtt() < 1_000_000, "tcpsim's smoothed RTT " + m.rtt() + " us");
        assertTrue(m.lastDataRecv() < 10_000 && m.lastDataSent() < 10_000, "milliseconds since, not a clock");
    }

    private void readFully(int fd, int total, boolean tcpsim) {
        byte[] buf = new byte[total];
        int got = 0;
        while (got < total) {
            long n = tcpsim ? api().read(fd, buf, got, total - got) : kernel.recv(fd, buf, total - got, 0);
            assertTrue(n > 0, "read ended after " + got + " of " + total);
            got += (int) n;
        }
    }

    @Test
    void listenersReportTheirAcceptQueueAndBacklogAlike() throws Exception {
        stack.inside(() -> {
            int kernelListener = kernelListener(21_002, 7);
            int mineListener = tcpsimListener(21_003, 7);
            int[] fds = new int[4];
            for (int i = 0; i < 2; i++) {
                fds[i] = api().socket(AF_INET, SOCK_STREAM, 0);
                assertEquals(0, api().connect(fds[i], SockAddrIn.of(SocketStack.KERNEL, 21_002)));
                fds[2 + i] = kernel.socket(AF_INET, SOCK_STREAM, 0);
                assertEquals(0, kernel.connect(fds[2 + i], SocketStack.STACK, 21_003));
            }
            Awaitility.await().atMost(SETTLE).until(() -> tcpsimInfo(mineListener).unacked() == 2
                    && kernelInfo(kernelListener).unacked() == 2);
            TcpInfo mine = tcpsimInfo(mineListener);
            TcpInfo theirs = kernelInfo(kernelListener);
            assertEquals(10, mine.state(), "LISTEN");
            assertEquals(theirs.state(), mine.state());
            assertEquals(7, mine.sacked(), "a listener's tcpi_sacked is its backlog");
            assertEquals(theirs.sacked(), mine.sacked());
            assertEquals(theirs.sndCwnd(), mine.sndCwnd());
            assertEquals(theirs.reordering(), mine.reordering());
            assertEquals(0, mine.rto(), "Linux returns before the connection fields");
            assertEquals(theirs.rto(), mine.rto());
            api().close(fds[0]);
            api().close(fds[1]);
            kernel.close(fds[2]);
            kernel.close(fds[3]);
            api().close(mineListener);
            kernel.close(kernelListener);
            return null;
        });
    }

    @Test
    void aFreshSocketReportsLinuxsInitialValues() throws Exception {
        stack.inside(() -> {
            int myFd = api().socket(AF_INET, SOCK_STREAM, 0);
            int kernelFd = kernel.socket(AF_INET, SOCK_STREAM, 0);
            TcpInfo mine = tcpsimInfo(myFd);
            TcpInfo theirs = kernelInfo(kernelFd);
            assertEquals(7, theirs.state(), "CLOSE");
            assertEquals(theirs.state(), mine.state());
            assertEquals(theirs.rto(), mine.rto(), "TCP_TIMEOUT_INIT");
            assertEquals(theirs.sndMss(), mine.sndMss(), "TCP_MSS_DEFAULT");
            assertEquals(theirs.rttvar(), mine.rttvar());
            assertEquals(theirs.sndCwnd(), mine.sndCwnd());
            assertEquals(theirs.sndSsthresh(), mine.sndSsthresh());
            assertEquals(theirs.reordering(), mine.reordering());
            assertEquals(theirs.minRtt(), mine.minRtt(), "~0U before a sample");
            api().close(myFd);
            kernel.close(kernelFd);
            return null;
        });
    }

    @Test
    void optlenCutsTheStructAsLinuxDoes() throws Exception {
        stack.inside(() -> {
            int listener = kernelListener(21_004, 5);
            int mine = api().socket(AF_INET, SOCK_STREAM, 0);
            assertEquals(0, api().connect(mine, SockAddrIn.of(SocketStack.KERNEL, 21_004)));
            int theirs = kernel.accept4(listener, 0);
            byte[] full = tcpsimInfo(mine).toBytes();
            for (int requested : new int[] {0, 1, 8, 100}) {
                byte[] m = new byte[TcpInfo.SIZE];
                byte[] t = new byte[TcpInfo.SIZE];
                int[] mLen = {requested};
                int[] tLen = {requested};
                assertEquals(0, api().getsockopt(mine, IPPROTO_TCP, TCP_INFO, m, mLen));
                assertEquals(0, kernelBytes.getsockopt(theirs, IPPROTO_TCP, TCP_INFO, t, tLen));
                assertEquals(tLen[0], mLen[0], "optlen " + requested);
                assertEquals(requested, mLen[0]);
                assertArrayEquals(Arrays.copyOf(full, Math.min(requested, 8)), Arrays.copyOf(m, Math.min(requested, 8)));
                assertArrayEquals(Arrays.copyOf(t, Math.min(requested, 1)), Arrays.copyOf(m, Math.min(requested, 1)),
                        "the first byte is the state, the same on both ends");
            }
            int[] mineLarge = {1000};
            int[] kernelLarge = {1000};
            assertEquals(0, api().getsockopt(mine, IPPROTO_TCP, TCP_INFO, new byte[1000], mineLarge));
            assertEquals(0, kernelBytes.getsockopt(theirs, IPPROTO_TCP, TCP_INFO, new byte[1000], kernelLarge));
            assertEquals(TcpInfo.SIZE, mineLarge[0], "optlen comes back as the struct's size");
            assertTrue(kernelLarge[0] >= TcpInfo.SIZE, "the kernel's, of its own struct: " + kernelLarge[0]);
            assertEquals(-1, api().getsockopt(mine, IPPROTO_TCP, TCP_INFO, new byte[TcpInfo.SIZE], new int[] {-1}));
            assertEquals(-1, kernelBytes.getsockopt(theirs, IPPROTO_TCP, TCP_INFO, new byte[1024], new int[] {-1}));
            assertEquals(kernelBytes.errno(), SocketApi.errno(), "a negative optlen");
            assertEquals(Errno.EINVAL, SocketApi.errno());
            assertEquals(-1, api().getsockopt(mine, IPPROTO_TCP, TCP_INFO, new byte[4], new int[] {8}));
            assertEquals(Errno.EFAULT, SocketApi.errno(), "a buffer shorter than optlen");

            int[] sockLen = {-1};
            assertEquals(-1, api().getsockopt(mine, SOL_SOCKET, SO_TYPE, new byte[4], sockLen));
            assertEquals(-1, kernelBytes.getsockopt(theirs, SOL_SOCKET, SO_TYPE, new byte[4], new int[] {-1}));
            assertEquals(kernelBytes.errno(), SocketApi.errno(), "SOL_SOCKET too");
            int[] typeLen = {4};
            byte[] type = new byte[4];
            assertEquals(0, api().getsockopt(mine, SOL_SOCKET, SO_TYPE, type, typeLen));
            assertEquals(4, typeLen[0]);
            assertEquals(SOCK_STREAM, ByteBuffer.wrap(type).order(ByteOrder.nativeOrder()).getInt(), "an int in host order");
            api().close(mine);
            kernel.close(theirs);
            kernel.close(listener);
            return null;
        });
    }

    @Test
    void siocoutqIsEinvalOnAListenerAndZeroOnceEverythingIsAcknowledged() throws Exception {
        stack.inside(() -> {
            int[] mine = new int[1];
            int[] theirs = new int[1];
            int myListener = tcpsimListener(21_005, 5);
            int kernelListener = kernelListener(21_006, 5);
            assertEquals(-1, api().ioctl(myListener, SIOCOUTQ, mine));
            assertEquals(-1, kernelBytes.ioctl(kernelListener, SIOCOUTQ, theirs));
            assertEquals(kernelBytes.errno(), SocketApi.errno());
            assertEquals(Errno.EINVAL, SocketApi.errno());

            int fresh = api().socket(AF_INET, SOCK_STREAM, 0);
            assertEquals(0, api().ioctl(fresh, SIOCOUTQ, mine));
            int kernelFresh = kernel.socket(AF_INET, SOCK_STREAM, 0);
            assertEquals(0, kernelBytes.ioctl(kernelFresh, SIOCOUTQ, theirs));
            assertEquals(theirs[0], mine[0]);
            kernel.close(kernelFresh);

            int c = api().socket(AF_INET, SOCK_STREAM, 0);
            assertEquals(0, api().connect(c, SockAddrIn.of(SocketStack.KERNEL, 21_006)));
            byte[] data = new byte[5000];
            assertEquals(data.length, api().write(c, data, 0, data.length));
            Awaitility.await().atMost(SETTLE).until(() -> api().ioctl(c, SIOCOUTQ, mine) == 0 && mine[0] == 0);
            api().close(c);
            api().close(fresh);
            api().close(myListener);
            kernel.close(kernelListener);
            return null;
        });
    }
}
