package io.tcpsim.socket;

import static io.tcpsim.socket.SocketConstants.AF_INET;
import static io.tcpsim.socket.SocketConstants.F_SETFL;
import static io.tcpsim.socket.SocketConstants.IPPROTO_TCP;
import static io.tcpsim.socket.SocketConstants.MSG_DONTWAIT;
import static io.tcpsim.socket.SocketConstants.MSG_OOB;
import static io.tcpsim.socket.SocketConstants.MSG_PEEK;
import static io.tcpsim.socket.SocketConstants.O_NONBLOCK;
import static io.tcpsim.socket.SocketConstants.POLLIN;
import static io.tcpsim.socket.SocketConstants.POLLPRI;
import static io.tcpsim.socket.SocketConstants.SOCK_STREAM;
import static io.tcpsim.socket.SocketConstants.SOL_SOCKET;
import static io.tcpsim.socket.SocketConstants.SO_KEEPALIVE;
import static io.tcpsim.socket.SocketConstants.SO_OOBINLINE;
import static io.tcpsim.socket.SocketConstants.SO_RCVTIMEO;
import static io.tcpsim.socket.SocketConstants.TCP_KEEPCNT;
import static io.tcpsim.socket.SocketConstants.TCP_KEEPIDLE;
import static io.tcpsim.socket.SocketConstants.TCP_KEEPINTVL;
import static io.tcpsim.socket.SocketConstants.TCP_NODELAY;
import static io.tcpsim.socket.SocketConstants.TCP_NOTSENT_LOWAT;
import static io.tcpsim.socket.SocketConstants.TCP_USER_TIMEOUT;

import io.tcpsim.testsupport.RequiresTun;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Keep-alive, user-timeout and urgent-data scenarios run against the Linux kernel and against
 * tcpsim, as {@link DifferentialTest} does: the traces of return values, errno and the bytes
 * seen must be equal. The kernel peer sends urgent data with send(MSG_OOB), so the receiving side
 * reads Linux's urgent pointer; when the side under test sends it, the kernel peer reports what it
 * understood.
 */
@RequiresTun
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class OptionsDifferentialTest {
    /** Time for the kernel peer's later segments to arrive after the first one was seen. */
    private static final long SETTLE_MILLIS = 150;
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
        stack.sameAsLinux(scenario, 30000, 50);
    }

    private static int tcp(Env e) {
        return e.api.socket(AF_INET, SOCK_STREAM, 0);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** recv into a fresh buffer; the bytes read go to the trace. */
    private static void recv(Env e, int fd, int len, int flags) {
        byte[] buf = new byte[Math.max(len, 1)];
        long n = e.api.recv(fd, buf, len, flags);
        e.note("bytes", n > 0 ? new String(buf, 0, (int) n, StandardCharsets.US_ASCII) : "");
    }

    /**
     * A connection whose kernel peer (TCP_NODELAY, so each send is a segment) sends the parts in
     * order, those starting with '^' (removed) with MSG_OOB, so that their last byte is urgent;
     * the side under test waits for POLLPRI, then lets the rest arrive.
     */
    private static int fromPeer(Env e, String... parts) throws InterruptedException {
        int[] fds = e.connectedToPeer(0);
        e.kernel.setsockopt(fds[1], IPPROTO_TCP, TCP_NODELAY, 1);
        for (String part : parts) {
            boolean urgent = part.startsWith("^");
            byte[] bytes = ascii(urgent ? part.substring(1) : part);
            e.kernel.send(fds[1], bytes, bytes.length, urgent ? MSG_OOB : 0);
        }
        e.api.poll(fds[0], POLLPRI, 2000);
        Thread.sleep(SETTLE_MILLIS);
        return fds[0];
    }

    // SO_KEEPALIVE, TCP_KEEPIDLE, TCP_KEEPINTVL, TCP_KEEPCNT, TCP_USER_TIMEOUT, SO_OOBINLINE

    @Test
    void fresh_keepAliveUserTimeoutOobInline_linuxDefaults() throws Exception {
        sameAsLinux(e -> {
            int fd = tcp(e);
            e.api.getsockopt(fd, SOL_SOCKET, SO_KEEPALIVE);
            e.api.getsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE);
            e.api.getsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL);
            e.api.getsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT);
            e.api.getsockopt(fd, IPPROTO_TCP, TCP_USER_TIMEOUT);
            e.api.getsockopt(fd, SOL_SOCKET, SO_OOBINLINE);
        });
    }

    @Test
    void keepIdleAndKeepIntvl_range1To32767_elseEinval() throws Exception {
        sameAsLinux(e -> {
            int fd = tcp(e);
            for (int option : new int[] {TCP_KEEPIDLE, TCP_KEEPINTVL}) {
                for (int v : new int[] {0, -1, 32768, Integer.MAX_VALUE, 1, 32767}) {
                    e.api.setsockopt(fd, IPPROTO_TCP, option, v);
                    e.api.getsockopt(fd, IPPROTO_TCP, option);
                }
            }
        });
    }

    @Test
    void keepCnt_range1To127_elseEinval() throws Exception {
        sameAsLinux(e -> {
            int fd = tcp(e);
            for (int v : new int[] {0, -5, 128, 1, 127}) {
                e.api.setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, v);
                e.api.getsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT);
            }
        });
    }

    @Test
    void userTimeout_negativeEinval_zeroAndMillisecondsKept() throws Exception {
        sameAsLinux(e -> {
            int fd = tcp(e);
            for (int v : new int[] {-1, Integer.MIN_VALUE, 5000, 0, Integer.MAX_VALUE}) {
                e.api.setsockopt(fd, IPPROTO_TCP, TCP_USER_TIMEOUT, v);
                e.api.getsockopt(fd, IPPROTO_TCP, TCP_USER_TIMEOUT);
            }
        });
    }

    @Test
    void soKeepaliveAndSoOobinline_anyNonZeroIsOne() throws Exception {
        sameAsLinux(e -> {
            int fd = tcp(e);
            for (int option : new int[] {SO_KEEPALIVE, SO_OOBINLINE}) {
                e.api.setsockopt(fd, SOL_SOCKET, option, 7);
                e.api.getsockopt(fd, SOL_SOCKET, option);
                e.api.setsockopt(fd, SOL_SOCKET, option, 0);
                e.api.getsockopt(fd, SOL_SOCKET, option);
            }
        });
    }

    @Test
    void listenerOptions_inheritedByTheAcceptedSocket() throws Exception {
        sameAsLinux(e -> {
            int fd = e.listening(0);
            e.api.setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, 1);
            e.api.setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, 100);
            e.api.setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, 7);
            e.api.setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, 3);
            e.api.setsockopt(fd, IPPROTO_TCP, TCP_USER_TIMEOUT, 1234);
            e.api.setsockopt(fd, SOL_SOCKET, SO_OOBINLINE, 1);
            e.peerConnect(e.self, e.port(0));
            int c = e.api.accept4(fd, 0);
            e.api.getsockopt(c, SOL_SOCKET, SO_KEEPALIVE);
            e.api.getsockopt(c, IPPROTO_TCP, TCP_KEEPIDLE);
            e.api.getsockopt(c, IPPROTO_TCP, TCP_KEEPINTVL);
            e.api.getsockopt(c, IPPROTO_TCP, TCP_KEEPCNT);
            e.api.getsockopt(c, IPPROTO_TCP, TCP_USER_TIMEOUT);
            e.api.getsockopt(c, SOL_SOCKET, SO_OOBINLINE);
        });
    }

    /**
     * TCP_NOTSENT_LOWAT: 0 until set, any value kept and read back as set (unsigned: -1 reads
     * as -1), inherited by an accepted socket; a connected socket with nothing unsent is writable
     * under the smallest mark (Linux tcp_stream_memory_free(): 0 << 1 < 1).
     */
    @Test
    void notSentLowat_readBackAsSet_inherited_writableWithNothingUnsent() throws Exception {
        sameAsLinux(e -> {
            int fd = e.listening(0);
            e.api.getsockopt(fd, IPPROTO_TCP, TCP_NOTSENT_LOWAT);
            for (int v : new int[] {-1, 0, 16_384}) {
                e.api.setsockopt(fd, IPPROTO_TCP, TCP_NOTSENT_LOWAT, v);
                e.api.getsockopt(fd, IPPROTO_TCP, TCP_NOTSENT_LOWAT);
            }
            e.peerConnect(e.self, e.port(0));
            int c = e.api.accept4(fd, 0);
            e.api.getsockopt(c, IPPROTO_TCP, TCP_NOTSENT_LOWAT);
            e.api.setsockopt(c, IPPROTO_TCP, TCP_NOTSENT_LOWAT, 1);
            e.api.poll(c, SocketConstants.POLLOUT, 0);
        });
    }

    @Test
    void keepAliveEverySecond_peerAnswersProbes_connectionStaysUp() throws Exception {
        sameAsLinux(e -> {
            int fd = e.connectedToPeer(0)[0];
            e.api.setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, 1);
            e.api.setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, 1);
            e.api.setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, 1);
            e.api.setsockopt(fd, SOL_SOCKET, SO_KEEPALIVE, 1);
            e.api.setTimeout(fd, SO_RCVTIMEO, 2, 500_000);
            e.api.recv(fd, new byte[8], 8, 0); // unanswered, one probe would have ended it after 2 s
            e.api.getsockopt(fd, SOL_SOCKET, SocketConstants.SO_ERROR);
        });
    }

    // urgent data received

    @Test
    void peerSentUrgent_readStopsAtTheMark_byteOutOfBandOnce() throws Exception {
        sameAsLinux(e -> {
            int fd = fromPeer(e, "ab", "^c", "de");
            e.api.sockatmark(fd);
            e.api.fionread(fd);
            e.api.poll(fd, POLLIN | POLLPRI, 0);
            recv(e, fd, 16, 0);
            e.api.sockatmark(fd);
            e.api.fionread(fd);
            e.api.poll(fd, POLLIN | POLLPRI, 0);
            recv(e, fd, 16, MSG_OOB | MSG_PEEK);
            recv(e, fd, 16, MSG_OOB);
            recv(e, fd, 16, MSG_OOB);
            e.api.poll(fd, POLLIN | POLLPRI, 0);
            e.api.sockatmark(fd);
            recv(e, fd, 16, 0);
            e.api.sockatmark(fd);
            recv(e, fd, 16, MSG_DONTWAIT);
        });
    }

    @Test
    void peerSentUrgent_readPastTheMarkWithoutOob_byteLost() throws Exception {
        sameAsLinux(e -> {
            int fd = fromPeer(e, "ab", "^c", "de");
            recv(e, fd, 16, 0);
            recv(e, fd, 16, 0);
            recv(e, fd, 16, MSG_OOB);
            e.api.poll(fd, POLLIN | POLLPRI, 0);
        });
    }

    @Test
    void peerSentUrgent_peekAtTheMarkSkipsTheByte() throws Exception {
        sameAsLinux(e -> {
            int fd = fromPeer(e, "ab", "^c", "de");
            recv(e, fd, 16, MSG_PEEK);
            recv(e, fd, 16, 0);
            recv(e, fd, 16, MSG_PEEK);
            e.api.sockatmark(fd);
            recv(e, fd, 16, 0);
        });
    }

    @Test
    void peerSentUrgentOnly_pollAtTheMarkIsNotReadable_zeroLengthOobTakesIt() throws Exception {
        sameAsLinux(e -> {
            int fd = fromPeer(e, "^x");
            e.api.poll(fd, POLLIN | POLLPRI, 0);
            e.api.fionread(fd);
            recv(e, fd, 0, MSG_OOB);
            recv(e, fd, 16, MSG_OOB);
            e.api.fcntl(fd, F_SETFL, O_NONBLOCK);
            recv(e, fd, 16, 0);
        });
    }

    @Test
    void oobInline_urgentByteStaysInTheStream_readStillStopsAtTheMark() throws Exception {
        sameAsLinux(e -> {
            int[] fds = e.connectedToPeer(0);
            e.api.setsockopt(fds[0], SOL_SOCKET, SO_OOBINLINE, 1);
            e.kernel.setsockopt(fds[1], IPPROTO_TCP, TCP_NODELAY, 1);
            e.peerSend(fds[1], ascii("ab"));
            e.kernel.send(fds[1], ascii("c"), 1, MSG_OOB);
            e.peerSend(fds[1], ascii("de"));
            e.api.poll(fds[0], POLLPRI, 2000);
            Thread.sleep(SETTLE_MILLIS);
            int fd = fds[0];
            e.api.fionread(fd);
            recv(e, fd, 16, MSG_OOB);
            recv(e, fd, 16, 0);
            e.api.sockatmark(fd);
            e.api.poll(fd, POLLIN | POLLPRI, 0);
            recv(e, fd, 16, 0);
            e.api.poll(fd, POLLIN | POLLPRI, 0);
        });
    }

    @Test
    void twoUrgentBytesInARow_theFirstAtTheReadPositionIsDropped() throws Exception {
        sameAsLinux(e -> {
            int fd = fromPeer(e, "^x", "^y");
            e.api.fionread(fd);
            recv(e, fd, 16, MSG_OOB);
            recv(e, fd, 16, MSG_DONTWAIT);
        });
    }

    @Test
    void newerUrgentByteReplacesAnUnreadOne_theOldStaysAsData() throws Exception {
        sameAsLinux(e -> {
            int fd = fromPeer(e, "^x", "n", "^y", "z");
            e.api.fionread(fd);
            recv(e, fd, 16, MSG_OOB);
            recv(e, fd, 16, 0);
            recv(e, fd, 16, 0);
        });
    }

    @Test
    void noUrgentData_recvOob_einvalOrEnotconn() throws Exception {
        sameAsLinux(e -> {
            recv(e, tcp(e), 16, MSG_OOB);
            recv(e, e.listening(1), 16, MSG_OOB);
            int fd = e.connectedToPeer(0)[0];
            recv(e, fd, 16, MSG_OOB);
            e.api.sockatmark(fd);
            e.api.sockatmark(tcp(e));
        });
    }

    // urgent data sent

    @Test
    void sendOob_peerReadsTheLastByteOutOfBand() throws Exception {
        sameAsLinux(e -> {
            int[] fds = e.connectedToPeer(0);
            e.api.send(fds[0], ascii("abc"), 3, MSG_OOB);
            e.note("peer poll", e.kernel.poll(fds[1], POLLPRI, 2000));
            byte[] buf = new byte[16];
            long n = e.kernel.recv(fds[1], buf, 16, MSG_OOB);
            e.note("peer oob", n + " " + (n > 0 ? (char) buf[0] : '-'));
            Thread.sleep(SETTLE_MILLIS);
            n = e.kernel.recv(fds[1], buf, 16, 0);
            e.note("peer data", n > 0 ? new String(buf, 0, (int) n, StandardCharsets.US_ASCII) : "");
            e.note("peer at mark", e.kernel.sockatmark(fds[1]));
        });
    }

    @Test
    void sendOobAfterSmallUnacknowledgedData_goesAtOnce() throws Exception {
        sameAsLinux(e -> {
            int[] fds = e.connectedToPeer(0);
            e.api.send(fds[0], ascii("12345"), 5, 0);
            e.api.send(fds[0], ascii("!"), 1, MSG_OOB);
            e.note("peer poll", e.kernel.poll(fds[1], POLLPRI, 2000));
            byte[] buf = new byte[16];
            long n = e.kernel.recv(fds[1], buf, 16, MSG_OOB);
            e.note("peer oob", n + " " + (n > 0 ? (char) buf[0] : '-'));
            n = e.kernel.recv(fds[1], buf, 16, 0);
            e.note("peer data", n > 0 ? new String(buf, 0, (int) n, StandardCharsets.US_ASCII) : "");
        });
    }

    @Test
    void unconnected_sendOob_epipe() throws Exception {
        sameAsLinux(e -> e.api.send(tcp(e), ascii("x"), 1, MSG_OOB));
    }
}
