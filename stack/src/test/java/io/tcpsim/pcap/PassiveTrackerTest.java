package io.tcpsim.pcap;

import static io.tcpsim.wire.TcpPacket.ACK;
import static io.tcpsim.wire.TcpPacket.FIN;
import static io.tcpsim.wire.TcpPacket.PSH;
import static io.tcpsim.wire.TcpPacket.RST;
import static io.tcpsim.wire.TcpPacket.SYN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcpsim.testsupport.SharedDir;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The passive tracker's states and notes, and how segments are grouped into conversations. */
class PassiveTrackerTest {
    private static final Endpoint C = new Endpoint("10.0.0.1", 40_000);
    private static final Endpoint S = new Endpoint("10.0.0.2", 80);

    private final List<Segment> segments = new ArrayList<>();

    private void seg(Endpoint src, int flags, int seq, int ack, int len, int window) {
        Endpoint dst = src.equals(C) ? S : C;
        segments.add(new Segment(segments.size() + 1, segments.size() * 1_000_000L, src, dst, false, seq, ack, flags,
                window, 0, List.of(), len, new byte[len], new byte[0], List.of()));
    }

    private List<String> states() {
        List<Conversation> conversations = Conversations.of(segments);
        assertEquals(1, conversations.size());
        return PassiveTracker.track(conversations.getFirst()).stream()
                .map(o -> o.client() + "/" + o.server()).toList();
    }

    @Test
    void whoisCaptureGoesThroughTheServersActiveClose() throws IOException {
        CaptureSummary s = CaptureSummary.read(SharedDir.pcaps().resolve("linux-client-whois-server-close.pcap"), null);
        List<String> states = PassiveTracker.track(s.conversation(1)).stream()
                .map(o -> o.client() + "/" + o.server()).toList();
        assertEquals(List.of("SYN_SENT/LISTEN", "ESTABLISHED/SYN_RECEIVED", "ESTABLISHED/ESTABLISHED",
                "ESTABLISHED/ESTABLISHED", "ESTABLISHED/ESTABLISHED", "ESTABLISHED/ESTABLISHED",
                "ESTABLISHED/ESTABLISHED", "CLOSE_WAIT/FIN_WAIT_1", "CLOSE_WAIT/FIN_WAIT_2", "LAST_ACK/TIME_WAIT",
                "CLOSED/TIME_WAIT"), states);
        assertEquals("server closed first", s.conversation(1).ending());
    }

    @Test
    void clientCloseWithFinAckCrossingGoesThroughClosing() {
        seg(C, SYN, 100, 0, 0, 100);
        seg(S, SYN | ACK, 500, 101, 0, 100);
        seg(C, ACK, 101, 501, 0, 100);
        seg(C, FIN | ACK, 101, 501, 0, 100);
        seg(S, FIN | ACK, 501, 101, 0, 100); // crossed: does not ack the client's FIN
        seg(C, ACK, 102, 502, 0, 100);
        seg(S, ACK, 502, 102, 0, 100);
        assertEquals(List.of("SYN_SENT/LISTEN", "ESTABLISHED/SYN_RECEIVED", "ESTABLISHED/ESTABLISHED",
                "FIN_WAIT_1/CLOSE_WAIT", "CLOSING/LAST_ACK", "CLOSING/CLOSED", "TIME_WAIT/CLOSED"), states());
    }

    @Test
    void aSynAnsweredByRstIsARefusedConnection() {
        seg(C, SYN, 100, 0, 0, 100);
        seg(S, RST | ACK, 0, 101, 0, 0);
        assertEquals(List.of("SYN_SENT/LISTEN", "CLOSED/CLOSED"), states());
        Conversation c = Conversations.of(segments).getFirst();
        assertEquals("refused (RST to the SYN)", c.ending());
        assertEquals(0, PassiveTracker.base(c, false), "a side that only resets counts from 0");
    }

    @Test
    void aCaptureWithoutHandshakeStartsEstablishedAndNotesWhatWiresharkWould() {
        seg(S, PSH | ACK, 1000, 5000, 100, 50);
        seg(C, ACK, 5000, 1100, 0, 0);
        seg(S, ACK, 1099, 5000, 0, 50);     // probe: SND.UNA - 1 into a zero window
        seg(C, ACK, 5000, 1100, 0, 0);
        seg(S, PSH | ACK, 1000, 5000, 100, 50); // old data again
        seg(S, PSH | ACK, 1300, 5000, 100, 50); // 1100..1300 never captured
        seg(C, ACK, 5000, 1100, 0, 20);
        List<PassiveTracker.Observation> o = PassiveTracker.track(Conversations.of(segments).getFirst());
        assertEquals(SideState.ESTABLISHED, o.getFirst().client());
        assertEquals(SideState.ESTABLISHED, o.getFirst().server());
        assertEquals(1, o.getFirst().relSeq(), "relative to the first sequence number minus one");
        assertEquals(List.of("zero window"), o.get(1).notes());
        assertEquals(List.of("zero window probe"), o.get(2).notes());
        assertEquals(List.of("retransmission"), o.get(4).notes());
        assertEquals(List.of("previous segment not captured"), o.get(5).notes());
        assertEquals(List.of("window update"), o.get(6).notes());
    }

    @Test
    void aNewSynAfterTheCloseStartsASecondConversationOnTheSameTuple() {
        seg(C, SYN, 100, 0, 0, 100);
        seg(S, SYN | ACK, 500, 101, 0, 100);
        seg(C, ACK, 101, 501, 0, 100);
        seg(S, FIN | ACK, 501, 101, 0, 100);
        seg(C, FIN | ACK, 101, 502, 0, 100);
        seg(S, ACK, 502, 102, 0, 100);
        seg(C, SYN, 100, 0, 0, 100);         // a retransmitted old SYN stays in the first one
        seg(C, SYN, 90_000, 0, 0, 100);       // a new ISN: the 4-tuple reused
        seg(S, SYN | ACK, 7000, 90_001, 0, 100);
        List<Conversation> conversations = Conversations.of(segments);
        assertEquals(2, conversations.size());
        assertEquals(7, conversations.get(0).segments().size());
        assertEquals(8, conversations.get(1).segments().getFirst().frame());
        assertEquals(90_000, PassiveTracker.base(conversations.get(1), true));
        assertTrue(conversations.get(1).handshakeSeen());
    }

    @Test
    void withoutASynTheHigherPortIsTheClient() {
        seg(S, ACK, 1, 1, 10, 100);
        Conversation c = Conversations.of(segments).getFirst();
        assertEquals(C, c.client());
        assertEquals(S, c.server());
        assertEquals("open at the end of the capture", c.ending());
    }
}
