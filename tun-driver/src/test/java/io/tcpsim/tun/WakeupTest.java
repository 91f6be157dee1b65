package io.tcpsim.tun;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@RequiresTun
@ExtendWith(FreshNamespace.class)
class WakeupTest {

    @Test
    void sleepingAwaitReadable_signalFromAnotherThread_returnsAtOnceWithoutPacket(NetNamespace ns) throws Exception {
        try (TunDevice tun = ns.call(() -> TunDevice.open(TunConfig.named("tcpsim0").withNonBlocking(true)));
             Wakeup wakeup = Wakeup.open()) {
            CompletableFuture<Long> elapsed = CompletableFuture.supplyAsync(() -> {
                long start = System.nanoTime();
                try {
                    assertFalse(tun.awaitReadable(10_000, wakeup), "woken, not readable");
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
                return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            });
            Thread.sleep(100);
            wakeup.signal();
            long millis = elapsed.get(5, TimeUnit.SECONDS);
            assertTrue(millis < 2_000, "woke after " + millis + " ms, not the 10 s timeout");
        }
    }

    @Test
    void signalBeforeWait_wakesOneWaitOnly_theNextTimesOut(NetNamespace ns) throws Exception {
        try (TunDevice tun = ns.call(() -> TunDevice.open(TunConfig.named("tcpsim0").withNonBlocking(true)));
             Wakeup wakeup = Wakeup.open()) {
            wakeup.signal();
            wakeup.signal();
            long start = System.nanoTime();
            assertFalse(tun.awaitReadable(5_000, wakeup));
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(2), "the pending signal woke it at once");
            start = System.nanoTime();
            assertFalse(tun.awaitReadable(50, wakeup));
            assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(40), "drained: the second wait sleeps");
        }
    }
}
