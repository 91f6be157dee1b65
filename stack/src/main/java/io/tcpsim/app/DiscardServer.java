package io.tcpsim.app;

import io.tcpsim.tcp.ConnectionListener;
import io.tcpsim.tcp.TcpConnection;
import io.tcpsim.tcp.TcpError;
import io.tcpsim.tcp.TcpException;
import io.tcpsim.tcp.TcpLayer;
import io.tcpsim.tcp.TcpListener;
import io.tcpsim.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;

/**
 * A discard service (RFC 863) on tcpsim's internal TCP API, event-driven on the stack thread like
 * {@link EchoServer}: whatever arrives is read into one buffer, counted and thrown away; the
 * peer's FIN is answered with ours. Nothing crosses threads per read, as in lwIP's raw API or
 * smoltcp's poll loop; {@code tcpsim bench} measures the stack with it.
 */
public final class DiscardServer implements ConnectionListener {

    private static final int CHUNK = 64 * 1024;

    private final Clock clock;
    private final TcpListener listener;
    private final byte[] buffer = new byte[CHUNK];
    private final Set<TcpConnection> open = new HashSet<>();
    private final LongAdder bytes = new LongAdder();

    private DiscardServer(Clock clock, TcpListener listener) {
        this.clock = clock;
        this.listener = listener;
    }

    /** Listens on {@code address:port} (address 0: every local address). Call on the stack thread. */
    public static DiscardServer listen(TcpLayer tcp, Clock clock, int address, int port, int backlog) {
        DiscardServer server = new DiscardServer(clock, tcp.listen(address, port, backlog));
        server.listener.setAcceptHandler(l -> server.acceptAll());
        return server;
    }

    /** Bytes read and thrown away so far; any thread may ask. */
    public long bytes() {
        return bytes.sum();
    }

    /** Connections accepted and not yet over. Call on the stack thread. */
    public int connections() {
        return open.size();
    }

    /** Stops listening and closes every connection. Call on the stack thread. */
    public void close() {
        long now = clock.nanoTime();
        listener.close(now);
        for (TcpConnection c : new ArrayList<>(open)) {
            c.close(now);
        }
    }

    private void acceptAll() {
        TcpConnection connection;
        while ((connection = listener.accept()) != null) {
            open.add(connection);
            connection.setListener(this);
            readable(connection);
        }
    }

    @Override
    public void readable(TcpConnection c) {
        long now = clock.nanoTime();
        try {
            int n;
            while ((n = c.read(buffer, 0, buffer.length, now)) > 0) {
                bytes.add(n);
            }
            if (n < 0) {
                c.close(now);
            }
        } catch (TcpException e) {
            c.close(now); // reset or timed out: the connection is over
        }
    }

    @Override
    public void closed(TcpConnection c, TcpError error) {
        open.remove(c);
    }
}
