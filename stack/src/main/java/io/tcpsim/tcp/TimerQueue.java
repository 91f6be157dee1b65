package io.tcpsim.tcp;

import io.tcpsim.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * The connections ordered by their next deadline, so that the stack loop's "when is the next
 * timer?" and "whose timers are due?" cost O(log n) with ten thousand connections instead of a
 * scan of all of them. A connection whose timers may have changed is {@link #touch}ed (every
 * operation on a connection ends in {@code TcpConnection.fireEvents()}, which does it); its
 * deadline is read again before the next answer. Linux keeps one timer per socket in the
 * kernel's timer wheel; this is the same idea with one entry per connection.
 *
 * <p>A binary min-heap of one mutable {@link Entry} per connection with a deadline, held by the
 * connection and knowing its place in the heap: a deadline that moves (the delayed-ACK or
 * retransmission timer, on nearly every segment) is a sift, not a removal and an insertion, and
 * the entry of a connection left without a deadline is kept as a spare for the next, so the
 * steady state allocates nothing and an idle connection holds no entry.
 */
final class TimerQueue {
    /** Up to this many connections, an assertion cross-checks every answer with a scan (tests run with -ea). */
    private static final int CROSS_CHECKED = 256;
    /** Spare entries kept at most: a burst of timers ending frees no more memory than this holds. */
    private static final int MAX_SPARES = 1024;
    private static final Comparator<Entry> EARLIEST_FIRST = Comparator.comparingLong((Entry e) -> e.at)
            .thenComparingLong(e -> e.serial);

    /**
     * A connection's place in the heap ({@code TcpConnection.timerEntry} while it has a deadline);
     * {@code serial} orders equal deadlines by when they were set.
     */
    static final class Entry {
        private TcpConnection connection;
        private long at;
        private long serial;
        private int index;
    }

    /** Entries whose connection lost its deadline, for the next to get one: none made in the steady state. */
    private final List<Entry> spares = new ArrayList<>();
    private Entry[] heap = new Entry[16];
    private int size;
    /** Touched since the last refresh, maybe more than once (a repeat of the last one is not added). */
    private final List<TcpConnection> touched = new ArrayList<>();
    private long serial;

    /** The connection's timers may have changed: its deadline is read again before the next answer. */
    void touch(TcpConnection c) {
        if (touched.isEmpty() || touched.getLast() != c) {
            touched.add(c);
        }
    }

    /** Forgets a connection that left the demux. */
    void remove(TcpConnection c) {
        touched.removeIf(t -> t == c);
        Entry e = c.timerEntry;
        if (e != null) {
            removeAt(e.index);
            give(e);
        }
    }

    /** An entry for {@code c}: a spare one if there is one. */
    private Entry take(TcpConnection c) {
        Entry e = spares.isEmpty() ? new Entry() : spares.removeLast();
        e.connection = c;
        c.timerEntry = e;
        return e;
    }

    /** {@code e}'s connection has no deadline now: the entry is kept for the next one to need it. */
    private void give(Entry e) {
        e.connection.timerEntry = null;
        e.connection = null;
        if (spares.size() < MAX_SPARES) {
            spares.add(e);
        }
    }

    /** The earliest deadline of the connections in {@code all} ({@link Clock#NO_DEADLINE} when none). */
    long next(Collection<TcpConnection> all) {
        refresh();
        long next = size == 0 ? Clock.NO_DEADLINE : heap[0].at;
        assert all.size() > CROSS_CHECKED || next == scan(all)
                : "a connection's timer changed without TcpConnection.fireEvents(): " + next + " != " + scan(all);
        return next;
    }

    /** The connections with a deadline at or before {@code now}, earliest first. */
    List<TcpConnection> due(long now) {
        refresh();
        List<Entry> due = new ArrayList<>();
        collectDue(0, now, due);
        due.sort(EARLIEST_FIRST);
        List<TcpConnection> connections = new ArrayList<>(due.size());
        for (Entry e : due) {
            connections.add(e.connection);
        }
        return connections;
    }

    /** The entries at or before {@code now} in the subtree at {@code i}: a heap's children are never earlier. */
    private void collectDue(int i, long now, List<Entry> due) {
        if (i >= size || heap[i].at > now) {
            return;
        }
        due.add(heap[i]);
        collectDue(2 * i + 1, now, due);
        collectDue(2 * i + 2, now, due);
    }

    private void refresh() {
        for (int i = 0; i < touched.size(); i++) {
            reschedule(touched.get(i));
        }
        touched.clear();
    }

    private void reschedule(TcpConnection c) {
        long at = c.nextDeadline();
        Entry e = c.timerEntry;
        if (e == null && at == Clock.NO_DEADLINE) {
            return;
        } else if (e == null) {
            e = take(c);
            e.at = at;
            e.serial = serial++;
            add(e);
            return;
        } else if (e.at == at) {
            return;
        } else if (at == Clock.NO_DEADLINE) {
            removeAt(e.index);
            give(e);
            return;
        }
        boolean earlier = at < e.at;
        e.at = at;
        e.serial = serial++;
        if (earlier) {
            siftUp(e.index);
        } else {
            siftDown(e.index);
        }
    }

    private void add(Entry e) {
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, 2 * size);
        }
        place(e, size++);
        siftUp(e.index);
    }

    private void removeAt(int i) {
        Entry last = heap[--size];
        heap[size] = null;
        if (i == size) {
            return;
        }
        place(last, i);
        siftDown(i);
        siftUp(last.index);
    }

    private void siftUp(int i) {
        Entry e = heap[i];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!before(e, heap[parent])) {
                break;
            }
            place(heap[parent], i);
            i = parent;
        }
        place(e, i);
    }

    private void siftDown(int i) {
        Entry e = heap[i];
        while (true) {
            int child = 2 * i + 1;
            if (child >= size) {
                break;
            } else if (child + 1 < size && before(heap[child + 1], heap[child])) {
                child++;
            }
            if (!before(heap[child], e)) {
                break;
            }
            place(heap[child], i);
            i = child;
        }
        place(e, i);
    }

    private void place(Entry e, int i) {
        heap[i] = e;
        e.index = i;
    }

    private static boolean before(Entry a, Entry b) {
        return a.at < b.at || a.at == b.at && a.serial < b.serial;
    }

    private static long scan(Collection<TcpConnection> all) {
        long next = Clock.NO_DEADLINE;
        for (TcpConnection c : all) {
            next = Math.min(next, c.nextDeadline());
        }
        return next;
    }
}
