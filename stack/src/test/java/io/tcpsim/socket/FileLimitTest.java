package io.tcpsim.socket;

import static io.tcpsim.socket.SocketConstants.AF_INET;
import static io.tcpsim.socket.SocketConstants.SOCK_DGRAM;
import static io.tcpsim.socket.SocketConstants.SOCK_NONBLOCK;
import static io.tcpsim.socket.SocketConstants.SOCK_STREAM;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcpsim.PairLoop;
import io.tcpsim.StackConfig;
import io.tcpsim.time.SystemClock;
import io.tcpsim.wire.Ipv4Address;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * fs.file-max ({@link SystemFiles}): the socket APIs of one stack share its file table, so two
 * APIs (two processes) together cannot open more than it allows; past it socket(), epoll_create()
 * and accept() fail with ENFILE, after EMFILE (RLIMIT_NOFILE) is checked, and an accept refused so
 * leaves the connection in the accept queue, as Linux's do_accept() allocates the file before it
 * dequeues. Two stacks joined in-process ({@link PairLoop}), no TUN.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class FileLimitTest {
    private static final int A = Ipv4Address.parse("10.0.0.1");
    private static final int B = Ipv4Address.parse("10.0.0.2");
    private static final int FILE_MAX = 6;

    private final SystemClock clock = new SystemClock();
    private PairLoop pair;
    private SystemFiles files;
    private SocketApi first;
    private SocketApi second;
    private SocketApi peer;

    @BeforeEach
    void start() {
        pair = PairLoop.start(StackConfig.linuxDefaults(A, 1500), StackConfig.linuxDefaults(B, 1500), 1500, 0, clock);
        files = pair.first().systemFiles();
        files.setMax(FILE_MAX);
        first = new SocketApi(pair.first(), clock, A);
        second = new SocketApi(pair.first(), clock, A);
        peer = new SocketApi(pair.second(), clock, B);
    }

    @AfterEach
    void stop() throws Exception {
        pair.close();
    }

    private static int socket(SocketApi api) {
        return api.socket(AF_INET, SOCK_STREAM, 0);
    }

    @Test
    void twoApisOnOneStackShareFileMaxAndTheNextFileIsEnfile() {
        for (int i = 0; i < FILE_MAX / 2; i++) {
            assertTrue(socket(first) >= 0, "errno " + SocketApi.errno());
            assertTrue(socket(second) >= 0, "errno " + SocketApi.errno());
        }
        assertEquals(FILE_MAX, files.open());
        assertEquals(-1, socket(first));
        assertEquals(Errno.ENFILE, SocketApi.errno());
        assertEquals(-1, second.socket(AF_INET, SOCK_DGRAM, 0));
        assertEquals(Errno.ENFILE, SocketApi.errno());
        assertEquals(-1, second.epollCreate1(0));
        assertEquals(Errno.ENFILE, SocketApi.errno());
        assertEquals(3, files.snapshot().get("Files.ENFILE"));

        assertEquals(0, second.close(FdTable.FIRST));
        assertTrue(socket(first) >= 0, "a file closed in one API makes room in the other");
        assertEquals(FILE_MAX, files.open());
    }

    @Test
    void emfileIsCheckedBeforeEnfile() {
        SocketApi small = new SocketApi(pair.first(), clock, A, SocketLimits.LINUX_DEFAULTS.withMaxFiles(FdTable.FIRST + 1));
        assertEquals(FdTable.FIRST, socket(small));
        files.setMax(files.open());
        assertEquals(-1, socket(small));
        assertEquals(Errno.EMFILE, SocketApi.errno(), "the process's table is full too: EMFILE first, as Linux");
        assertEquals(1, files.snapshot().get("Files.EMFILE"));
        assertEquals(0, files.snapshot().get("Files.ENFILE"));
    }

    @Test
    void acceptAtTheLimitIsEnfileAndTheConnectionStaysQueuedUntilAFileIsFree() {
        int listener = socket(first);
        assertEquals(0, first.bind(listener, SockAddrIn.of(0, 7000)));
        assertEquals(0, first.listen(listener, 4));
        int filler = socket(second);
        files.setMax(files.open());
        assertEquals(-1, first.accept(listener, null), "a blocking accept is refused at once, before it waits");
        assertEquals(Errno.ENFILE, SocketApi.errno());

        int client = socket(peer);
        assertEquals(0, peer.connect(client, SockAddrIn.of(A, 7000)), "errno " + SocketApi.errno());
        assertEquals(-1, first.accept4(listener, null, SOCK_NONBLOCK));
        assertEquals(Errno.ENFILE, SocketApi.errno());
        assertEquals(files.max(), files.open(), "the refused accepts gave their reservations back");

        assertEquals(0, second.close(filler));
        int accepted = first.accept(listener, null);
        assertTrue(accepted >= 0, "the queued connection is still there: errno " + SocketApi.errno());
        assertEquals(2, peer.write(client, new byte[] {'h', 'i'}, 0, 2));
        byte[] got = new byte[2];
        assertEquals(2, first.recv(accepted, got, 0, 2, SocketConstants.MSG_WAITALL), "errno " + SocketApi.errno());
        assertEquals("hi", new String(got, StandardCharsets.US_ASCII));
    }
}
