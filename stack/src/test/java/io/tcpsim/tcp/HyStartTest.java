package io.tcpsim.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcpsim.wire.Seq;
import io.tcpsim.wire.TcpRepr;
import org.junit.jupiter.api.Test;

/** Hybrid slow start as Linux's CUBIC: ACK-train and delay detection end slow start early. */
class HyStartTest {
    private static final int MSS = 1460;
    private static final long MS = 1_000_000L;

    private static Tcb tcb(int cwndSegments) {
        Tcb t = new Tcb(new FourTuple(1, 2, 3, 4), TcpConfig.linuxDefaults(1500), SocketOptions.DEFAULT, 0, 0,
                TcpRepr.reusable());
        t.sndMss = MSS;
        t.cwnd = cwndSegments * MSS;
        t.sndNxt = Seq.add(t.sndUna, 1000 * MSS);
        return t;
    }

    @Test
    void anAckTrainLongerThanHalfTheMinimumRttEndsSlowStart() {
        Tcb t = tcb(20);
        HyStart h = new HyStart();
        // RTT 20 ms; ACKs 1 ms apart (a train): after more than 10 ms of train, slow start ends.
        long now = 0;
        for (int i = 0; i <= 10; i++, now += MS) {
            h.onAck(t, 20 * MS, now);
            assertEquals(Integer.MAX_VALUE, t.ssthresh, "still in slow start after " + i + " ms");
        }
        h.onAck(t, 20 * MS, now);
        assertEquals(t.cwnd, t.ssthresh);
    }

    @Test
    void spacedAcksAreNoTrain() {
        Tcb t = tcb(20);
        HyStart h = new HyStart();
        for (long now = 0; now < 100 * MS; now += 3 * MS) {
            h.onAck(t, 20 * MS, now);
        }
        assertEquals(Integer.MAX_VALUE, t.ssthresh);
    }

    @Test
    void aRoundWhoseSmallestRttGrewByAnEighthEndsSlowStart() {
        Tcb t = tcb(20);
        HyStart h = new HyStart();
        h.onAck(t, 40 * MS, 0); // delay_min 40 ms; threshold 40 + max(5, 4) = 45 ms
        t.sndUna = Seq.add(t.sndNxt, 1); // the next ACK starts a new round
        t.sndNxt = Seq.add(t.sndUna, 1000 * MSS);
        long now = 10 * MS;
        for (int i = 0; i < HyStart.MIN_SAMPLES; i++, now += 3 * MS) {
            h.onAck(t, 46 * MS, now);
        }
        assertEquals(Integer.MAX_VALUE, t.ssthresh, "eight samples are only collected");
        h.onAck(t, 46 * MS, now);
        assertEquals(t.cwnd, t.ssthresh);
    }

    @Test
    void belowSixteenSegmentsNothingIsDetected() {
        Tcb t = tcb(HyStart.LOW_WINDOW - 1);
        HyStart h = new HyStart();
        for (long now = 0; now < 50 * MS; now += MS) {
            h.onAck(t, 20 * MS, now);
        }
        assertEquals(Integer.MAX_VALUE, t.ssthresh);
    }

    @Test
    void cubicUsesItAndRenoDoesNot() {
        for (String cc : new String[] {"cubic", "reno"}) {
            Tcb t = tcb(20);
            t.cc = CongestionControl.named(cc);
            for (long now = 0; now < 30 * MS; now += MS) {
                t.rtt.sample(20 * MS);
                t.cc.onAck(t, 2 * MSS, now);
            }
            assertTrue(cc.equals("cubic") == (t.ssthresh != Integer.MAX_VALUE), cc + " ssthresh " + t.ssthresh);
        }
    }
}
