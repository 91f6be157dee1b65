package io.tcpsim.replay;

import static io.tcpsim.wire.TcpPacket.ACK;
import static io.tcpsim.wire.TcpPacket.FIN;
import static io.tcpsim.wire.TcpPacket.PSH;
import static io.tcpsim.wire.TcpPacket.RST;
import static io.tcpsim.wire.TcpPacket.SYN;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcpsim.pcap.Conversation;
import io.tcpsim.pcap.Conversations;
import io.tcpsim.pcap.Endpoint;
import io.tcpsim.pcap.Segment;
import io.tcpsim.wire.IpAddress;
import io.tcpsim.wire.TcpOption;
import io.tcpsim.wire.TcpRepr;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The application's part read from the captured side, and the rewriting of the peer's segments. */
class AppScriptTest {
    private static final Endpoint C = new Endpoint("10.0.0.1", 40_000);
    private static final Endpoint S = new Endpoint("10.0.0.2", 80);
    private final List<Segment> segments = new ArrayList<>();

    private void seg(Endpoint src, int flags, int seq, int ack, byte[] payload, int window) {
        segments.add(new Segment(segments.size() + 1, segments.size() * 1_000L, src, src.equals(C) ? S : C, false,
                seq, ack, flags, window, 0, List.of(), payload.length, payload, new byte[0], List.of()));
    }

    private void handshake() {
        seg(C, SYN, 100, 0, new byte[0], 100);
        seg(S, SYN | ACK, 500, 101, new byte[0], 100);
        seg(C, ACK, 101, 501, new byte[0], 100);
    }

    private AppScript serverScript() {
        Conversation c = Conversations.of(segments).getFirst();
        return AppScript.of(c, false, 500, 100);
    }

    @Test
    void segmentsUpToPshAreOneWriteMadeOnceTheRequestIsIn() {
        handshake();
        seg(C, PSH | ACK, 101, 501, new byte[] {1, 2, 3}, 100);
        seg(S, ACK, 501, 104, new byte[] {4, 5}, 100);
        seg(S, PSH | ACK, 503, 104, new byte[] {6}, 100);
        seg(S, PSH | ACK, 504, 104, new byte[] {7}, 100);
        AppScript script = serverScript();
        assertTrue(script.listens);
        assertEquals(2, script.actions.size());
        AppScript.Write first = assertInstanceOf(AppScript.Write.class, script.actions.get(0));
        assertArrayEquals(new byte[] {4, 5, 6}, first.bytes());
        assertEquals(4, first.needReceived(), "the request (3 bytes after the SYN) must be in");
        assertEquals(5, first.frame());
        assertArrayEquals(new byte[] {7}, ((AppScript.Write) script.actions.get(1)).bytes());
    }

    @Test
    void aRunSentWithoutWaitingIsWrittenAtItsStartAndAFinOnItsDataClosesRightAfter() {
        handshake();
        seg(S, ACK, 501, 101, new byte[] {1}, 100);
        seg(S, PSH | ACK, 502, 101, new byte[] {2}, 100);
        seg(C, ACK, 101, 502, new byte[0], 100);          // acknowledges only the first byte: still in flight
        seg(S, FIN | PSH | ACK, 503, 101, new byte[] {3}, 100);
        List<AppScript.Action> actions = serverScript().actions;
        assertEquals(3, actions.size());
        for (AppScript.Action a : actions) {
            assertEquals(4, a.frame(), "everything at the run's first segment: " + a);
        }
        assertInstanceOf(AppScript.Close.class, actions.getLast());
    }

    @Test
    void dataSentWithNothingInFlightIsANewWriteAtItsOwnTime() {
        handshake();
        seg(S, PSH | ACK, 501, 101, new byte[] {1}, 100);
        seg(C, ACK, 101, 502, new byte[0], 100);          // all acknowledged
        seg(S, PSH | ACK, 502, 101, new byte[] {2}, 100);
        List<AppScript.Action> actions = serverScript().actions;
        assertEquals(List.of(4, 6), actions.stream().map(AppScript.Action::frame).toList());
    }

    @Test
    void retransmittedBytesAreWrittenOnceAndLostOnesAsZeros() {
        handshake();
        seg(S, PSH | ACK, 501, 101, new byte[] {1, 2}, 100);
        seg(S, PSH | ACK, 501, 101, new byte[] {1, 2}, 100);
        seg(S, PSH | ACK, 505, 101, new byte[] {9}, 100);
        List<AppScript.Action> actions = serverScript().actions;
        assertEquals(2, actions.size());
        assertArrayEquals(new byte[] {0, 0, 9}, ((AppScript.Write) actions.get(1)).bytes());
    }

    @Test
    void aFinIsACloseOrAShutdownWhenThePeersDataStillCameAfterIt() {
        handshake();
        seg(S, FIN | ACK, 501, 101, new byte[0], 100);
        seg(C, PSH | ACK, 101, 502, new byte[] {1}, 100);
        seg(S, ACK, 502, 102, new byte[0], 100);
        AppScript.Close close = assertInstanceOf(AppScript.Close.class, serverScript().actions.getFirst());
        assertEquals(AppScript.CloseKind.SHUTDOWN, close.kind());
        segments.clear();
        handshake();
        seg(S, FIN | ACK, 501, 101, new byte[0], 100);
        assertEquals(AppScript.CloseKind.CLOSE, ((AppScript.Close) serverScript().actions.getFirst()).kind());
    }

    @Test
    void aRetransmissionOfDataTheFinAcknowledgedIsNoSignOfAHalfClose() {
        handshake();
        seg(C, PSH | ACK, 101, 501, new byte[] {1, 2}, 100);
        seg(S, FIN | ACK, 501, 103, new byte[0], 100);
        seg(C, PSH | ACK, 101, 502, new byte[] {1, 2}, 100); // the request again: its ACK was lost
        seg(S, ACK, 502, 103, new byte[0], 100);
        AppScript.Close close = (AppScript.Close) serverScript().actions.stream()
                .filter(a -> a instanceof AppScript.Close).findFirst().orElseThrow();
        assertEquals(AppScript.CloseKind.CLOSE, close.kind());
        segments.clear();
        handshake();
        seg(C, PSH | ACK, 101, 501, new byte[] {1, 2}, 100);
        seg(S, FIN | ACK, 501, 103, new byte[0], 100);
        seg(C, PSH | ACK, 101, 502, new byte[] {1, 2, 3}, 100); // one byte past what the FIN acknowledged
        AppScript.Close shutdown = (AppScript.Close) serverScript().actions.stream()
                .filter(a -> a instanceof AppScript.Close).findFirst().orElseThrow();
        assertEquals(AppScript.CloseKind.SHUTDOWN, shutdown.kind());
    }

    @Test
    void aResetOfAnOpenConnectionIsAnAbortAndARefusalMeansNoListener() {
        handshake();
        seg(S, RST | ACK, 501, 101, new byte[0], 0);
        assertEquals(AppScript.CloseKind.ABORT, ((AppScript.Close) serverScript().actions.getFirst()).kind());
        segments.clear();
        seg(C, SYN, 100, 0, new byte[0], 100);
        seg(S, RST | ACK, 0, 101, new byte[0], 0);
        AppScript refused = serverScript();
        assertFalse(refused.listens);
        assertEquals(List.of(), refused.actions);
    }

    @Test
    void probingAZeroWindowMeansTheApplicationHadMoreToWrite() {
        seg(S, PSH | ACK, 1000, 5000, new byte[10], 100);
        seg(C, ACK, 5000, 1010, new byte[0], 0);
        seg(S, ACK, 1009, 5000, new byte[0], 100);
        Conversation c = Conversations.of(segments).getFirst();
        List<AppScript.Action> actions = AppScript.of(c, false, 999, 4999).actions;
        AppScript.Write more = assertInstanceOf(AppScript.Write.class, actions.getLast());
        assertEquals(2, more.frame(), "written once the zero window has arrived");
        assertEquals(1, more.bytes().length);
    }

    @Test
    void thePeersAcknowledgmentSackAndEchoMoveIntoTcpsimsNumbers() {
        List<TcpOption> options = List.of(TcpOption.NOP, TcpOption.NOP, new TcpOption.Timestamps(77, 1234),
                TcpOption.NOP, TcpOption.NOP, new TcpOption.Sack(List.of(new TcpOption.SackBlock(600, 700))));
        Segment peer = new Segment(1, 0, C, S, false, 101, 650, ACK, 300, 0, options, 2, new byte[] {5}, new byte[0],
                List.of());
        Rewriter.Rewritten r = Rewriter.rewrite(peer, IpAddress.ofIpv4(1), IpAddress.ofIpv4(2), 1000, 1640, 99);
        TcpRepr seg = r.segment();
        assertEquals(1640, seg.ack(), "lowered to what tcpsim had sent");
        assertEquals(101, seg.seq(), "the peer's own numbers stay");
        assertEquals(new TcpOption.Timestamps(77, 99), seg.timestamps().orElseThrow());
        assertEquals(List.of(new TcpOption.SackBlock(1600, 1700)), seg.sackBlocks());
        assertArrayEquals(new byte[] {5, 0}, seg.payloadBytes());
        assertEquals(List.of("acknowledgment lowered by 10 to what tcpsim had sent",
                "1 payload bytes not captured, sent as zeros"), r.notes());
    }
}
