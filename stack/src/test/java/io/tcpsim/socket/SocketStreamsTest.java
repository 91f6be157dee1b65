package io.tcpsim.socket;

import static io.tcpsim.socket.SocketConstants.AF_INET;
import static io.tcpsim.socket.SocketConstants.SOCK_STREAM;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcpsim.testsupport.RequiresTun;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The stream adapters and readn/writen over a tcpsim socket connected to a kernel socket. */
@RequiresTun
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SocketStreamsTest {
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

    /** A tcpsim descriptor connected to a kernel socket at 10.0.0.1:port. */
    private record Pair(int fd, Socket peer) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            api.close(fd);
            peer.close();
        }
    }

    private static Pair connected(int port) throws Exception {
        try (ServerSocket server = stack.inside(() -> new ServerSocket(port, 4, InetAddress.getByName("10.0.0.1")))) {
            int fd = api.socket(AF_INET, SOCK_STREAM, 0);
            assertEquals(0, api.connect(fd, SockAddrIn.of(SocketStack.KERNEL, port)), "errno " + SocketApi.errno());
            return new Pair(fd, stack.inside(server::accept));
        }
    }

    @Test
    void outputStream_megabyteThenClose_peerReadsAllBytesThenEof() throws Exception {
        byte[] data = new byte[1 << 20];
        new Random(7).nextBytes(data);
        try (Pair p = connected(7101)) {
            CompletableFuture<byte[]> received = CompletableFuture.supplyAsync(() -> readAll(p.peer()));
            OutputStream out = SocketStreams.output(api, p.fd());
            out.write(data);
            out.close();
            assertArrayEquals(data, received.get(20, TimeUnit.SECONDS));
        }
    }

    @Test
    void inputStream_peerWritesAndCloses_readsBytesThenMinusOne() throws Exception {
        try (Pair p = connected(7102)) {
            p.peer().getOutputStream().write("hello, tcpsim".getBytes());
            p.peer().shutdownOutput();
            InputStream in = SocketStreams.input(api, p.fd());
            assertEquals("hello, tcpsim", new String(in.readAllBytes()));
            assertEquals(-1, in.read(), "EOF stays EOF");
        }
    }

    @Test
    void available_bytesQueued_reportsFionread() throws Exception {
        try (Pair p = connected(7103)) {
            p.peer().getOutputStream().write(new byte[10]);
            InputStream in = SocketStreams.input(api, p.fd());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (in.available() < 10 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertEquals(10, in.available());
        }
    }

    @Test
    void readn_peerSendsInThreePieces_returnsExactlyN() throws Exception {
        try (Pair p = connected(7104)) {
            CompletableFuture.runAsync(() -> writeSlowly(p.peer(), new byte[][] {{1, 2}, {3, 4, 5}, {6, 7, 8, 9}}));
            byte[] buf = new byte[9];
            assertEquals(9, SocketStreams.readn(api, p.fd(), buf, 0, 9));
            assertArrayEquals(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9}, buf);
        }
    }

    @Test
    void readn_eofBeforeN_returnsTheShortCount() throws Exception {
        try (Pair p = connected(7105)) {
            p.peer().getOutputStream().write(new byte[] {1, 2, 3});
            p.peer().shutdownOutput();
            assertEquals(3, SocketStreams.readn(api, p.fd(), new byte[8], 0, 8));
        }
    }

    @Test
    void readn_badDescriptor_minusOneWithEbadf() {
        assertEquals(-1, SocketStreams.readn(api, 999, new byte[4], 0, 4));
        assertEquals(Errno.EBADF, SocketApi.errno());
    }

    @Test
    void inputStream_peerResets_throwsIoExceptionNamingEconnreset() throws Exception {
        try (Pair p = connected(7106)) {
            p.peer().setSoLinger(true, 0);
            p.peer().close();
            IOException e = assertThrows(IOException.class, () -> SocketStreams.input(api, p.fd()).read(new byte[4]));
            assertTrue(e.getMessage().contains("ECONNRESET"), e.getMessage());
        }
    }

    private static byte[] readAll(Socket s) {
        try {
            return s.getInputStream().readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void writeSlowly(Socket s, byte[][] pieces) {
        try {
            for (byte[] piece : pieces) {
                s.getOutputStream().write(piece);
                Thread.sleep(30);
            }
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }
}
