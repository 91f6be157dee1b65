package io.tcpsim.tcp;

import io.tcpsim.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The connections ordered by their next deadline, so that the stack loop's "when is the next
 * timer?" and "whose timers are due?" cost O(log n) with ten thousand connections instead of a
 * scan of all of them. A connection whose timers may have changed is {@link #touch}ed (every
 * operation on a connection ends in {@code TcpConnection.fireEvents()}, which does it); its
 * deadline is read again before the next answer. Linux keeps one timer per socket in the
 * kernel's timer wheel; this is the same idea with one entry per connection.
 */
final class TimerQueue {
    /** Up to this many connections, an assertion cross-checks every answer with a scan (tests run with -ea). */
    private static final int CROSS_CHECKED = 256;

    private record Entry(long at, long serial, TcpConnection connection) {
    }

    private final TreeSet<Entry> byDeadline = new TreeSet<>(
            Comparator.comparingLong(Entry::at).thenComparingLong(Entry::serial));
    private final Map<TcpConnection, Entry> entries = new HashMap<>();
    private final Set<TcpConnection> touched = new LinkedHashSet<>();
    private long serial;

    /** The connection's timers may have changed: its deadline is read again before the next answer. */
    void touch(TcpConnection c) {
        touched.add(c);
    }

    /** Forgets a connection that left the demux. */
    void remove(TcpConnection c) {
        touched.remove(c);
        Entry e = entries.remove(c);
        if (e != null) {
            byDeadline.remove(e);
        }
    }

    /** The earliest deadline of the connections in {@code all} ({@link Clock#NO_DEADLINE} when none). */
    long next(Collection<TcpConnection> all) {
        refresh();
        long next = byDeadline.isEmpty() ? Clock.NO_DEADLINE : byDeadline.first().at();
        assert all.size() > CROSS_CHECKED || next == scan(all)
                : "a connection's timer changed without TcpConnection.fireEvents(): " + next + " != " + scan(all);
        return next;
    }

    /** The connections with a deadline at or before {@code now}, earliest first. */
    List<TcpConnection> due(long now) {
        refresh();
        List<TcpConnection> due = new ArrayList<>();
        for (Entry e : byDeadline) {
            if (e.at() > now) {
                break;
            }
            due.add(e.connection());
        }
        return due;
    }

    private void refresh() {
        if (touched.isEmpty()) {
            return; // the idle loop's turn: no iterator made (docs/benchmarks.md, StackPathBenchmark)
        }
        for (TcpConnection c : touched) {
            long at = c.nextDeadline();
            Entry old = entries.get(c);
            if (old != null && old.at() == at) {
                continue;
            } else if (old != null) {
                byDeadline.remove(old);
                entries.remove(c);
            }
            if (at != Clock.NO_DEADLINE) {
                Entry e = new Entry(at, serial++, c);
                byDeadline.add(e);
                entries.put(c, e);
            }
        }
        touched.clear();
    }

    private static long scan(Collection<TcpConnection> all) {
        long next = Clock.NO_DEADLINE;
        for (TcpConnection c : all) {
            next = Math.min(next, c.nextDeadline());
        }
        return next;
    }
}
