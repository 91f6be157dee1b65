package io.tcpsim.app;

import static io.tcpsim.socket.SocketConstants.AF_INET;
import static io.tcpsim.socket.SocketConstants.IPPROTO_TCP;
import static io.tcpsim.socket.SocketConstants.MSG_DONTWAIT;
import static io.tcpsim.socket.SocketConstants.SHUT_WR;
import static io.tcpsim.socket.SocketConstants.SIOCOUTQ;
import static io.tcpsim.socket.SocketConstants.SOCK_STREAM;
import static io.tcpsim.socket.SocketConstants.SOL_SOCKET;
import static io.tcpsim.socket.SocketConstants.SO_REUSEADDR;
import static io.tcpsim.socket.SocketConstants.TCP_INFO;

import io.tcpsim.socket.Errno;
import io.tcpsim.socket.SockAddrIn;
import io.tcpsim.socket.SocketApi;
import io.tcpsim.tcp.TcpInfo;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The seeds' send-buffer experiment, written only against {@link SocketApi}: a client writes as
 * fast as it can to a server that sleeps after each read. For every write it records how long
 * write() blocked (0 when the send buffer took it whole), SIOCOUTQ after it (bytes not yet
 * acknowledged) and the peer's window
 * (TCP_INFO's tcpi_snd_wnd), so one sees the first writes return at once while the peer's
 * receive buffer and then the send buffer fill, and the later ones wait for the server's reads.
 */
public final class BufferExperiment {

    /**
     * @param writeSize   bytes per write, and per read on the server
     * @param writes      how many writes
     * @param sleepMillis the server's pause after each read
     * @param port        the server's port
     */
    public record Settings(int writeSize, int writes, int sleepMillis, int port) {
    }

    /** One write: its number (from 1), how long it blocked (0: not at all), SIOCOUTQ after it, the peer's window. */
    public record Write(int index, int bytes, long blockedNanos, int unacknowledged, long peerWindow) {
    }

    /** Every write, the bytes written and the bytes the server read. */
    public record Result(List<Write> writes, long written, long received) {
    }

    private BufferExperiment() {
    }

    /** Runs the experiment: {@code server}'s stack listens at {@code serverAddress}, {@code client}'s connects. */
    public static Result run(SocketApi client, SocketApi server, int serverAddress, Settings s, Consumer<Write> onWrite)
            throws IOException, InterruptedException {
        SockAddrIn at = SockAddrIn.of(serverAddress, s.port());
        int listener = listen(server, at);
        try {
            CompletableFuture<Long> received = new CompletableFuture<>();
            Thread.ofVirtual().name("bufexp-server").start(() -> serve(server, listener, s, received));
            long written = 0;
            List<Write> writes = new ArrayList<>();
            int fd = check(client.socket(AF_INET, SOCK_STREAM, 0), "socket");
            try {
                check(client.connect(fd, at), "connect " + at);
                byte[] data = new byte[s.writeSize()];
                for (int i = 1; i <= s.writes(); i++) {
                    Write w = write(client, fd, i, data);
                    writes.add(w);
                    written += w.bytes();
                    onWrite.accept(w);
                }
                client.shutdown(fd, SHUT_WR);
                return new Result(writes, written, awaitServer(received, s));
            } finally {
                client.close(fd);
            }
        } finally {
            server.close(listener);
        }
    }

    private static int listen(SocketApi server, SockAddrIn at) throws IOException {
        int fd = check(server.socket(AF_INET, SOCK_STREAM, 0), "socket");
        server.setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, 1);
        if (server.bind(fd, at) < 0 || server.listen(fd, 1) < 0) {
            int errno = SocketApi.errno();
            server.close(fd);
            throw new IOException("bind/listen " + at + ": " + Errno.name(errno));
        }
        return fd;
    }

    /** The server: accept one connection, then read and sleep until the client's FIN. */
    private static void serve(SocketApi api, int listener, Settings s, CompletableFuture<Long> received) {
        int fd = api.accept(listener, null);
        if (fd < 0) {
            received.completeExceptionally(new IOException("accept: " + Errno.name(SocketApi.errno())));
            return;
        }
        byte[] buf = new byte[s.writeSize()];
        long total = 0;
        try {
            for (long n = api.read(fd, buf, 0, buf.length); n > 0; n = api.read(fd, buf, 0, buf.length)) {
                total += n;
                Thread.sleep(s.sleepMillis());
            }
            received.complete(total);
        } catch (InterruptedException e) {
            received.completeExceptionally(e);
        } finally {
            api.close(fd);
        }
    }

    /**
     * One write of {@code data}: what the send buffer takes at once (MSG_DONTWAIT), then a blocking
     * write of the rest, timed; a write the buffer took whole did not block at all.
     */
    private static Write write(SocketApi api, int fd, int index, byte[] data) throws IOException {
        long taken = api.send(fd, data, 0, data.length, MSG_DONTWAIT);
        if (taken < 0 && SocketApi.errno() != Errno.EAGAIN) {
            throw new IOException("write " + index + ": " + Errno.name(SocketApi.errno()));
        }
        int done = (int) Math.max(taken, 0);
        long blocked = 0;
        if (done < data.length) {
            long start = System.nanoTime();
            long n = api.write(fd, data, done, data.length - done);
            blocked = System.nanoTime() - start;
            if (n != data.length - done) {
                throw new IOException("write " + index + ": " + (n < 0 ? Errno.name(SocketApi.errno()) : n + " bytes"));
            }
        }
        int[] outq = new int[1];
        check(api.ioctl(fd, SIOCOUTQ, outq), "ioctl SIOCOUTQ");
        byte[] info = new byte[TcpInfo.SIZE];
        int[] length = {info.length};
        check(api.getsockopt(fd, IPPROTO_TCP, TCP_INFO, info, length), "getsockopt TCP_INFO");
        return new Write(index, data.length, blocked, outq[0], TcpInfo.wrap(info, length[0]).sndWnd());
    }

    /** The server reads everything left at its pace: at most one pause per write, plus a margin. */
    private static long awaitServer(CompletableFuture<Long> received, Settings s) throws IOException, InterruptedException {
        long boundMillis = (long) (s.writes() + 1) * (s.sleepMillis() + 1_000);
        try {
            return received.get(boundMillis, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IOException("server: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IOException("the server did not finish reading within " + boundMillis + " ms");
        }
    }

    private static int check(int result, String call) throws IOException {
        if (result < 0) {
            throw new IOException(call + ": " + Errno.name(SocketApi.errno()));
        }
        return result;
    }
}
