package io.tcpsim.app;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcpsim.NetStack;
import io.tcpsim.PairLoop;
import io.tcpsim.StackConfig;
import io.tcpsim.tcp.IsnGenerator;
import io.tcpsim.tcp.TcpConfig;
import io.tcpsim.tcp.TcpError;
import io.tcpsim.time.SystemClock;
import io.tcpsim.wire.Ipv4Address;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The event-driven bulk applications {@code tcpsim bench} measures the stack with, between two
 * stacks in-process on the real clock: a {@link BulkSender} fills its connection to a
 * {@link DiscardServer}; after its close every byte the sender's buffer took has been read by the
 * server and both connections end cleanly; the server's close ends what it still holds, and the
 * sender learns of it.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class BulkTransferAppsTest {
    private static final int CLIENT = Ipv4Address.parse("10.0.0.1");
    private static final int SERVER = Ipv4Address.parse("10.0.0.2");
    private static final int PORT = 9;
    private static final long ENOUGH = 8L << 20;

    private final SystemClock clock = new SystemClock();

    @Test
    void everyByteTheSenderQueuedIsDiscardedOnceItCloses() throws Exception {
        try (PairLoop pair = start()) {
            DiscardServer server = on(pair.second(), () -> DiscardServer.listen(pair.second().tcp(), clock, 0, PORT, 16));
            BulkSender sender = on(pair.first(), () -> BulkSender.connect(pair.first().tcp(), clock, CLIENT, SERVER, PORT));
            await().atMost(Duration.ofSeconds(30)).until(() -> server.bytes() >= ENOUGH);
            assertEquals(1, (int) on(pair.second(), server::connections));
            assertFalse(sender.over());

            on(pair.first(), () -> {
                sender.close();
                return null;
            });
            long queued = sender.bytes();
            await().atMost(Duration.ofSeconds(30)).until(() -> on(pair.second(), server::connections) == 0);
            assertEquals(queued, server.bytes(), "what the send buffer took, delivered and read exactly once");
            assertEquals(queued, sender.bytes(), "nothing taken after close");
            assertTrue(sender.over());
            assertNull(sender.error(), "a clean close on both sides");
        }
    }

    @Test
    void closingTheServerEndsItsConnectionsAndTheSenderLearnsOfIt() throws Exception {
        try (PairLoop pair = start()) {
            DiscardServer server = on(pair.second(), () -> DiscardServer.listen(pair.second().tcp(), clock, 0, PORT, 16));
            BulkSender sender = on(pair.first(), () -> BulkSender.connect(pair.first().tcp(), clock, CLIENT, SERVER, PORT));
            await().atMost(Duration.ofSeconds(30)).until(() -> server.bytes() > 0);

            on(pair.second(), () -> {
                server.close();
                return null;
            });
            await().atMost(Duration.ofSeconds(30)).until(sender::over);
            assertEquals(TcpError.EPIPE, sender.error(), "the server's FIN, then its RST for data sent after its"
                    + " close: EPIPE in CLOSE_WAIT (Linux tcp_reset())");
            assertEquals(0, (int) on(pair.second(), server::connections));
        }
    }

    private PairLoop start() {
        TcpConfig defaults = TcpConfig.linuxDefaults(1500);
        return PairLoop.start(new StackConfig(CLIENT, defaults, IsnGenerator.random()),
                new StackConfig(SERVER, defaults, IsnGenerator.random()), 1500, TimeUnit.MICROSECONDS.toNanos(100), clock);
    }

    private static <T> T on(NetStack stack, Supplier<T> action) throws Exception {
        return CompletableFuture.supplyAsync(action, stack).get(10, TimeUnit.SECONDS);
    }
}
