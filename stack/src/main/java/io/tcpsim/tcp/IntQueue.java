package io.tcpsim.tcp;

import java.util.NoSuchElementException;

/**
 * A FIFO of ints that grows by doubling and never boxes: an {@code ArrayDeque<Integer>} allocates
 * an {@code Integer} for most values it takes, once per write on the send path. Its array is
 * made on the first {@link #addLast}, so an idle connection holds none.
 */
final class IntQueue {
    private static final int FIRST_CAPACITY = 8;
    private static final int[] NONE = new int[0];

    private int[] values = NONE;
    private int head;
    private int size;

    boolean isEmpty() {
        return size == 0;
    }

    void addLast(int value) {
        if (size == values.length) {
            grow();
        }
        values[(head + size) % values.length] = value;
        size++;
    }

    int peekFirst() {
        if (size == 0) {
            throw new NoSuchElementException("empty");
        }
        return values[head];
    }

    int pollFirst() {
        int value = peekFirst();
        head = (head + 1) % values.length;
        size--;
        return value;
    }

    private void grow() {
        int[] grown = new int[Math.max(FIRST_CAPACITY, 2 * values.length)];
        for (int i = 0; i < size; i++) {
            grown[i] = values[(head + i) % values.length];
        }
        values = grown;
        head = 0;
    }
}
