package io.tcpsim.tcp;

import io.tcpsim.wire.Seq;
import io.tcpsim.wire.TcpOption.SackBlock;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * The out-of-order queue (RFC 9293 §3.10.7.4 seventh step: segments beyond RCV.NXT are held
 * until the gap before them fills). The bytes are held as the pieces they arrived in, sorted and
 * disjoint: a segment adds only the bytes not already held (overlaps keep the bytes held first,
 * duplicates cost nothing), so nothing held is copied again when a segment extends a run. (Merging
 * into one array per run copied the whole run for every segment that extended it: after a burst of
 * losses with a window of megabytes that was quadratic, and a receiver that fell behind once could
 * not catch up.) A block is a maximal run of adjacent pieces; the bytes held are bounded by the
 * window offered (the caller takes only what fits), the blocks by {@link #MAX_BLOCKS}: past that the
 * highest block is dropped, as Linux tcp_prune_ofo_queue() drops from the right end, and the peer
 * sends it again. Linux bounds the queue by memory only; 1024 blocks are enough for a 4 MiB window
 * losing every third segment.
 */
final class Reassembly {
    static final int MAX_BLOCKS = 1024;

    /** Bytes {@code data[offset, offset + length)} at sequence number {@code seq}. */
    record Block(int seq, byte[] data, int offset, int length) {
        Block(int seq, byte[] data) {
            this(seq, data, 0, data.length);
        }

        int end() {
            return Seq.add(seq, length);
        }
    }

    /** Sorted by sequence number, disjoint; adjacent pieces form one block. */
    private final List<Block> pieces = new ArrayList<>();
    private int blocks;
    private int bytes;

    boolean isEmpty() {
        return pieces.isEmpty();
    }

    int blockCount() {
        return blocks;
    }

    /** The blocks, each as one array (a copy: for tests and tracing). */
    List<Block> blocks() {
        List<Block> merged = new ArrayList<>();
        for (int i = 0; i < pieces.size(); i = runEnd(i)) {
            int last = runEnd(i) - 1;
            byte[] data = new byte[Seq.diff(pieces.get(last).end(), pieces.get(i).seq)];
            for (int j = i; j <= last; j++) {
                Block p = pieces.get(j);
                System.arraycopy(p.data, p.offset, data, Seq.diff(p.seq, pieces.get(i).seq), p.length);
            }
            merged.add(new Block(pieces.get(i).seq, data));
        }
        return merged;
    }

    /** Queued bytes. */
    int size() {
        return bytes;
    }

    /** Bytes from {@code rcvNxt} to the end of the highest block (Linux ooo_last_skb->end_seq - rcv_nxt); 0 when empty. */
    int spanBeyond(int rcvNxt) {
        return pieces.isEmpty() ? 0 : Math.max(0, Seq.diff(pieces.getLast().end(), rcvNxt));
    }

    /** Whether byte {@code seq} is held. */
    boolean holds(int seq) {
        int i = firstEndingAfter(seq);
        return i < pieces.size() && Seq.le(pieces.get(i).seq, seq);
    }

    /** The lowest held range that {@code [seq, end)} overlaps, cut to that span; null when none does. */
    SackBlock firstOverlap(int seq, int end) {
        int i = firstEndingAfter(seq);
        if (i == pieces.size() || !Seq.lt(pieces.get(i).seq, end)) {
            return null;
        }
        int runEnd = pieces.get(runEnd(i) - 1).end();
        return new SackBlock(Seq.gt(pieces.get(i).seq, seq) ? pieces.get(i).seq : seq, Seq.lt(runEnd, end) ? runEnd : end);
    }

    /**
     * What the first held block has below {@code seq}: bytes that arrived twice once RCV.NXT passed
     * them; null if none.
     */
    SackBlock heldBelow(int seq) {
        if (pieces.isEmpty() || !Seq.lt(pieces.getFirst().seq, seq)) {
            return null;
        }
        int runEnd = pieces.get(runEnd(0) - 1).end();
        return new SackBlock(pieces.getFirst().seq, Seq.lt(runEnd, seq) ? runEnd : seq);
    }

    /**
     * Adds payload[off, off+len) with sequence number {@code seq}; overlaps keep the bytes held first.
     *
     * @return whether the highest block was dropped to keep at most {@link #MAX_BLOCKS}
     */
    boolean add(int seq, MemorySegment payload, long off, int len) {
        int end = Seq.add(seq, len);
        int i = firstEndingAfter(seq);
        int from = seq;
        while (len > 0 && Seq.lt(from, end)) {
            Block next = i < pieces.size() ? pieces.get(i) : null;
            int gapEnd = next == null || Seq.gt(next.seq, end) ? end : next.seq;
            if (Seq.lt(from, gapEnd)) {
                insert(i, from, payload, off + Seq.diff(from, seq), Seq.diff(gapEnd, from));
                i++;
            }
            if (next == null || !Seq.lt(next.seq, end)) {
                break;
            }
            from = Seq.gt(next.end(), from) ? next.end() : from;
            i++;
        }
        if (blocks > MAX_BLOCKS) {
            dropLast(); // Linux: tcp_prune_ofo_queue() drops from the highest sequence
            return true;
        }
        return false;
    }

    /** Drops the block with the highest sequence numbers (Linux tcp_prune_ofo_queue()). */
    void dropLast() {
        if (pieces.isEmpty()) {
            return;
        }
        int first = pieces.size() - 1;
        while (first > 0 && pieces.get(first - 1).end() == pieces.get(first).seq) {
            first--;
        }
        for (int i = pieces.size() - 1; i >= first; i--) {
            bytes -= pieces.removeLast().length;
        }
        blocks--;
    }

    /**
     * Removes and returns the piece that now starts at or before {@code rcvNxt}, trimmed to start
     * there; null when the first piece still lies beyond a gap. Repeated calls, RCV.NXT advanced by
     * each, return a block piece by piece.
     */
    Block takeAt(int rcvNxt) {
        while (!pieces.isEmpty() && Seq.le(pieces.getFirst().seq, rcvNxt)) {
            Block p = removeFirst();
            int skip = Seq.diff(rcvNxt, p.seq);
            if (skip < p.length) {
                return new Block(rcvNxt, p.data, p.offset + skip, p.length - skip);
            }
        }
        return null;
    }

    /** Puts back the part of a taken piece the receive buffer could not hold. */
    void putBack(Block b) {
        if (pieces.isEmpty() || pieces.getFirst().seq != b.end()) {
            blocks++;
        }
        pieces.addFirst(b);
        bytes += b.length;
    }

    private Block removeFirst() {
        Block p = pieces.removeFirst();
        bytes -= p.length;
        if (pieces.isEmpty() || pieces.getFirst().seq != p.end()) {
            blocks--;
        }
        return p;
    }

    /** Copies {@code len} bytes of payload into a new piece at index {@code i}, keeping the block count. */
    private void insert(int i, int seq, MemorySegment payload, long off, int len) {
        byte[] data = new byte[len];
        MemorySegment.copy(payload, ValueLayout.JAVA_BYTE, off, data, 0, len);
        Block p = new Block(seq, data);
        boolean joinsBefore = i > 0 && pieces.get(i - 1).end() == seq;
        boolean joinsAfter = i < pieces.size() && pieces.get(i).seq == p.end();
        blocks += joinsBefore && joinsAfter ? -1 : joinsBefore || joinsAfter ? 0 : 1;
        pieces.add(i, p);
        bytes += len;
    }

    /** The first piece index whose end is after {@code seq} (binary search; the pieces are sorted and disjoint). */
    private int firstEndingAfter(int seq) {
        int lo = 0;
        int hi = pieces.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (Seq.gt(pieces.get(mid).end(), seq)) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    /** The index after the last piece of the block that starts at piece {@code i}. */
    private int runEnd(int i) {
        int j = i + 1;
        while (j < pieces.size() && pieces.get(j).seq == pieces.get(j - 1).end()) {
            j++;
        }
        return j;
    }
}
