package io.tcpsim.app;

import io.tcpsim.tcp.ConnectionListener;
import io.tcpsim.tcp.TcpConnection;
import io.tcpsim.tcp.TcpError;
import io.tcpsim.tcp.TcpException;
import io.tcpsim.tcp.TcpLayer;
import io.tcpsim.time.Clock;
import java.util.concurrent.atomic.LongAdder;

/**
 * One connection that sends as fast as TCP takes it, on tcpsim's internal TCP API, event-driven on
 * the stack thread like {@link EchoServer}: whenever the connection is writable, the send buffer
 * is filled from one block of bytes. The sending side of {@code tcpsim bench}.
 */
public final class BulkSender implements ConnectionListener {

    private static final int CHUNK = 64 * 1024;

    private final Clock clock;
    private final byte[] chunk = new byte[CHUNK];
    private final LongAdder bytes = new LongAdder();
    private final TcpConnection connection;
    private volatile TcpError error;
    private volatile boolean over;

    private BulkSender(Clock clock, TcpConnection connection) {
        this.clock = clock;
        this.connection = connection;
    }

    /** Opens a connection to {@code remoteAddr:remotePort} and sends on it. Call on the stack thread. */
    public static BulkSender connect(TcpLayer tcp, Clock clock, int localAddr, int remoteAddr, int remotePort) {
        TcpConnection c = tcp.connect(localAddr, remoteAddr, remotePort, clock.nanoTime());
        BulkSender sender = new BulkSender(clock, c);
        c.setListener(sender);
        return sender;
    }

    /** Bytes the send buffer took so far; any thread may ask. */
    public long bytes() {
        return bytes.sum();
    }

    /** Whether the connection is over for the sender (closed, reset or timed out); any thread may ask. */
    public boolean over() {
        return over;
    }

    /** What ended the connection, null while it is open or when it ended cleanly; any thread may ask. */
    public TcpError error() {
        return error;
    }

    /** Stops sending: close(2), so that what the buffer took is still delivered. Call on the stack thread. */
    public void close() {
        over = true;
        connection.close(clock.nanoTime());
    }

    @Override
    public void established(TcpConnection c) {
        writable(c);
    }

    @Override
    public void writable(TcpConnection c) {
        if (over) {
            return;
        }
        long now = clock.nanoTime();
        try {
            int n;
            while ((n = c.write(chunk, 0, chunk.length, now)) > 0) {
                bytes.add(n);
            }
        } catch (TcpException e) {
            over = true; // the connection was reset or timed out; closed() reports why
        }
    }

    @Override
    public void closed(TcpConnection c, TcpError cause) {
        error = cause;
        over = true;
    }
}
