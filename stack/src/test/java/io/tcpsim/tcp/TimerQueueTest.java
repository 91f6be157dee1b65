package io.tcpsim.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcpsim.time.Clock;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link TimerQueue}: the next deadline and the due connections, earliest first (ties in the order
 * their deadlines were set; setting the same deadline again keeps the place), through changes and
 * removals; and re-arming a timer allocates nothing.
 */
class TimerQueueTest {

    private final TcpLayer layer = new TcpLayer(TcpConfig.linuxDefaults(1500), new IsnGenerator(TcbHarness.KEY),
            (t, s) -> { });
    private final TimerQueue timers = new TimerQueue();

    /**
     * {@code n} connections in SYN_SENT, taken out of their layer's demux (and so its timer queue):
     * the queue under test is theirs alone, their deadlines set by the test.
     */
    private List<TcpConnection> connections(int n) {
        List<TcpConnection> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            TcpConnection c = layer.connect(new FourTuple(TcbHarness.LOCAL, 10_000 + i, TcbHarness.REMOTE, 80), 0);
            c.host.demux.remove(c);
            all.add(c);
        }
        return all;
    }

    private void arm(TcpConnection c, long at) {
        c.rtoAt = at;
        timers.touch(c);
    }

    @Test
    void dueIsEarliestFirstWithTiesInTheOrderSet() {
        List<TcpConnection> c = connections(5);
        long[] at = {50, 10, 30, 10, 90};
        for (int i = 0; i < at.length; i++) {
            arm(c.get(i), at[i]);
        }
        assertEquals(10, timers.next(c));
        assertEquals(List.of(c.get(1), c.get(3), c.get(2)), timers.due(30));
        arm(c.get(1), 100);
        timers.remove(c.get(3));
        assertEquals(List.of(c.get(2), c.get(0)), timers.due(50));
        arm(c.get(2), Clock.NO_DEADLINE);
        assertEquals(50, timers.next(c.subList(0, 3)));
        assertEquals(List.of(c.get(0), c.get(4), c.get(1)), timers.due(1000));
    }

    /** Random deadlines, changes and removals against a sort of everything queued. */
    @Test
    void agreesWithASortedListThroughRandomChanges() {
        List<TcpConnection> c = connections(64);
        List<TcpConnection> queued = new ArrayList<>();
        Random random = new Random(7);
        for (int step = 0; step < 5000; step++) {
            TcpConnection pick = c.get(random.nextInt(c.size()));
            if (random.nextInt(8) == 0) {
                timers.remove(pick);
                queued.remove(pick);
            } else {
                long at = random.nextInt(200);
                if (!(queued.contains(pick) && pick.rtoAt == at)) { // the same deadline again keeps its place
                    queued.remove(pick);
                    queued.add(pick);
                }
                arm(pick, at);
            }
            long now = random.nextInt(200);
            List<TcpConnection> expected = queued.stream().filter(x -> x.rtoAt <= now)
                    .sorted(Comparator.comparingLong(x -> x.rtoAt)).toList();
            assertEquals(expected, timers.due(now), "step " + step);
        }
    }

    /** Above the cross-checked size (no scan by the assertion), a touch and a re-armed deadline allocate nothing. */
    @Test
    void reArmingATimerAllocatesNothing() {
        List<TcpConnection> c = connections(1000);
        for (TcpConnection x : c) {
            arm(x, 1_000);
        }
        timers.next(c);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 20_000; i++) {
            TcpConnection x = c.get(i * 7919 % c.size());
            arm(x, 1_000 + i);
            timers.touch(c.get(i % c.size()));
            timers.next(c);
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(allocated < 20_000, "20,000 re-armed timers allocated " + allocated + " bytes");
        assertEquals(c.stream().mapToLong(x -> x.rtoAt).min().orElseThrow(), timers.next(c));
    }
}
