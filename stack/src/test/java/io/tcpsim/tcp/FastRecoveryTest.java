package io.tcpsim.tcp;

import static io.tcpsim.tcp.Seg.seg;
import static io.tcpsim.tcp.TcbHarness.P;
import static io.tcpsim.tcp.TcbHarness.WIN;
import static io.tcpsim.tcp.TcbHarness.secs;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Fast retransmit (RFC 5681 §3.2) and NewReno fast recovery (RFC 6582 §3.2), with Reno. */
class FastRecoveryTest {
    private static final String MSS = "f".repeat(1460);
    private final TcbHarness h = new TcbHarness().established();

    FastRecoveryTest() {
        h.conn.setCongestionControl("reno");
        h.write(MSS.repeat(5));
        for (int i = 0; i < 4; i++) {
            h.expect(data(1460 * i, MSS));
        }
        h.expect(data(5840, MSS).psh());
        ack(1460);
    }

    private Seg data(int offset, String text) {
        return seg().seq(h.iss + 1 + offset).ack(P + 1).win(WIN).payload(text);
    }

    private void ack(int offset) {
        h.send(seg().seq(P + 1).ack(h.iss + 1 + offset).win(WIN));
    }

    @Test
    void establishedThirdDuplicateAckRetransmitsTheFirstUnacknowledgedSegment() {
        ack(1460);
        ack(1460);
        h.expectNothing();
        ack(1460);
        h.expect(data(1460, MSS));
        h.expectNothing();
        assertEquals(2920, h.conn.ssthresh()); // max(FlightSize / 2, 2 * SMSS), FlightSize 4 segments
        assertEquals(2920 + 3 * 1460, h.conn.cwnd());
        assertEquals(1, h.layer.counters().fastRetransmits());
        assertEquals(1, h.layer.counters().renoRecovery()); // the peer offered no SACK: NewReno
        assertEquals(0, h.layer.counters().sackRecovery());
    }

    @Test
    void establishedPartialAckInRecoveryRetransmitsTheNextHoleAndFullAckEndsRecovery() {
        ack(1460);
        ack(1460);
        ack(1460);
        h.drain();
        ack(4380);
        h.expect(data(4380, MSS));
        h.expectNothing();
        ack(7300);
        h.expectNothing();
        assertEquals(2920, h.conn.cwnd()); // RFC 6582: min(ssthresh, max(FlightSize, SMSS) + SMSS)
        assertEquals(2, h.layer.counters().fastRetransmits());
    }

    @Test
    void establishedDuplicateAcksBeyondTheThirdInflateTheWindowForNewData() {
        ack(1460);
        ack(1460);
        ack(1460);
        h.drain();
        h.write(MSS + MSS);
        h.expect(data(7300, MSS)); // FlightSize 4 + 1 segments within cwnd = ssthresh + 3 SMSS
        h.expectNothing();
        ack(1460);
        assertEquals(8760, h.conn.cwnd());
        h.expect(data(8760, MSS).psh());
    }

    @Test
    void establishedDuplicateAcksForDataSentBeforeAnRtoStartNoFastRetransmit() {
        h.at(secs(1.5));
        h.drain();
        ack(1460);
        ack(1460);
        ack(1460);
        h.expectNothing();
        assertEquals(0, h.layer.counters().fastRetransmits());
    }

    @Test
    void establishedAckWithAWindowChangeIsNoDuplicate() {
        ack(1460);
        ack(1460);
        h.send(seg().seq(P + 1).ack(h.iss + 1461).win(WIN - 1));
        h.expectNothing();
        assertEquals(0, h.layer.counters().fastRetransmits());
    }
}
