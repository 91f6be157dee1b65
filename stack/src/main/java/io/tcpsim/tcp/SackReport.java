package io.tcpsim.tcp;

import io.tcpsim.wire.Seq;
import io.tcpsim.wire.TcpOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The SACK blocks a receiver reports (RFC 2018 §4) and the pending D-SACK block (RFC 2883 §4),
 * kept as Linux keeps them (tp->selective_acks, tp->duplicate_sack): the block holding the most
 * recently received out-of-order segment first, then the other blocks most recently reported
 * first, at most {@link #MAX_BLOCKS}; a D-SACK block goes first, on the next segment only.
 */
final class SackReport {
    /** Linux TCP_NUM_SACKS: blocks remembered (RFC 2018 §4 "as many distinct blocks as possible"). */
    static final int MAX_BLOCKS = 4;
    /** The option's bytes besides its blocks, aligned: nop, nop, kind, length (RFC 2018 §3). */
    static final int ALIGNED_BASE = 4;
    static final int BLOCK_LENGTH = 8;

    private final int[] lefts = new int[MAX_BLOCKS];
    private final int[] rights = new int[MAX_BLOCKS];
    private int count;
    private boolean duplicatePending;
    private int duplicateLeft;
    private int duplicateRight;

    /** Blocks the next segment would carry, the D-SACK block included. */
    int pending() {
        return count + (duplicatePending ? 1 : 0);
    }

    /**
     * RFC 2018 §4: {@code [left, right)} was queued out of order. Linux tcp_sack_new_ofo_skb():
     * the block it extends moves to the front and swallows the blocks it now touches; otherwise a
     * new block goes first and, with {@link #MAX_BLOCKS} already, the oldest is forgotten.
     */
    void onOutOfOrder(int left, int right) {
        for (int i = 0; i < count; i++) {
            if (extend(i, left, right)) {
                moveToFront(i);
                coalesceFirst();
                return;
            }
        }
        count = Math.min(count, MAX_BLOCKS - 1);
        System.arraycopy(lefts, 0, lefts, 1, count);
        System.arraycopy(rights, 0, rights, 1, count);
        lefts[0] = left;
        rights[0] = right;
        count++;
    }

    /**
     * RCV.NXT moved (Linux tcp_sack_remove()): every block it reached is gone, and all of them
     * once nothing is held out of order (RFC 2018 §4: blocks report only data held beyond RCV.NXT).
     */
    void onRcvNxt(int rcvNxt, boolean nothingHeld) {
        if (nothingHeld) {
            count = 0;
            return;
        }
        int kept = 0;
        for (int i = 0; i < count; i++) {
            if (Seq.lt(rcvNxt, lefts[i])) {
                lefts[kept] = lefts[i];
                rights[kept] = rights[i];
                kept++;
            }
        }
        count = kept;
    }

    /** Forgets every block (Linux tcp_sack_reset() when the out-of-order queue is pruned). */
    void reset() {
        count = 0;
        duplicatePending = false;
    }

    /** RFC 2883 §4 (Linux tcp_dsack_set()): {@code [left, right)} arrived twice; reported once, first. */
    void setDuplicate(int left, int right) {
        duplicatePending = true;
        duplicateLeft = left;
        duplicateRight = right;
    }

    /**
     * Linux tcp_dsack_extend(): a further duplicate range of the same segment joins the pending
     * D-SACK block when it touches it; a separate one is left out (RFC 2883 §4 point 3: only the
     * first duplicate range is reported).
     *
     * @return false when no D-SACK block was pending, so the caller sets one
     */
    boolean extendDuplicate(int left, int right) {
        if (!duplicatePending) {
            return false;
        }
        if (!Seq.gt(left, duplicateRight) && !Seq.gt(duplicateLeft, right)) {
            duplicateLeft = Seq.lt(left, duplicateLeft) ? left : duplicateLeft;
            duplicateRight = Seq.gt(right, duplicateRight) ? right : duplicateRight;
        }
        return true;
    }

    /**
     * The option for the next segment with at most {@code room} blocks (Linux
     * tcp_established_options() fits them in the 40 option bytes; tcp_options_write() sends the
     * D-SACK block once); null when there is nothing to report.
     */
    TcpOption.Sack take(int room) {
        int n = Math.min(pending(), room);
        if (n <= 0) {
            return null;
        }
        List<TcpOption.SackBlock> blocks = new ArrayList<>(n);
        if (duplicatePending) {
            blocks.add(new TcpOption.SackBlock(duplicateLeft, duplicateRight));
            duplicatePending = false;
        }
        for (int i = 0; blocks.size() < n; i++) {
            blocks.add(new TcpOption.SackBlock(lefts[i], rights[i]));
        }
        return new TcpOption.Sack(blocks);
    }

    /** Blocks the 40 option bytes hold beside {@code otherOptions} bytes: 4, or 3 with timestamps. */
    static int room(int otherOptions) {
        return (TcpOption.MAX_OPTIONS_LENGTH - otherOptions - ALIGNED_BASE) / BLOCK_LENGTH;
    }

    /** Linux tcp_sack_extend(): block i grows to cover {@code [left, right)} if they overlap or touch. */
    private boolean extend(int i, int left, int right) {
        if (Seq.gt(left, rights[i]) || Seq.gt(lefts[i], right)) {
            return false;
        }
        lefts[i] = Seq.lt(left, lefts[i]) ? left : lefts[i];
        rights[i] = Seq.gt(right, rights[i]) ? right : rights[i];
        return true;
    }

    private void moveToFront(int i) {
        int left = lefts[i];
        int right = rights[i];
        System.arraycopy(lefts, 0, lefts, 1, i);
        System.arraycopy(rights, 0, rights, 1, i);
        lefts[0] = left;
        rights[0] = right;
    }

    /** Linux tcp_sack_maybe_coalesce(): the first block absorbs the others it now overlaps or touches. */
    private void coalesceFirst() {
        int kept = 1;
        for (int i = 1; i < count; i++) {
            if (!extend(0, lefts[i], rights[i])) {
                lefts[kept] = lefts[i];
                rights[kept] = rights[i];
                kept++;
            }
        }
        count = kept;
    }
}
