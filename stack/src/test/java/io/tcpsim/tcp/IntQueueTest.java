package io.tcpsim.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;

class IntQueueTest {

    @Test
    void emptyQueueHasNoFirst() {
        IntQueue q = new IntQueue();
        assertTrue(q.isEmpty());
        assertThrows(NoSuchElementException.class, q::peekFirst);
    }

    @Test
    void valuesComeOutInOrderAcrossGrowthWhileWrappedAround() {
        IntQueue q = new IntQueue();
        for (int i = 0; i < 6; i++) {
            q.addLast(i);
        }
        for (int i = 0; i < 5; i++) {
            assertEquals(i, q.pollFirst());
        }
        for (int i = 6; i < 40; i++) {
            q.addLast(i); // the head sits at 5 of 8 when the array first fills: growth copies a wrapped run
        }
        for (int i = 5; i < 40; i++) {
            assertEquals(i, q.peekFirst());
            assertEquals(i, q.pollFirst());
        }
        assertTrue(q.isEmpty());
    }

    @Test
    void negativeAndLargeValuesAreKeptAsTheyAre() {
        IntQueue q = new IntQueue();
        q.addLast(Integer.MIN_VALUE);
        q.addLast(-1);
        q.addLast(Integer.MAX_VALUE);
        assertEquals(Integer.MIN_VALUE, q.pollFirst());
        assertEquals(-1, q.pollFirst());
        assertEquals(Integer.MAX_VALUE, q.pollFirst());
    }
}
