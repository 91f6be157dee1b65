package io.tcpsim.ip;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Fragment queues of one family (RFC 791 §3.2, RFC 815, RFC 8200 §4.5), as Linux's
 * inet_frag_queue and ip_frag_queue()/ip6_frag_queue() keep them: one queue per key, its data by
 * offset, the datagram's length once the last fragment came, complete when the first and last
 * came and the bytes held add up to that length. A queue lives {@code timeout} from its first
 * fragment (ipfrag_time 30 s, ip6frag_time 60 s). Above {@link #HIGH_THRESH} bytes held, fragments
 * are refused, as Linux 6.x's inet_frag_find() does (no eviction since 4.17; ipfrag_low_thresh is
 * unused); the bytes held are the fragments' wire lengths (Linux: their skb truesize).
 * Runs on the stack thread only.
 *
 * @param <K> the queue key: (src, dst, id, protocol) for IPv4, (src, dst, id) for IPv6
 */
final class Reassembler<K> {
    /** ipfrag_high_thresh and ip6frag_high_thresh: 4 MiB. */
    static final long HIGH_THRESH = 4L * 1024 * 1024;

    /** What became of one fragment. */
    sealed interface Result {
    }

    /** Queued; the datagram is not complete yet. */
    record Queued() implements Result {
    }

    /** The datagram is complete: {@code first} is the offset-0 fragment as received, {@code data} the whole payload. */
    record Complete(byte[] first, byte[] data) implements Result {
    }

    /** This fragment (and, unless it is a duplicate or refused, its queue) was dropped for {@code reason}. */
    record Discarded(IpDrop reason) implements Result {
    }

    /** A queue that timed out: {@code first} is its offset-0 fragment, or null if that never came. */
    record Expired(byte[] first) {
    }

    private final long timeoutNanos;
    private final ReasmCounters counters;
    private final Map<K, Queue> queues = new LinkedHashMap<>();
    private long memory;

    Reassembler(long timeoutNanos, ReasmCounters counters) {
        this.timeoutNanos = timeoutNanos;
        this.counters = counters;
    }

    /**
     * Adds the fragment {@code packet} whose data {@code data} starts at {@code offset}; {@code more}:
     * its M flag. The length checks particular to a family are the caller's.
     */
    Result add(K key, MemorySegment packet, MemorySegment data, int offset, boolean more, long now) {
        counters.countRequired();
        if (memory > HIGH_THRESH) {
            counters.countFail();
            return new Discarded(IpDrop.FRAGMENT_NO_MEMORY);
        }
        Queue queue = queues.computeIfAbsent(key, k -> new Queue(now + timeoutNanos));
        int end = offset + (int) data.byteSize();
        IpDrop refused = queue.checkLength(offset, end, more);
        if (refused != null) {
            return discard(key, queue, refused);
        }
        switch (queue.insert(offset, end)) {
            case DUPLICATE -> {
                return new Discarded(IpDrop.FRAGMENT_DUPLICATE);
            }
            case OVERLAP -> {
                counters.countOverlap();
                return discard(key, queue, IpDrop.FRAGMENT_OVERLAP);
            }
            case FITS -> {
                byte[] bytes = data.toArray(ValueLayout.JAVA_BYTE);
                queue.data.put(offset, bytes);
                queue.held += bytes.length;
                memory += packet.byteSize();
                queue.memory += packet.byteSize();
                if (offset == 0) {
                    queue.first = packet.toArray(ValueLayout.JAVA_BYTE);
                }
            }
        }
        if (!queue.complete()) {
            return new Queued();
        }
        remove(key, queue);
        return new Complete(queue.first, queue.join());
    }

    /** Counts a complete datagram the caller delivers (ReasmOKs). */
    void succeeded() {
        counters.countOk();
    }

    /** Counts a datagram found complete but refused by the caller (too big), as Linux's ReasmFails. */
    void failed() {
        counters.countFail();
    }

    /** When the oldest queue times out; Long.MAX_VALUE without queues. */
    long nextDeadline() {
        return queues.isEmpty() ? Long.MAX_VALUE : queues.values().iterator().next().expires;
    }

    /** Removes the queues whose time is up, counted as Linux's ip_expire() does: ReasmFails and ReasmTimeout. */
    List<Expired> expire(long now) {
        List<Expired> expired = new ArrayList<>();
        Iterator<Queue> it = queues.values().iterator();
        while (it.hasNext()) {
            Queue queue = it.next();
            if (queue.expires > now) {
                break;
            }
            it.remove();
            memory -= queue.memory;
            counters.countFail();
            counters.countTimeout();
            expired.add(new Expired(queue.first));
        }
        return expired;
    }

    private Discarded discard(K key, Queue queue, IpDrop reason) {
        remove(key, queue);
        counters.countFail();
        return new Discarded(reason);
    }

    private void remove(K key, Queue queue) {
        queues.remove(key);
        memory -= queue.memory;
    }

    private enum Insert { FITS, DUPLICATE, OVERLAP }

    /** One datagram's fragments. */
    private static final class Queue {
        final long expires;
        final TreeMap<Integer, byte[]> data = new TreeMap<>();
        byte[] first;
        boolean lastIn;
        int length;
        int held;
        long memory;

        Queue(long expires) {
            this.expires = expires;
        }

        /**
         * Linux ip_frag_queue()/ip6_frag_queue(): a last fragment may not end before data already
         * held nor disagree with an earlier last; no fragment may end past a known last; an empty
         * fragment kills the queue.
         */
        IpDrop checkLength(int offset, int end, boolean more) {
            if (!more) {
                if (end < length || lastIn && end != length) {
                    return IpDrop.FRAGMENT_BAD_LENGTH;
                }
                lastIn = true;
                length = end;
            } else if (end > length) {
                if (lastIn) {
                    return IpDrop.FRAGMENT_BAD_LENGTH;
                }
                length = end;
            }
            return end == offset ? IpDrop.FRAGMENT_BAD_LENGTH : null;
        }

        /**
         * Linux inet_frag_queue_insert(): a fragment that falls within data held is a duplicate,
         * ignored; one that overlaps it only in part discards the datagram (RFC 5722).
         */
        Insert insert(int offset, int end) {
            int covered = 0;
            boolean touches = false;
            for (Map.Entry<Integer, byte[]> e : data.subMap(0, true, end, false).entrySet()) {
                int from = Math.max(offset, e.getKey());
                int to = Math.min(end, e.getKey() + e.getValue().length);
                if (to > from) {
                    touches = true;
                    covered += to - from;
                }
            }
            if (!touches) {
                return Insert.FITS;
            }
            return covered == end - offset ? Insert.DUPLICATE : Insert.OVERLAP;
        }

        boolean complete() {
            return lastIn && first != null && held == length;
        }

        byte[] join() {
            byte[] out = new byte[length];
            data.forEach((offset, bytes) -> System.arraycopy(bytes, 0, out, offset, bytes.length));
            return out;
        }
    }
}
