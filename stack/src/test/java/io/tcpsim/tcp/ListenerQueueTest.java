package io.tcpsim.tcp;

import static io.tcpsim.tcp.Seg.seg;
import static io.tcpsim.tcp.TcbHarness.LOCAL;
import static io.tcpsim.tcp.TcbHarness.LOCAL_PORT;
import static io.tcpsim.tcp.TcbHarness.P;
import static io.tcpsim.tcp.TcbHarness.REMOTE;
import static io.tcpsim.tcp.TcbHarness.SYN_WIN;
import static io.tcpsim.tcp.TcbHarness.WIN;
import static io.tcpsim.tcp.TcbHarness.secs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The SYN queue and the accept queue, with Linux's overflow rules (checked against Linux 6.18 in a
 * namespace: listen(2) keeps 3, listen(0) holds one half-open request, an overflowing final ACK is
 * dropped and its SYN-ACK retransmitted at 1 s and 3 s).
 */
class ListenerQueueTest {
    private TcbHarness h = new TcbHarness();

    private FourTuple from(int port) {
        return new FourTuple(LOCAL, LOCAL_PORT, REMOTE, port);
    }

    private Seg syn(int port) {
        return seg().syn().seq(P).win(65535).mss(1460).nop().wscale(7).ports(port, LOCAL_PORT);
    }

    /** Sends the SYN from port; returns the child, its SYN-ACK checked, or null when the SYN was dropped. */
    private TcpConnection synFrom(int port) {
        h.send(syn(port));
        TcpConnection c = h.layer.connection(from(port));
        if (c == null) {
            h.expectNothing();
            return null;
        }
        h.expect(seg().syn().seq(c.iss()).ack(P + 1).win(SYN_WIN).mss(1460).nop().wscale(7).ports(LOCAL_PORT, port));
        return c;
    }

    /** listen(1), two connections queued, a third half-open: its final ACK will overflow (E3b above). */
    private TcpConnection overflowingChild() {
        h.listening(1);
        ackFrom(43001, synFrom(43001));
        TcpConnection second = synFrom(43002);
        TcpConnection third = synFrom(43003);
        ackFrom(43002, second);
        return third;
    }

    private void ackFrom(int port, TcpConnection c) {
        h.send(seg().seq(P + 1).ack(c.iss() + 1).win(WIN).ports(port, LOCAL_PORT));
    }

    @Test
    void listenerAcceptQueueHoldsBacklogPlusOneThenDropsSyns() {
        h.listening(2);
        for (int port = 41000; port < 41003; port++) {
            ackFrom(port, synFrom(port));
        }
        assertEquals(3, h.listener.acceptQueueLength());
        assertNull(synFrom(41003));
        assertEquals(1, h.layer.counters().listenOverflows());
        assertEquals(1, h.layer.counters().listenDrops());
        assertEquals(3, h.layer.counters().passiveOpens());
    }

    @Test
    void listenerFinalAckFindingTheQueueFullIsDroppedAndTheSynAckRetransmitted() {
        TcpConnection third = overflowingChild();
        ackFrom(43003, third);
        h.expectNothing();
        assertEquals(TcpState.SYN_RECEIVED, third.state());
        assertEquals(1, h.layer.counters().listenOverflows());
        assertEquals(1, h.layer.counters().listenDrops());
        h.at(secs(3.5));
        Seg synAck = seg().syn().seq(third.iss()).ack(P + 1).win(SYN_WIN).mss(1460).nop().wscale(7)
                .ports(LOCAL_PORT, 43003);
        h.expectAt(secs(1), synAck);
        h.expectAt(secs(3), synAck);
        h.listener.accept();
        ackFrom(43003, third);
        assertEquals(TcpState.ESTABLISHED, third.state());
        assertEquals(3, h.layer.counters().passiveOpens());
    }

    @Test
    void listenerDataFromAClientWhoseAckOverflowedIsDroppedUntilThereIsRoom() {
        TcpConnection third = overflowingChild();
        ackFrom(43003, third);
        Seg data = seg().psh().seq(P + 1).ack(third.iss() + 1).win(WIN).payload("hi").ports(43003, LOCAL_PORT);
        h.send(data);
        h.expectNothing();
        assertEquals(2, h.layer.counters().listenOverflows());
        h.listener.accept();
        h.listener.accept();
        h.send(data);
        h.expect(seg().seq(third.iss() + 1).ack(P + 3).win(WIN).ports(LOCAL_PORT, 43003));
        assertEquals(third, h.listener.accept());
        assertEquals(2, third.readable());
    }

    @Test
    void listenerAbortOnOverflowAnswersTheFinalAckWithRst() {
        h = new TcbHarness(TcpConfig.linuxDefaults(1500).withAbortOnOverflow(true));
        TcpConnection third = overflowingChild();
        ackFrom(43003, third);
        h.expect(seg().rst().seq(third.iss() + 1).ports(LOCAL_PORT, 43003));
        assertEquals(TcpState.CLOSED, third.state());
        assertEquals(0, h.listener.synQueueLength());
        assertEquals(0, h.layer.counters().attemptFails());
    }

    @Test
    void listenerWithBacklogZeroHoldsOneHalfOpenRequest() {
        h = new TcbHarness(TcpConfig.linuxDefaults(1500).withSyncookies(0)); // SynCookiesTest: with cookies
        h.listening(0);
        synFrom(43010);
        assertNull(synFrom(43011));
        assertEquals(1, h.listener.synQueueLength());
        assertEquals(1, h.layer.counters().listenDrops());
        assertEquals(0, h.layer.counters().listenOverflows());
    }

    @Test
    void listenerHalfOpenRequestsAreBoundedByMaxSynBacklog() {
        h = new TcbHarness(TcpConfig.linuxDefaults(1500).withMaxSynBacklog(2).withSyncookies(0));
        h.listening(100);
        synFrom(43020);
        synFrom(43021);
        assertNull(synFrom(43022));
        assertEquals(2, h.listener.synQueueLength());
    }

    @Test
    void listenerNegativeBacklogMeansSomaxconnAsOnLinux() {
        h = new TcbHarness(TcpConfig.linuxDefaults(1500).withSomaxconn(3));
        h.listener = h.layer.listen(TcbHarness.LOCAL, 7000, -1);
        assertEquals(3, h.listener.backlog());
    }

    @Test
    void listenerBacklogIsCappedBySomaxconn() {
        h = new TcbHarness(TcpConfig.linuxDefaults(1500).withSomaxconn(1));
        h.listening(100);
        assertEquals(1, h.listener.backlog());
        for (int port = 41000; port < 41002; port++) {
            ackFrom(port, synFrom(port));
        }
        assertNull(synFrom(41002));
    }

    @Test
    void listenerAcceptReturnsConnectionsOldestFirst() {
        h.listening(8);
        List<TcpConnection> opened = new ArrayList<>();
        for (int port = 41000; port < 41003; port++) {
            TcpConnection c = synFrom(port);
            ackFrom(port, c);
            opened.add(c);
        }
        assertEquals(opened, List.of(h.listener.accept(), h.listener.accept(), h.listener.accept()));
        assertNull(h.listener.accept());
    }

    @Test
    void listenerCloseResetsConnectionsNobodyAccepted() {
        h.listening(8);
        TcpConnection c = synFrom(41000);
        ackFrom(41000, c);
        h.listener.close(h.now());
        h.expect(seg().rst().seq(c.iss() + 1).ack(P + 1).win(WIN).ports(LOCAL_PORT, 41000));
        assertEquals(TcpState.CLOSED, c.state());
        assertEquals(0, h.listener.acceptQueueLength());
        h.send(syn(41001));
        h.expect(seg().rst().seq(0).ack(P + 1).ports(LOCAL_PORT, 41001));
    }

    @Test
    void listenerCloseForgetsHalfOpenRequestsSoTheirAckMeetsARst() {
        h.listening(8);
        TcpConnection c = synFrom(41000);
        h.listener.close(h.now());
        h.expectNothing();
        ackFrom(41000, c);
        h.expect(seg().rst().seq(c.iss() + 1).ports(LOCAL_PORT, 41000));
        assertEquals(0, h.layer.connections().size());
    }

    @Test
    void listenerAcceptHandlerRunsWhenAConnectionIsQueued() {
        h.listening(8);
        List<TcpConnection> accepted = new ArrayList<>();
        h.listener.setAcceptHandler(l -> accepted.add(l.accept()));
        TcpConnection c = synFrom(41000);
        assertEquals(List.of(), accepted);
        ackFrom(41000, c);
        assertEquals(List.of(c), accepted);
    }

    @Test
    void listenerAcceptedConnectionIsEstablishedAndUsable() {
        h.listening(8);
        TcpConnection c = synFrom(41000);
        ackFrom(41000, c);
        TcpConnection accepted = h.listener.accept();
        assertEquals(TcpState.ESTABLISHED, accepted.state());
        byte[] reply = "ok".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        accepted.write(reply, 0, 2, h.now());
        h.expect(seg().psh().seq(c.iss() + 1).ack(P + 1).win(WIN).payload("ok").ports(LOCAL_PORT, 41000));
    }
}
