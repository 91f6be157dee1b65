package io.tcpsim.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * PRR (RFC 6937 §3) as Linux's tcp_cwnd_reduction(), on the two examples of RFC 6937 §3.1: a
 * window of 20 segments, ssthresh 10, every ACK delivering one segment. Each ACK gives the pipe
 * after it (before sending); what cwnd then allows is sent, and pipe grows by it.
 */
class PrrTest {
    private static final int MSS = 1000;
    private static final int SSTHRESH = 10 * MSS;

    private final Prr prr = new Prr();
    private int pipe;
    private int cwnd = 20 * MSS;

    /** One ACK delivering one segment; returns the segments sent on it. */
    private int ack(boolean safe) {
        cwnd = prr.cwnd(cwnd, SSTHRESH, pipe, MSS, safe, MSS);
        int sent = Math.max(0, cwnd - pipe) / MSS;
        pipe += sent * MSS;
        prr.onSent(sent * MSS);
        return sent;
    }

    private List<Integer> acks(int n, int firstPipe, boolean safe) {
        pipe = firstPipe * MSS;
        List<Integer> sent = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (i > 0) {
                pipe -= MSS; // the next ACK delivers one more segment
            }
            sent.add(ack(safe));
        }
        return sent;
    }

    @Test
    void oneLossSendsOneSegmentForEveryTwoDeliveredUntilPipeReachesSsthresh() {
        prr.start(20 * MSS);
        // RFC 6937 §3.1, one loss: ACKs 3-19 of the table; pipe 18 when recovery starts (22 sent,
        // 3 SACKed, 1 lost). Proportional part: sndcnt = CEIL(prr_delivered * 10 / 20) - prr_out.
        // The RFC's table sends its last two segments on ACKs 18 and 19 instead of 17 (its pipe
        // row runs one segment lower); the pattern and the final pipe, ssthresh, are the same.
        List<Integer> sent = acks(17, 18, false);
        assertEquals(List.of(1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 0), sent);
        assertEquals(SSTHRESH, pipe); // the table's last pipe: exactly ssthresh at the end of the round
        assertEquals(8, sent.stream().mapToInt(Integer::intValue).sum());
    }

    @Test
    void burstLossSendsWhatWasDeliveredConservativelyOnDuplicateAcks() {
        prr.start(20 * MSS);
        // RFC 6937 §3.1, segments 0-14 lost: recovery on ACK 17 with pipe 4, far below ssthresh.
        // PRR-CRB row: one segment per ACK, pipe 4 4 4. Linux uses this bound on ACKs that do not
        // advance SND.UNA.
        assertEquals(List.of(1, 1, 1), acks(3, 4, false));
    }

    @Test
    void burstLossSlowStartsTowardsSsthreshOnAcksThatAdvanceSndUnaWithoutNewLoss() {
        prr.start(20 * MSS);
        // RFC 6937 §3.1 PRR-SSRB row: two segments per ACK, pipe 4 5 6; Linux (as RFC 9937) adds
        // the extra segment only for an ACK that advances SND.UNA and marks nothing newly lost.
        assertEquals(List.of(2, 2, 2), acks(3, 4, true));
    }

    @Test
    void theFirstAckOfARecoveryAlwaysLetsTheFastRetransmissionOut() {
        prr.start(20 * MSS);
        // pipe already at ssthresh: ssthresh - pipe allows nothing, but Linux forces one segment
        // while prr_out is 0 (tcp_cwnd_reduction()); after it, nothing more.
        assertEquals(List.of(1, 0), acks(2, 10, false));
    }

    @Test
    void nothingDeliveredLeavesCwndAlone() {
        prr.start(20 * MSS);
        assertEquals(12345, prr.cwnd(12345, SSTHRESH, 15 * MSS, 0, true, MSS));
    }

    @Test
    void aPartialDeliveryReleasesWholeSegments() {
        prr.start(20 * MSS);
        // 300 bytes delivered with pipe below ssthresh: DeliveredData rounds up to one segment.
        assertEquals(5 * MSS + MSS, prr.cwnd(8 * MSS, SSTHRESH, 5 * MSS, 300, false, MSS));
    }
}
