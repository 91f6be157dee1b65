package io.tcpsim.tcp;

import io.tcpsim.wire.Seq;
import java.util.Arrays;

/**
 * The sender's scoreboard (RFC 6675 §3) kept per segment sent, as Linux keeps it on its
 * retransmission queue (the {@code sacked} bits and {@code tx.mstamp} of each skb): for every
 * segment between SND.UNA and SND.NXT its sequence range, when it was last sent (RFC 8985 §6.1
 * Segment.xmit_ts), how much had been delivered then (Linux {@code tx.delivered}), and its marks:
 * {@link #SACKED}, {@link #LOST}, {@link #RETRANS} (sent again and not since known lost again),
 * {@link #EVER_RETRANS}. The byte counts of the marked segments give the data in flight (Linux
 * tcp_packets_in_flight(), RFC 6675 §4 SetPipe() with RACK's notion of lost). A SACK block marks
 * only the segments it covers whole (Linux tcp_match_skb_to_sack(): a block covering part of a
 * one-segment skb marks nothing), so segments are split only when they are sent again in smaller
 * pieces.
 */
final class SackScoreboard {
    /** Linux TCPCB_SACKED_ACKED: the peer SACKed the whole segment. */
    static final int SACKED = 1;
    /** Linux TCPCB_LOST: RACK or an RTO judged the segment lost. */
    static final int LOST = 2;
    /** Linux TCPCB_SACKED_RETRANS: sent again, and that retransmission is taken to be in flight. */
    static final int RETRANS = 4;
    /** Linux TCPCB_EVER_RETRANS: sent more than once, so its delivery is ambiguous (Karn). */
    static final int EVER_RETRANS = 8;

    /** What the scoreboard reports for every segment newly delivered (SACKed, or acknowledged unSACKed). */
    interface Delivery {
        void delivered(int start, int end, int marks, long sentAt, long deliveredAt);
    }

    /** Segments the arrays first take, when the first data goes out: small, for the many connections that send little. */
    private static final int FIRST_CAPACITY = 4;

    private int[] starts = new int[0];
    private int[] ends = new int[0];
    private long[] sentAts = new long[0];
    private long[] deliveredAts = new long[0];
    private byte[] marks = new byte[0];
    /** The segments are at physical indexes [first, first + count). */
    private int first;
    private int count;

    private int outBytes;
    private int sackedBytes;
    private int lostBytes;
    private int retransBytes;
    private int sackedSegments;
    /** The end of the highest SACKed segment (Linux tcp_highest_sack_seq()), while any is SACKed. */
    private int highestSacked;
    /** Linux tp->delivered and tp->lost, in bytes: every byte ever delivered, ever marked lost. */
    private long delivered;
    private long lost;

    /**
     * After an RTO, until SND.UNA passes the recovery point (Linux TCP_CA_Loss): everything not
     * SACKed was marked lost and is sent again in order as the window allows.
     */
    boolean afterRto;

    int size() {
        return count;
    }

    int start(int i) {
        return starts[first + i];
    }

    int end(int i) {
        return ends[first + i];
    }

    long sentAt(int i) {
        return sentAts[first + i];
    }

    boolean is(int i, int mark) {
        return (marks[first + i] & mark) != 0;
    }

    int marks(int i) {
        return marks[first + i];
    }

    /**
     * Bytes in flight (RFC 6675 §4 pipe; Linux tcp_packets_in_flight() = packets_out - sacked_out
     * - lost_out + retrans_out, here in bytes): what is neither SACKed nor lost, plus the
     * retransmissions not known lost.
     */
    int pipe() {
        return outBytes - sackedBytes - lostBytes + retransBytes;
    }

    int sackedBytes() {
        return sackedBytes;
    }

    int lostBytes() {
        return lostBytes;
    }

    int retransBytes() {
        return retransBytes;
    }

    /** Linux sacked_out: segments SACKed. */
    int sackedSegments() {
        return sackedSegments;
    }

    long delivered() {
        return delivered;
    }

    long lost() {
        return lost;
    }

    /** The end of the highest SACKed segment (Linux tcp_highest_sack_seq()); {@code una} when none is SACKed. */
    int highestSacked(int una) {
        return sackedSegments > 0 ? highestSacked : una;
    }

    /** Whether the segment at SND.UNA is SACKed: the peer reneged (Linux FLAG_SACK_RENEGING). */
    boolean headSacked() {
        return count > 0 && is(0, SACKED);
    }

    /** When the segment at SND.UNA was last sent; {@code fallback} when nothing is outstanding. */
    long headSentAt(long fallback) {
        return count > 0 ? sentAt(0) : fallback;
    }

    /** New data {@code [seq, end)} went out at {@code now}; it follows the last segment. */
    void appended(int seq, int end, long now) {
        if (first + count == starts.length) {
            makeRoom();
        }
        int p = first + count;
        starts[p] = seq;
        ends[p] = end;
        sentAts[p] = now;
        deliveredAts[p] = delivered;
        marks[p] = 0;
        count++;
        outBytes += Seq.diff(end, seq);
    }

    /**
     * {@code [seq, end)} was sent again at {@code now} (Linux __tcp_retransmit_skb()): each segment
     * in it counts as a retransmission in flight, ever retransmitted, with a new transmit time.
     */
    void retransmitted(int seq, int end, long now) {
        splitAt(seq);
        splitAt(end);
        for (int i = indexOf(seq); i >= 0 && i < count && Seq.lt(start(i), end); i++) {
            int p = first + i;
            if ((marks[p] & RETRANS) == 0) {
                retransBytes += Seq.diff(ends[p], starts[p]);
            }
            marks[p] |= RETRANS | EVER_RETRANS;
            sentAts[p] = now;
            deliveredAts[p] = delivered;
        }
    }

    /**
     * Marks SACKed every segment {@code [left, right)} covers whole (RFC 6675 §4 Update(); Linux
     * tcp_sacktag_one()): a lost or retransmitted segment no longer counts as such, and each newly
     * SACKed segment is reported to {@code d}.
     *
     * @return bytes newly SACKed
     */
    int sack(int left, int right, Delivery d) {
        int newly = 0;
        for (int i = Math.max(indexOf(left), 0); i < count && Seq.le(end(i), right); i++) {
            int p = first + i;
            if ((marks[p] & SACKED) != 0 || Seq.lt(starts[p], left)) {
                continue;
            }
            int len = Seq.diff(ends[p], starts[p]);
            d.delivered(starts[p], ends[p], marks[p], sentAts[p], deliveredAts[p]);
            unmark(p, LOST | RETRANS);
            marks[p] |= SACKED;
            sackedBytes += len;
            sackedSegments++;
            delivered += len;
            newly += len;
            if (sackedSegments == 1 || Seq.gt(ends[p], highestSacked)) {
                highestSacked = ends[p];
            }
        }
        return newly;
    }

    /**
     * The cumulative ACK reached {@code una} (Linux tcp_clean_rtx_queue()): the segments below it
     * leave the scoreboard, those not SACKed before reported to {@code d} as delivered; a segment
     * across it is cut, its acknowledged bytes delivered.
     */
    void acknowledge(int una, Delivery d) {
        while (count > 0 && Seq.le(end(0), una)) {
            int p = first;
            int len = Seq.diff(ends[p], starts[p]);
            if ((marks[p] & SACKED) != 0) {
                sackedBytes -= len;
                sackedSegments--;
            } else {
                d.delivered(starts[p], ends[p], marks[p], sentAts[p], deliveredAts[p]);
                delivered += len;
            }
            unmark(p, LOST | RETRANS);
            outBytes -= len;
            first++;
            count--;
        }
        if (count > 0 && Seq.lt(start(0), una)) {
            trimHead(una);
        }
        if (count == 0) {
            first = 0;
        }
    }

    /**
     * Linux tcp_mark_skb_lost(): an unSACKed segment becomes lost; one already lost whose
     * retransmission was in flight keeps the mark and its retransmission counts as lost too.
     *
     * @return whether a retransmission was found lost (Linux TcpExtTCPLostRetransmit)
     */
    boolean markLost(int i) {
        int p = first + i;
        if ((marks[p] & SACKED) != 0) {
            return false;
        } else if ((marks[p] & LOST) != 0) {
            boolean retransLost = (marks[p] & RETRANS) != 0;
            unmark(p, RETRANS);
            return retransLost;
        }
        int len = Seq.diff(ends[p], starts[p]);
        marks[p] |= LOST;
        lostBytes += len;
        lost += len;
        return false;
    }

    /** The first segment at index {@code from} or above that is lost and not yet sent again; -1 if none. */
    int nextToResend(int from) {
        for (int i = from; i < count; i++) {
            if ((marks[first + i] & (LOST | RETRANS | SACKED)) == LOST) {
                return i;
            }
        }
        return -1;
    }

    /** Forgets every SACK (reneging): the segments count as in flight again unless lost. */
    void clearSacks() {
        for (int i = 0; i < count; i++) {
            marks[first + i] &= ~SACKED;
        }
        sackedBytes = 0;
        sackedSegments = 0;
    }

    /** Makes {@code seq} a segment boundary, splitting the segment across it into two with the same marks. */
    void splitAt(int seq) {
        int i = indexOf(seq);
        if (i < 0 || start(i) == seq) {
            return;
        }
        if (first + count == starts.length) {
            makeRoom();
        }
        int p = first + i;
        int tail = count - i - 1;
        System.arraycopy(starts, p + 1, starts, p + 2, tail);
        System.arraycopy(ends, p + 1, ends, p + 2, tail);
        System.arraycopy(sentAts, p + 1, sentAts, p + 2, tail);
        System.arraycopy(deliveredAts, p + 1, deliveredAts, p + 2, tail);
        System.arraycopy(marks, p + 1, marks, p + 2, tail);
        starts[p + 1] = seq;
        ends[p + 1] = ends[p];
        sentAts[p + 1] = sentAts[p];
        deliveredAts[p + 1] = deliveredAts[p];
        marks[p + 1] = marks[p];
        ends[p] = seq;
        count++;
        if ((marks[p] & SACKED) != 0) {
            sackedSegments++;
        }
    }

    /** The index of the segment holding {@code seq}; -1 when no segment does. */
    int indexOf(int seq) {
        int lo = 0;
        int hi = count - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (Seq.lt(seq, start(mid))) {
                hi = mid - 1;
            } else if (Seq.ge(seq, end(mid))) {
                lo = mid + 1;
            } else {
                return mid;
            }
        }
        return -1;
    }

    /** Takes the lost and retransmitted marks off segment {@code p}, with their byte counts. */
    private void unmark(int p, int which) {
        int len = Seq.diff(ends[p], starts[p]);
        if ((marks[p] & which & LOST) != 0) {
            lostBytes -= len;
        }
        if ((marks[p] & which & RETRANS) != 0) {
            retransBytes -= len;
        }
        marks[p] &= ~which;
    }

    /** The head segment loses its bytes below {@code una}, which count as delivered unless SACKed. */
    private void trimHead(int una) {
        int p = first;
        int cut = Seq.diff(una, starts[p]);
        outBytes -= cut;
        if ((marks[p] & SACKED) != 0) {
            sackedBytes -= cut;
        } else {
            delivered += cut;
        }
        if ((marks[p] & LOST) != 0) {
            lostBytes -= cut;
        }
        if ((marks[p] & RETRANS) != 0) {
            retransBytes -= cut;
        }
        starts[p] = una;
    }

    /** Moves the segments to the front of the arrays, growing them when they are more than half full. */
    private void makeRoom() {
        if (count * 2 > starts.length || starts.length == 0) {
            int size = Math.max(FIRST_CAPACITY, starts.length * 2);
            starts = grow(starts, size);
            ends = grow(ends, size);
            sentAts = grow(sentAts, size);
            deliveredAts = grow(deliveredAts, size);
            marks = grow(marks, size);
        }
        System.arraycopy(starts, first, starts, 0, count);
        System.arraycopy(ends, first, ends, 0, count);
        System.arraycopy(sentAts, first, sentAts, 0, count);
        System.arraycopy(deliveredAts, first, deliveredAts, 0, count);
        System.arraycopy(marks, first, marks, 0, count);
        first = 0;
    }

    private static int[] grow(int[] a, int size) {
        return Arrays.copyOf(a, size);
    }

    private static long[] grow(long[] a, int size) {
        return Arrays.copyOf(a, size);
    }

    private static byte[] grow(byte[] a, int size) {
        return Arrays.copyOf(a, size);
    }
}
