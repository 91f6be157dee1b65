package io.tcpsim.tcp;

import java.util.function.Function;

/**
 * The IPv4 connections (or anything with a {@link FourTuple}) by 4-tuple, looked up from the header's numbers without making a
 * {@link FourTuple} (issue 8: no allocation per packet, also when segments of many connections
 * interleave). Open addressing with linear probing over the connections themselves, each
 * compared by its own tuple; half full at most, doubled when it would be fuller; a removal moves
 * the entries after it back (backward-shift deletion), so no tombstones build up. A reference per
 * slot: at 100,000 connections about 10 bytes each. The hash is keyed with a random secret, as
 * Linux keys inet_ehashfn() with inet_ehash_secret: a peer that chooses its ports cannot line its
 * connections up in one long probe run.
 */
final class Ipv4TupleTable<T> {
    private static final int FIRST_CAPACITY = 16;

    private final Function<T, FourTuple> tupleOf;
    private final int secret;
    private Object[] slots = new Object[FIRST_CAPACITY];
    private int size;

    /** {@code secret}: the hash's key, random per table in the stack ({@link TcpDemux}). */
    Ipv4TupleTable(Function<T, FourTuple> tupleOf, int secret) {
        this.tupleOf = tupleOf;
        this.secret = secret;
    }

    /** The connection of this 4-tuple; null when there is none. */
    T get(int localAddr, int localPort, int remoteAddr, int remotePort) {
        int mask = slots.length - 1;
        for (int i = slot(localAddr, localPort, remoteAddr, remotePort, mask); ; i = (i + 1) & mask) {
            T c = at(i);
            if (c == null || tupleOf.apply(c).isIpv4(localAddr, localPort, remoteAddr, remotePort)) {
                return c;
            }
        }
    }

    /** Adds {@code c}, whose tuple is IPv4, in place of any with the same tuple. */
    void put(T c) {
        if (2 * (size + 1) > slots.length) {
            grow();
        }
        int i = find(tupleOf.apply(c));
        if (slots[i] == null) {
            size++;
        }
        slots[i] = c;
    }

    /** Removes {@code c} if it is the one held for its tuple. */
    void remove(T c) {
        int mask = slots.length - 1;
        int i = find(tupleOf.apply(c));
        if (slots[i] != c) {
            return;
        }
        slots[i] = null;
        size--;
        for (int j = (i + 1) & mask; slots[j] != null; j = (j + 1) & mask) {
            T moved = at(j);
            int home = slot(tupleOf.apply(moved), mask);
            // moved goes back to the hole unless its home lies cyclically in (i, j]
            if (((j - home) & mask) >= ((j - i) & mask)) {
                slots[i] = moved;
                slots[j] = null;
                i = j;
            }
        }
    }

    int size() {
        return size;
    }

    private int find(FourTuple t) {
        int mask = slots.length - 1;
        int i = slot(t, mask);
        while (slots[i] != null && !tupleOf.apply(at(i)).equals(t)) {
            i = (i + 1) & mask;
        }
        return i;
    }

    private void grow() {
        Object[] old = slots;
        slots = new Object[old.length * 2];
        int mask = slots.length - 1;
        for (Object c : old) {
            if (c != null) {
                @SuppressWarnings("unchecked")
                int i = slot(tupleOf.apply((T) c), mask);
                while (slots[i] != null) {
                    i = (i + 1) & mask;
                }
                slots[i] = c;
            }
        }
    }

    @SuppressWarnings("unchecked")
    private T at(int i) {
        return (T) slots[i];
    }

    private int slot(FourTuple t, int mask) {
        return slot(t.localAddr().ipv4(), t.localPort(), t.remoteAddr().ipv4(), t.remotePort(), mask);
    }

    /** The four numbers mixed with the secret, each step as MurmurHash3's finalizer mixes. */
    private int slot(int localAddr, int localPort, int remoteAddr, int remotePort, int mask) {
        int h = mix(secret ^ remoteAddr);
        h = mix(h ^ (remotePort << 16 | localPort));
        h = mix(h ^ localAddr);
        return h & mask;
    }

    private static int mix(int h) {
        h = (h ^ h >>> 16) * 0x85EB_CA6B;
        h = (h ^ h >>> 13) * 0xC2B2_AE35;
        return h ^ h >>> 16;
    }
}
