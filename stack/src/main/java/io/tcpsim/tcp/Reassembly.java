package io.tcpsim.tcp;

import io.tcpsim.wire.Seq;
import io.tcpsim.wire.TcpOption.SackBlock;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * The out-of-order queue (RFC 9293 §3.10.7.4 seventh step: segments beyond RCV.NXT are held
 * until the gap before them fills). Blocks are kept sorted, disjoint and not adjacent: a new
 * segment merges with every block it overlaps or touches, so duplicates and overlaps cost
 * nothing. The bytes held are bounded by the window offered (the caller takes only what fits);
 * the blocks by {@link #MAX_BLOCKS}: past that the highest block is dropped, as Linux
 * tcp_prune_ofo_queue() drops from the right end, and the peer sends it again. Linux bounds the
 * queue by memory only; 1024 blocks are enough for a 4 MiB window losing every third segment.
 */
final class Reassembly {
    static final int MAX_BLOCKS = 1024;

    /** A run of contiguous bytes starting at {@code seq}. */
    record Block(int seq, byte[] data) {
        int end() {
            return Seq.add(seq, data.length);
        }
    }

    private final List<Block> blocks = new ArrayList<>();

    boolean isEmpty() {
        return blocks.isEmpty();
    }

    int blockCount() {
        return blocks.size();
    }

    List<Block> blocks() {
        return List.copyOf(blocks);
    }

    /** Queued bytes. */
    int size() {
        int n = 0;
        // Indexed: asked after every segment (TcpConnection.rechargeMemory), and an iterator is an allocation.
        for (int i = 0; i < blocks.size(); i++) {
            n += blocks.get(i).data.length;
        }
        return n;
    }

    /** Bytes from {@code rcvNxt} to the end of the highest block (Linux ooo_last_skb->end_seq - rcv_nxt); 0 when empty. */
    int spanBeyond(int rcvNxt) {
        return blocks.isEmpty() ? 0 : Math.max(0, Seq.diff(blocks.getLast().end(), rcvNxt));
    }

    /** Whether byte {@code seq} is held. */
    boolean holds(int seq) {
        for (Block b : blocks) {
            if (Seq.le(b.seq, seq) && Seq.lt(seq, b.end())) {
                return true;
            }
        }
        return false;
    }

    /** The lowest held range that {@code [seq, end)} overlaps, cut to that span; null when none does. */
    SackBlock firstOverlap(int seq, int end) {
        for (Block b : blocks) {
            if (Seq.lt(b.seq, end) && Seq.gt(b.end(), seq)) {
                return new SackBlock(Seq.gt(b.seq, seq) ? b.seq : seq, Seq.lt(b.end(), end) ? b.end() : end);
            }
        }
        return null;
    }

    /**
     * What the first held block has below {@code seq}: bytes that arrived twice once RCV.NXT passed
     * them; null if none.
     */
    SackBlock heldBelow(int seq) {
        if (blocks.isEmpty() || !Seq.lt(blocks.getFirst().seq, seq)) {
            return null;
        }
        Block b = blocks.getFirst();
        return new SackBlock(b.seq, Seq.lt(b.end(), seq) ? b.end() : seq);
    }

    /**
     * Adds payload[off, off+len) with sequence number {@code seq}; overlaps keep the bytes held first.
     *
     * @return whether the highest block was dropped to keep at most {@link #MAX_BLOCKS}
     */
    boolean add(int seq, MemorySegment payload, long off, int len) {
        if (len <= 0) {
            return false;
        }
        int start = seq;
        int end = Seq.add(seq, len);
        int first = 0;
        while (first < blocks.size() && Seq.lt(blocks.get(first).end(), start)) {
            first++;
        }
        int last = first;
        while (last < blocks.size() && Seq.le(blocks.get(last).seq, end)) {
            last++;
        }
        if (first < last) {
            start = Seq.lt(blocks.get(first).seq, start) ? blocks.get(first).seq : start;
            end = Seq.gt(blocks.get(last - 1).end(), end) ? blocks.get(last - 1).end() : end;
        }
        byte[] merged = new byte[Seq.diff(end, start)];
        MemorySegment.copy(payload, ValueLayout.JAVA_BYTE, off, merged, Seq.diff(seq, start), len);
        for (Block b : blocks.subList(first, last)) {
            System.arraycopy(b.data, 0, merged, Seq.diff(b.seq, start), b.data.length);
        }
        blocks.subList(first, last).clear();
        blocks.add(first, new Block(start, merged));
        if (blocks.size() > MAX_BLOCKS) {
            blocks.removeLast(); // Linux: tcp_prune_ofo_queue() drops from the highest sequence
            return true;
        }
        return false;
    }

    /** Drops the block with the highest sequence numbers (Linux tcp_prune_ofo_queue()). */
    void dropLast() {
        blocks.removeLast();
    }

    /**
     * Removes and returns the block that now starts at or before {@code rcvNxt}, trimmed to start
     * there; null when the first block still lies beyond a gap.
     */
    Block takeAt(int rcvNxt) {
        while (!blocks.isEmpty() && Seq.le(blocks.getFirst().seq, rcvNxt)) {
            Block b = blocks.removeFirst();
            int skip = Seq.diff(rcvNxt, b.seq);
            if (skip < b.data.length) {
                byte[] rest = new byte[b.data.length - skip];
                System.arraycopy(b.data, skip, rest, 0, rest.length);
                return new Block(rcvNxt, rest);
            }
        }
        return null;
    }

    /** Puts back the part of a taken block the receive buffer could not hold. */
    void putBack(Block b) {
        blocks.addFirst(b);
    }
}
