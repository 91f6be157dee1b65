package io.tcpsim.tcp;

import io.tcpsim.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.function.Consumer;

/**
 * The connections ordered by their next deadline, so that the stack loop's "when is the next
 * timer?" and "whose timers are due?" cost O(log n) with ten thousand connections instead of a
 * scan of all of them. A connection whose timers may have changed is {@link #touch}ed (every
 * operation on a connection ends in {@code TcpConnection.fireEvents()}, which does it); its
 * deadline is read again before the next answer. Linux keeps one timer per socket in the
 * kernel's timer wheel; this is the same idea with one entry per connection.
 *
 * <p>A binary min-heap of the connections with a deadline, ordered by (deadline, serial: the
 * order in which deadlines were set); each connection keeps its place in the heap and its
 * touched mark ({@link TcpConnection#timerSlot}, {@link TcpConnection#timerTouched}), so a touch,
 * a change of deadline and a removal allocate nothing.
 */
final class TimerQueue {
    /** Up to this many connections, an assertion cross-checks every answer with a scan (tests run with -ea). */
    private static final int CROSS_CHECKED = 256;
    /** {@link TcpConnection#timerSlot} of a connection not in the heap. */
    static final int NOT_QUEUED = -1;

    private TcpConnection[] heap = new TcpConnection[16];
    private int size;
    private final List<TcpConnection> touched = new ArrayList<>();
    private long serial;
    /** The assertion's scan: the earliest deadline so far, and the step that lowers it, made once. */
    private long scanned;
    private final Consumer<TcpConnection> scanStep = c -> scanned = Math.min(scanned, c.nextDeadline());

    /** The connection's timers may have changed: its deadline is read again before the next answer. */
    void touch(TcpConnection c) {
        if (!c.timerTouched) {
            c.timerTouched = true;
            touched.add(c);
        }
    }

    /** Forgets a connection that left the demux. */
    void remove(TcpConnection c) {
        c.timerTouched = false; // left in the touched list, where refresh() skips it
        if (c.timerSlot != NOT_QUEUED) {
            removeAt(c.timerSlot);
        }
    }

    /** The earliest deadline of the connections in {@code all} ({@link Clock#NO_DEADLINE} when none). */
    long next(Collection<TcpConnection> all) {
        refresh();
        long next = size == 0 ? Clock.NO_DEADLINE : heap[0].timerAt;
        assert all.size() > CROSS_CHECKED || next == scan(all)
                : "a connection's timer changed without TcpConnection.fireEvents(): " + next + " != " + scan(all);
        return next;
    }

    /** The connections with a deadline at or before {@code now}, earliest first. */
    List<TcpConnection> due(long now) {
        refresh();
        List<TcpConnection> due = new ArrayList<>();
        collectDue(0, now, due);
        due.sort(TimerQueue::compare);
        return due;
    }

    /** The heap below {@code slot} holds no earlier deadline than the slot's: stop at the first one after now. */
    private void collectDue(int slot, long now, List<TcpConnection> due) {
        if (slot >= size || heap[slot].timerAt > now) {
            return;
        }
        due.add(heap[slot]);
        collectDue(2 * slot + 1, now, due);
        collectDue(2 * slot + 2, now, due);
    }

    private void refresh() {
        for (int i = 0; i < touched.size(); i++) {
            TcpConnection c = touched.get(i);
            if (!c.timerTouched) {
                continue;
            }
            c.timerTouched = false;
            long at = c.nextDeadline();
            if (c.timerSlot != NOT_QUEUED && c.timerAt == at) {
                continue;
            } else if (c.timerSlot != NOT_QUEUED) {
                removeAt(c.timerSlot);
            }
            if (at != Clock.NO_DEADLINE) {
                c.timerAt = at;
                c.timerSerial = serial++;
                add(c);
            }
        }
        touched.clear();
    }

    private void add(TcpConnection c) {
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        place(c, size++);
        siftUp(c.timerSlot);
    }

    private void removeAt(int slot) {
        TcpConnection gone = heap[slot];
        gone.timerSlot = NOT_QUEUED;
        TcpConnection last = heap[--size];
        heap[size] = null;
        if (slot == size) {
            return;
        }
        place(last, slot);
        siftDown(slot);
        siftUp(last.timerSlot);
    }

    private void siftUp(int slot) {
        TcpConnection c = heap[slot];
        while (slot > 0) {
            int parent = (slot - 1) / 2;
            if (compare(heap[parent], c) <= 0) {
                break;
            }
            place(heap[parent], slot);
            slot = parent;
        }
        place(c, slot);
    }

    private void siftDown(int slot) {
        TcpConnection c = heap[slot];
        while (2 * slot + 1 < size) {
            int child = 2 * slot + 1;
            if (child + 1 < size && compare(heap[child + 1], heap[child]) < 0) {
                child++;
            }
            if (compare(c, heap[child]) <= 0) {
                break;
            }
            place(heap[child], slot);
            slot = child;
        }
        place(c, slot);
    }

    private void place(TcpConnection c, int slot) {
        heap[slot] = c;
        c.timerSlot = slot;
    }

    private static int compare(TcpConnection a, TcpConnection b) {
        int byDeadline = Long.compare(a.timerAt, b.timerAt);
        return byDeadline != 0 ? byDeadline : Long.compare(a.timerSerial, b.timerSerial);
    }

    /**
     * The earliest deadline of {@code all}, by a scan. {@code forEach} with a step made once, not
     * an iterator: the assertion then allocates nothing, so the allocation budgets
     * (SteadyStateAllocationTest) hold the same with assertions on and off.
     */
    private long scan(Collection<TcpConnection> all) {
        scanned = Clock.NO_DEADLINE;
        all.forEach(scanStep);
        return scanned;
    }
}
