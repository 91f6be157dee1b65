package io.tcpsim.tcp;

import static io.tcpsim.tcp.Seg.seg;
import static io.tcpsim.tcp.TcbHarness.LOCAL;
import static io.tcpsim.tcp.TcbHarness.P;
import static io.tcpsim.tcp.TcbHarness.REMOTE;
import static io.tcpsim.tcp.TcbHarness.REMOTE_PORT;
import static io.tcpsim.tcp.TcbHarness.SYN_WIN;
import static io.tcpsim.tcp.TcbHarness.WIN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** MSS (RFC 9293 §3.7.1, TCP_MAXSEG) and window scale (RFC 7323 §2) on SYN and SYN-ACK. */
class OptionNegotiationTest {

    private static TcbHarness connectWith(TcpConfig config, SocketOptions options) {
        TcbHarness h = new TcbHarness(config);
        h.conn = h.layer.connect(new FourTuple(LOCAL, 50000, REMOTE, REMOTE_PORT), options, 0);
        h.localPort = 50000;
        h.iss = h.conn.iss();
        return h;
    }

    @Test
    void synAtMtu1280AdvertisesMss1240AndAWindowOfWholeSegments() {
        TcbHarness h = connectWith(TcpConfig.linuxDefaults(1280), SocketOptions.DEFAULT);
        h.expect(seg().syn().seq(h.iss).win(52 * 1240).mss(1240).sackOk().ts(h.tsVal(), 0).nop().wscale(7));
    }

    @Test
    void synWithTimestampsAndSackIsLaidOutAsLinux() {
        TcbHarness h = connectWith(TcpConfig.linuxDefaults(1500).withTimestamps(true), SocketOptions.DEFAULT);
        h.expect(seg().syn().seq(h.iss).win(SYN_WIN).mss(1460).sackOk().ts(h.tsVal(), 0).nop().wscale(7));
    }

    @Test
    void synWithTimestampsWithoutSackIsLaidOutAsLinux() {
        TcbHarness h = connectWith(TcpConfig.linuxDefaults(1500).withSack(false), SocketOptions.DEFAULT);
        h.expect(seg().syn().seq(h.iss).win(SYN_WIN).mss(1460).nop().nop().ts(h.tsVal(), 0).nop().wscale(7));
    }

    @Test
    void synAtMtu9000AdvertisesMss8960() {
        TcbHarness h = connectWith(TcpConfig.linuxDefaults(9000), SocketOptions.DEFAULT);
        h.expect(seg().syn().seq(h.iss).win(7 * 8960).mss(8960).sackOk().ts(h.tsVal(), 0).nop().wscale(7));
    }

    @Test
    void synMssIsClampedByMaxSeg() {
        TcbHarness h = connectWith(TcpConfig.linuxDefaults(1500), SocketOptions.DEFAULT.withMaxSeg(1100));
        h.expect(seg().syn().seq(h.iss).win(59 * 1100).mss(1100).sackOk().ts(h.tsVal(), 0).nop().wscale(7));
        h.send(seg().syn().seq(P).ack(h.iss + 1).win(65535).mss(1460).nop().wscale(7));
        assertEquals(1100, h.conn.sndMss());
    }

    @Test
    void listenerMaxSegClampsTheSynAckMssAndTheSendMss() {
        TcbHarness h = new TcbHarness();
        h.listener = h.layer.listen(LOCAL, TcbHarness.LOCAL_PORT, 8, SocketOptions.DEFAULT.withMaxSeg(1100));
        h.send(seg().syn().seq(P).win(32792).mss(1300).nop().wscale(7));
        TcpConnection c = h.layer.connection(h.tuple());
        h.expect(seg().syn().seq(c.iss()).ack(P + 1).win(59 * 1100).mss(1100).nop().wscale(7));
        assertEquals(1100, c.sndMss());
    }

    @Test
    void sendMssIsThePeersWhenSmaller() {
        TcbHarness h = new TcbHarness().synSent();
        h.send(seg().syn().seq(P).ack(h.iss + 1).win(65535).mss(1000).nop().wscale(7));
        h.expect(seg().seq(h.iss + 1).ack(P + 1).win(WIN));
        h.write("m".repeat(2500));
        h.expect(seg().seq(h.iss + 1).ack(P + 1).win(WIN).payload("m".repeat(1000)));
        h.expect(seg().seq(h.iss + 1001).ack(P + 1).win(WIN).payload("m".repeat(1000)));
        h.expect(seg().psh().seq(h.iss + 2001).ack(P + 1).win(WIN).payload("m".repeat(500)));
    }

    @Test
    void peerMssOfZeroCountsAsAbsentAsLinuxDoes() {
        TcbHarness h = new TcbHarness().synSent();
        h.send(seg().syn().seq(P).ack(h.iss + 1).win(65535).mss(0));
        assertEquals(536, h.conn.sndMss());
    }

    @Test
    void peerTinyMssIsRaisedToLinuxMinimum48() {
        TcbHarness h = new TcbHarness().synSent();
        h.send(seg().syn().seq(P).ack(h.iss + 1).win(65535).mss(1));
        assertEquals(48, h.conn.sndMss());
    }

    @Test
    void peerWindowScaleAbove14IsUsedAs14() {
        TcbHarness h = new TcbHarness().synSent();
        h.send(seg().syn().seq(P).ack(h.iss + 1).win(65535).mss(1460).nop().wscale(20));
        assertEquals(14, h.conn.sndWscale());
        h.send(seg().seq(P + 1).ack(h.iss + 1).win(3));
        assertEquals(3 << 14, h.conn.sndWnd());
    }

    @Test
    void windowScaleZeroIsStillOfferedAndNegotiated() {
        TcbHarness h = connectWith(TcpConfig.linuxDefaults(1500).withWindowScale(0), SocketOptions.DEFAULT);
        h.expect(seg().syn().seq(h.iss).win(SYN_WIN).mss(1460).sackOk().ts(h.tsVal(), 0).nop().wscale(0));
        h.send(seg().syn().seq(P).ack(h.iss + 1).win(65535).mss(1460).nop().wscale(7));
        h.expect(seg().seq(h.iss + 1).ack(P + 1).win(SYN_WIN));
        assertEquals(7, h.conn.sndWscale());
        assertEquals(0, h.conn.rcvWscale());
    }

    @Test
    void peerWithoutWindowScaleGetsUnscaledWindowsAfterThePassiveHandshake() {
        TcbHarness h = new TcbHarness().listening();
        h.send(seg().syn().seq(P).win(65535).mss(1460));
        TcpConnection c = h.layer.connection(h.tuple());
        h.expect(seg().syn().seq(c.iss()).ack(P + 1).win(SYN_WIN).mss(1460));
        h.send(seg().seq(P + 1).ack(c.iss() + 1).win(1000).payload("u"));
        h.expect(seg().seq(c.iss() + 1).ack(P + 2).win(SYN_WIN));
        assertEquals(1000, c.sndWnd());
    }

    @Test
    void nonSynWindowsAreScaledByThePeersShift() {
        TcbHarness h = new TcbHarness().established();
        h.send(seg().seq(P + 1).ack(h.iss + 1).win(2));
        assertEquals(256, h.conn.sndWnd());
    }

    @Test
    void maxSegBelowLinuxMinimumIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> SocketOptions.DEFAULT.withMaxSeg(87));
        assertEquals(88, SocketOptions.DEFAULT.withMaxSeg(88).maxSeg());
    }

    @Test
    void initialWindowIsTheBufferRoundedDownToWholeSegments() {
        assertEquals(64240, Tcb.initialWindow(65536, 1460));
        assertEquals(65536, Tcb.initialWindow(65536, 1024));
        assertEquals(1000, Tcb.initialWindow(1000, 1460));
        assertEquals(1048280, Tcb.initialWindow(1 << 20, 1460)); // Linux >= 6.0: no 64 KiB cap
    }
}
