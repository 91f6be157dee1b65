package io.tcpsim.app;

import io.tcpsim.tcp.ConnectionListener;
import io.tcpsim.tcp.TcpConnection;
import io.tcpsim.tcp.TcpError;
import io.tcpsim.tcp.TcpLayer;
import io.tcpsim.tcp.TcpListener;
import io.tcpsim.time.Clock;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * An echo service (RFC 862) on tcpsim's internal TCP API, event-driven on the stack thread: every
 * byte read is written back; the peer's FIN is answered with ours once everything is echoed.
 * Reads stop while a connection's echo waits for send-buffer space, so the receive window, not
 * memory, absorbs a fast sender.
 */
public final class EchoServer implements ConnectionListener {

    private static final int CHUNK = 16 * 1024;

    private final Clock clock;
    private final TcpListener listener;
    private final byte[] buffer = new byte[CHUNK];
    private final Map<TcpConnection, byte[]> unsent = new HashMap<>();

    private EchoServer(Clock clock, TcpListener listener) {
        this.clock = clock;
        this.listener = listener;
    }

    /** Listens on {@code address:port} (address 0: every local address). Call on the stack thread. */
    public static EchoServer listen(TcpLayer tcp, Clock clock, int address, int port, int backlog) {
        EchoServer server = new EchoServer(clock, tcp.listen(address, port, backlog));
        server.listener.setAcceptHandler(l -> server.acceptAll());
        return server;
    }

    public TcpListener listener() {
        return listener;
    }

    /** Connections with echo data still waiting for send-buffer space. */
    public int backlogged() {
        return unsent.size();
    }

    private void acceptAll() {
        TcpConnection connection;
        while ((connection = listener.accept()) != null) {
            connection.setListener(this);
            echo(connection);
        }
    }

    @Override
    public void readable(TcpConnection c) {
        echo(c);
    }

    @Override
    public void writable(TcpConnection c) {
        echo(c);
    }

    @Override
    public void closed(TcpConnection c, TcpError error) {
        unsent.remove(c);
    }

    private void echo(TcpConnection c) {
        long now = clock.nanoTime();
        if (!flush(c, now)) {
            return;
        }
        while (true) {
            int n = c.read(buffer, 0, buffer.length, now);
            if (n == 0) {
                return;
            }
            if (n < 0) {
                c.close(now);
                return;
            }
            int written = c.write(buffer, 0, n, now);
            if (written < n) {
                unsent.put(c, Arrays.copyOfRange(buffer, written, n));
                return;
            }
        }
    }

    /** Writes what an earlier echo could not; true when nothing is left waiting. */
    private boolean flush(TcpConnection c, long now) {
        byte[] waiting = unsent.get(c);
        if (waiting == null) {
            return true;
        }
        int written = c.write(waiting, 0, waiting.length, now);
        if (written < waiting.length) {
            unsent.put(c, Arrays.copyOfRange(waiting, written, waiting.length));
            return false;
        }
        unsent.remove(c);
        return true;
    }
}
