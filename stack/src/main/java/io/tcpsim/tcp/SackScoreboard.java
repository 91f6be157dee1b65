package io.tcpsim.tcp;

import io.tcpsim.wire.Seq;
import java.util.Arrays;

/**
 * The sender's SACK scoreboard (RFC 6675 §3): the bytes above SND.UNA the peer selectively
 * acknowledged, as sorted, disjoint, non-adjacent ranges, and the recovery pointers of RFC 6675
 * §2 (HighRxt, RescueRxt) with the routines of §4 (IsLost, SetPipe) the sender asks it. At most
 * {@link #MAX_RANGES} ranges are kept; past that the highest is forgotten, which only means that
 * its data may be sent again.
 */
final class SackScoreboard {
    /** Ranges kept at most, so that a peer SACKing every other byte costs bounded memory and time. */
    static final int MAX_RANGES = 256;
    /** RFC 6675 §2 DupThresh (Linux tcp_reordering, 3). */
    static final int DUP_THRESH = 3;

    private int[] lefts = new int[8];
    private int[] rights = new int[8];
    private int count;

    /** RFC 6675 HighRxt, as the sequence number after the highest byte sent again in this recovery. */
    int highRxt;
    /** RFC 6675 RescueRxt, and whether it is defined (rule 4 of NextSeg was used). */
    int rescueRxt;
    boolean rescueUsed;
    /**
     * After an RTO, until SND.UNA passes the recovery point (Linux TCP_CA_Loss): everything not
     * SACKed counts as lost and is sent again from RTX.NXT on.
     */
    boolean afterRto;

    /** Forgets every SACKed range (reneging). */
    void clear() {
        count = 0;
    }

    /** RFC 6675 §5 (4.3): a recovery starts at {@code una}; RescueRxt undefined. */
    void startRecovery(int una) {
        highRxt = una;
        rescueUsed = false;
    }

    /**
     * Marks {@code [left, right)} SACKed (RFC 6675 §4 Update()).
     *
     * @return bytes that were not SACKed before
     */
    int add(int left, int right) {
        int first = 0;
        while (first < count && Seq.lt(rights[first], left)) {
            first++;
        }
        int last = first;
        int already = 0;
        while (last < count && Seq.le(lefts[last], right)) {
            already += overlap(lefts[last], rights[last], left, right);
            last++;
        }
        int newly = Seq.diff(right, left) - already;
        if (first < last) {
            left = Seq.lt(lefts[first], left) ? lefts[first] : left;
            right = Seq.gt(rights[last - 1], right) ? rights[last - 1] : right;
        }
        replace(first, last, left, right);
        if (count > MAX_RANGES) {
            count = MAX_RANGES;
        }
        return newly;
    }

    /** The cumulative ACK reached {@code una}: ranges below it are gone, one across it is cut. */
    void discardBelow(int una) {
        int drop = 0;
        while (drop < count && Seq.le(rights[drop], una)) {
            drop++;
        }
        if (drop > 0) {
            System.arraycopy(lefts, drop, lefts, 0, count - drop);
            System.arraycopy(rights, drop, rights, 0, count - drop);
            count -= drop;
        }
        if (count > 0 && Seq.lt(lefts[0], una)) {
            lefts[0] = una;
        }
    }

    /** Whether byte {@code seq} is SACKed. */
    boolean isSacked(int seq) {
        for (int i = 0; i < count && Seq.le(lefts[i], seq); i++) {
            if (Seq.lt(seq, rights[i])) {
                return true;
            }
        }
        return false;
    }

    /** {@code seq}, or the end of the SACKed range holding it: the first byte from there not SACKed. */
    int skipSacked(int seq) {
        for (int i = 0; i < count && Seq.le(lefts[i], seq); i++) {
            if (Seq.lt(seq, rights[i])) {
                return rights[i];
            }
        }
        return seq;
    }

    /** Where the run of unSACKed bytes starting at {@code seq} ends: the next range's start, at most {@code limit}. */
    int holeEnd(int seq, int limit) {
        for (int i = 0; i < count; i++) {
            if (Seq.gt(lefts[i], seq)) {
                return Seq.lt(lefts[i], limit) ? lefts[i] : limit;
            }
        }
        return limit;
    }

    /** The sequence number after the highest SACKed byte (RFC 6675 rule 1.b); {@code una} when none. */
    int highestSacked(int una) {
        return count == 0 ? una : rights[count - 1];
    }

    /** Where the last run of unSACKed bytes below {@code nxt} ends: {@code nxt} or the left edge of the top range. */
    int lastHoleEnd(int nxt) {
        return count > 0 && rights[count - 1] == nxt ? lefts[count - 1] : nxt;
    }

    /** The start of the run of unSACKed bytes that ends at {@code end}, not below {@code una}. */
    int holeStart(int end, int una) {
        for (int i = count - 1; i >= 0; i--) {
            if (Seq.lt(rights[i], end)) {
                return Seq.gt(rights[i], una) ? rights[i] : una;
            }
        }
        return una;
    }

    /**
     * RFC 6675 §4 IsLost() as a boundary: an unSACKed byte below the result is lost, one at or
     * above it is not. IsLost(S) holds when DupThresh discontiguous SACKed ranges lie above S or
     * more than (DupThresh - 1) * SMSS SACKed bytes do; the ranges are walked from the top.
     */
    int lostBelow(int una, int smss) {
        long bytes = 0;
        for (int i = count - 1; i >= 0; i--) {
            bytes += Seq.diff(rights[i], lefts[i]);
            if (count - i >= DUP_THRESH || bytes > (long) (DUP_THRESH - 1) * smss) {
                return lefts[i];
            }
        }
        return una;
    }

    /** RFC 6675 §4 IsLost(seq). */
    boolean isLost(int seq, int una, int smss) {
        return Seq.lt(seq, lostBelow(una, smss));
    }

    /** Bytes in {@code [from, to)} not SACKed (0 when {@code to} is not above {@code from}). */
    int unsacked(int from, int to) {
        if (!Seq.lt(from, to)) {
            return 0;
        }
        int n = Seq.diff(to, from);
        for (int i = 0; i < count && Seq.lt(lefts[i], to); i++) {
            n -= overlap(lefts[i], rights[i], from, to);
        }
        return n;
    }

    /**
     * RFC 6675 §4 SetPipe(): every unSACKed byte of SND.UNA..SND.NXT counts once when IsLost()
     * is false and once more when it was sent again in this recovery (below HighRxt). After an RTO
     * (Linux tcp_packets_in_flight() in TCP_CA_Loss) every unSACKed byte counts as lost until it
     * is sent again: only those below RTX.NXT are in the network.
     */
    int pipe(Tcb tcb) {
        if (afterRto) {
            return unsacked(tcb.sndUna, tcb.rtxNxt);
        }
        int lostBelow = lostBelow(tcb.sndUna, tcb.effectiveMss());
        int pipe = unsacked(lostBelow, tcb.sndNxt);
        if (tcb.inRecovery) {
            pipe += unsacked(tcb.sndUna, Seq.lt(highRxt, tcb.sndNxt) ? highRxt : tcb.sndNxt);
        }
        return pipe;
    }

    private static int overlap(int left, int right, int from, int to) {
        int l = Seq.gt(left, from) ? left : from;
        int r = Seq.lt(right, to) ? right : to;
        return Seq.lt(l, r) ? Seq.diff(r, l) : 0;
    }

    /** Ranges [first, last) become the one range {@code [left, right)}. */
    private void replace(int first, int last, int left, int right) {
        int newCount = count - (last - first) + 1;
        if (newCount > lefts.length) {
            lefts = Arrays.copyOf(lefts, lefts.length * 2);
            rights = Arrays.copyOf(rights, rights.length * 2);
        }
        System.arraycopy(lefts, last, lefts, first + 1, count - last);
        System.arraycopy(rights, last, rights, first + 1, count - last);
        lefts[first] = left;
        rights[first] = right;
        count = newCount;
    }
}
