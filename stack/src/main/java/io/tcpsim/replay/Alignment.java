package io.tcpsim.replay;

import java.util.Arrays;
import java.util.List;

/**
 * Pairs the captured side's segments with tcpsim's, both in the order they were sent: the
 * pairing that keeps both orders and maximises the summed similarity (Needleman-Wunsch with free
 * gaps). Only segments of the same sort pair (SYN with SYN, data with data or a FIN, ...); among
 * those, equal relative seq, ack, length and flags count most, closeness in time breaks ties.
 */
final class Alignment {
    /** Above this many cells the quadratic table gives way to a greedy pass. */
    private static final long MAX_CELLS = 4_000_000L;
    private static final double TIE_NANOS = 10_000_000.0;
    private static final int GREEDY_LOOKAHEAD = 64;

    private Alignment() {
    }

    /** For each captured segment, the index of tcpsim's segment paired with it, or -1. */
    static int[] align(List<SegView> captured, List<SegView> tcpsim) {
        int n = captured.size();
        int m = tcpsim.size();
        if ((long) (n + 1) * (m + 1) > MAX_CELLS) {
            return greedy(captured, tcpsim);
        }
        double[][] best = new double[n + 1][m + 1];
        for (int i = 1; i <= n; i++) {
            for (int j = 1; j <= m; j++) {
                double pair = score(captured.get(i - 1), tcpsim.get(j - 1));
                double diagonal = pair < 0 ? Double.NEGATIVE_INFINITY : best[i - 1][j - 1] + pair;
                best[i][j] = Math.max(diagonal, Math.max(best[i - 1][j], best[i][j - 1]));
            }
        }
        int[] pairs = new int[n];
        Arrays.fill(pairs, -1);
        for (int i = n, j = m; i > 0 && j > 0; ) {
            double pair = score(captured.get(i - 1), tcpsim.get(j - 1));
            if (pair >= 0 && best[i][j] == best[i - 1][j - 1] + pair) {
                pairs[i - 1] = j - 1;
                i--;
                j--;
            } else if (best[i][j] == best[i - 1][j]) {
                i--;
            } else {
                j--;
            }
        }
        return pairs;
    }

    /** How alike two segments are; negative when they must not be paired. */
    static double score(SegView c, SegView t) {
        SegView.Kind a = c.kind();
        SegView.Kind b = t.kind();
        boolean dataOrFin = (a == SegView.Kind.DATA || a == SegView.Kind.FIN)
                && (b == SegView.Kind.DATA || b == SegView.Kind.FIN);
        if (a != b && !dataOrFin) {
            return -1;
        }
        double s = a == b ? 100 : 60;
        s += c.relSeq() == t.relSeq() ? 50 : 0;
        s += c.relAck() == t.relAck() ? 30 : 0;
        s += c.payloadLength() == t.payloadLength() ? 20 : 0;
        s += c.flags() == t.flags() ? 10 : 0;
        return s + 10.0 / (1 + Math.abs(c.relNanos() - t.relNanos()) / TIE_NANOS);
    }

    private static int[] greedy(List<SegView> captured, List<SegView> tcpsim) {
        int[] pairs = new int[captured.size()];
        Arrays.fill(pairs, -1);
        int next = 0;
        for (int i = 0; i < captured.size(); i++) {
            int bestJ = -1;
            double bestScore = -1;
            for (int j = next; j < Math.min(tcpsim.size(), next + GREEDY_LOOKAHEAD); j++) {
                double s = score(captured.get(i), tcpsim.get(j));
                if (s > bestScore) {
                    bestScore = s;
                    bestJ = j;
                }
            }
            if (bestJ >= 0) {
                pairs[i] = bestJ;
                next = bestJ + 1;
            }
        }
        return pairs;
    }
}
