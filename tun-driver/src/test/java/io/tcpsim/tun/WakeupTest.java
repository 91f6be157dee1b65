package io.tcpsim.tun;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
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

    /**
     * A signal that comes while the waiter drains must not be lost: before the fix, drain() cleared
     * "pending" before reading the eventfd, so a signal in between was read away and left "pending"
     * set with nothing to read; every later signal then skipped its write and waits ran to their
     * timeout (the stack thread slept 50 ms per socket call).
     */
    @Test
    void signalsRacingWithTheDrain_neverLeaveAWaitToItsTimeout(NetNamespace ns) throws Exception {
        try (TunDevice tun = ns.call(() -> TunDevice.open(TunConfig.named("tcpsim0").withNonBlocking(true)));
             Wakeup wakeup = Wakeup.open()) {
            AtomicBoolean stop = new AtomicBoolean();
            Thread signaller = Thread.ofPlatform().start(() -> {
                try {
                    while (!stop.get()) {
                        wakeup.signal();
                    }
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            try {
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
                for (int waits = 0; System.nanoTime() < end; waits++) {
                    long start = System.nanoTime();
                    tun.awaitReadable(3_000, wakeup);
                    long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                    assertTrue(millis < 2_000, "wait " + waits + " ran " + millis + " ms while signals kept coming");
                }
            } finally {
                stop.set(true);
                signaller.join();
            }
        }
    }
}
