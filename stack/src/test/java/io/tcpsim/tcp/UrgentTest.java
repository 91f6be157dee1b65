package io.tcpsim.tcp;

import static io.tcpsim.tcp.Seg.seg;
import static io.tcpsim.tcp.TcbHarness.P;
import static io.tcpsim.tcp.TcbHarness.WIN;
import static io.tcpsim.tcp.TcbHarness.secs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Urgent data (RFC 9293 §3.8.5, RFC 6093) as Linux does it: the urgent pointer points one past
 * the urgent byte (tcp_stdurg = 0); URG on every segment that starts before SND.UP until it is
 * acknowledged; urgent mode passes Nagle and TCP_CORK. Receiving, the byte leaves the stream
 * unless SO_OOBINLINE, reads stop at the mark, and a newer pointer replaces an unread byte.
 */
class UrgentTest {
    private static final String MSS = "u".repeat(1460);
    private final TcbHarness h = new TcbHarness().established();

    private Seg ours(int offset, String text) {
        return seg().seq(h.iss + 1 + offset).ack(P + 1).win(WIN).payload(text);
    }

    private Seg peer(int offset, String text) {
        return seg().seq(P + 1 + offset).ack(h.iss + 1).win(WIN).payload(text);
    }

    private int writeUrgent(String text) {
        byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
        return h.conn.write(b, 0, b.length, true, false, h.now());
    }

    private String receive(int len, boolean peek) {
        byte[] buf = new byte[len];
        int n = h.conn.receive(buf, 0, len, peek, h.now());
        return new String(buf, 0, n, StandardCharsets.ISO_8859_1);
    }

    // sending

    @Test
    void urgentWriteMarksItsLastByteWithAPointerOnePastIt() {
        assertEquals(3, writeUrgent("abc"));
        h.expect(ours(0, "abc").psh().urg(3));
        h.expectNothing();
    }

    @Test
    void urgentWritePassesNagle() {
        h.write("a");
        h.expect(ours(0, "a").psh());
        writeUrgent("b"); // an ordinary "b" would wait for the ACK of "a" (SendTest)
        h.expect(ours(1, "b").psh().urg(1));
    }

    @Test
    void urgentWritePassesCork() {
        h.conn.setCork(true, h.now());
        writeUrgent("xy");
        h.expect(ours(0, "xy").psh().urg(2)); // Linux tcp_nagle_test(): urgent mode before the cork
    }

    @Test
    void urgFlagIsOnEverySegmentBeforeSndUpUntilItIsAcknowledged() {
        writeUrgent(MSS + MSS + "!");
        h.expect(ours(0, MSS).urg(2921));
        h.expect(ours(1460, MSS).urg(1461));
        h.expect(ours(2920, "!").psh().urg(1));
        h.at(secs(0.2));
        h.expectAt(secs(0.2), ours(0, MSS).urg(2921)); // retransmissions too
        h.send(seg().seq(P + 1).ack(h.iss + 2922).win(WIN));
        h.write("z");
        h.expect(ours(2921, "z").psh()); // SND.UP acknowledged: urgent mode is over
    }

    @Test
    void urgentByteNotYetSentPutsUrgOnOurAcks() {
        h.send(seg().seq(P + 1).ack(h.iss + 1).win(0));
        writeUrgent("x");
        h.expectNothing();
        h.send(peer(0, "hi").win(0));
        // Linux __tcp_transmit_skb(): SEG.SEQ (SND.NXT) is before SND.UP, so even an ACK says URG.
        h.expect(seg().seq(h.iss + 1).ack(P + 3).win(WIN).urg(1));
    }

    @Test
    void zeroWindowProbeInUrgentModeGoesTwiceOnceAtSndUna() {
        h.send(seg().seq(P + 1).ack(h.iss + 1).win(0));
        writeUrgent("x");
        h.at(secs(0.2));
        // Linux tcp_write_wakeup(): an urgent probe at SND.UNA first, then the usual one at SND.UNA - 1.
        h.expectAt(secs(0.2), seg().seq(h.iss + 1).ack(P + 1).win(WIN).urg(1));
        h.expectAt(secs(0.2), seg().seq(h.iss).ack(P + 1).win(WIN).urg(2));
        h.expectNothing();
    }

    // receiving

    @Test
    void urgentByteLeavesTheStreamAndIsReadOutOfBandOnce() {
        h.send(peer(0, "abc").urg(3));
        assertTrue(h.conn.urgentPending());
        assertEquals("ab", receive(16, false));
        assertTrue(h.conn.atUrgentMark());
        assertEquals('c', h.conn.readUrgent(false));
        assertFalse(h.conn.urgentPending());
        assertEquals(TcpConnection.NO_URGENT_DATA, h.conn.readUrgent(false));
        assertEquals("", receive(16, false)); // the urgent byte is skipped
        assertFalse(h.conn.atUrgentMark());
        h.send(peer(3, "de"));
        assertEquals("de", receive(16, false));
    }

    @Test
    void readStopsAtTheMarkThenGoesOnPastTheUrgentByte() {
        h.send(peer(0, "abcde").urg(3));
        assertEquals(2, h.conn.inq()); // Linux tcp_inq(): up to the mark
        assertEquals("ab", receive(16, false));
        assertEquals(0, h.conn.inq()); // at the mark Linux reports nothing, though "de" waits
        assertTrue(h.conn.hasReadableData());
        assertEquals("de", receive(16, false));
        assertEquals(TcpConnection.NO_URGENT_DATA, h.conn.readUrgent(false)); // read past it: lost
    }

    @Test
    void peekSkipsTheUrgentByteAtTheMarkToo() {
        h.send(peer(0, "abcde").urg(3));
        assertEquals("ab", receive(16, true));
        assertEquals("ab", receive(16, false));
        assertEquals("de", receive(16, true));
        assertTrue(h.conn.atUrgentMark());
        assertEquals('c', h.conn.readUrgent(true));
        assertTrue(h.conn.urgentPending());
        assertEquals('c', h.conn.readUrgent(false));
    }

    @Test
    void oobInlineKeepsTheUrgentByteInTheStream() {
        h.conn.setOobInline(true);
        h.send(peer(0, "abcde").urg(3));
        assertTrue(h.conn.urgentPending());
        assertEquals(TcpConnection.NO_URGENT_DATA, h.conn.readUrgent(false));
        assertEquals(5, h.conn.inq());
        assertEquals("ab", receive(16, false)); // the read still stops at the mark
        assertTrue(h.conn.atUrgentMark());
        assertEquals("cde", receive(16, false));
    }

    @Test
    void onlyTheUrgentByteAtTheMarkIsNotReadable() {
        h.send(peer(0, "abc").urg(3));
        receive(2, false);
        assertEquals(1, h.conn.readable());
        assertFalse(h.conn.hasReadableData()); // Linux tcp_poll(): target + 1 at the mark
        h.send(peer(3, "d"));
        assertTrue(h.conn.hasReadableData());
    }

    @Test
    void newerUrgentPointerReplacesAnUnreadByteThatStaysInTheStream() {
        h.send(peer(0, "ab").urg(2));
        h.send(peer(2, "cd").urg(2));
        assertEquals('d', h.conn.readUrgent(false));
        assertEquals("abc", receive(16, false));
        assertEquals("", receive(16, false));
    }

    @Test
    void replacedMarkAtTheReadPositionLosesItsByte() {
        h.send(peer(0, "ab").urg(2));
        assertEquals("a", receive(16, false));
        assertTrue(h.conn.atUrgentMark());
        h.send(peer(2, "cd").urg(2));
        // Linux tcp_check_urg(): the old urgent byte at copied_seq is dropped ("copied_seq++").
        assertEquals("c", receive(16, false));
        assertEquals('d', h.conn.readUrgent(false));
    }

    @Test
    void urgentPointerAheadOfTheDataWaitsForItsByte() {
        h.send(peer(0, "ab").urg(5));
        assertFalse(h.conn.urgentPending());
        assertEquals(TcpConnection.URGENT_NOT_YET, h.conn.readUrgent(false));
        assertEquals("ab", receive(16, false));
        h.send(peer(2, "cde"));
        assertTrue(h.conn.urgentPending());
        assertEquals('e', h.conn.readUrgent(false));
        assertEquals("cd", receive(16, false));
    }

    @Test
    void urgentPointerToDataAlreadyReceivedIsIgnored() {
        h.send(peer(0, "abc"));
        h.drain();
        h.send(peer(0, "abcdef").urg(2));
        assertFalse(h.conn.urgentPending());
        assertEquals(TcpConnection.NO_URGENT_DATA, h.conn.readUrgent(false));
        assertEquals("abcdef", receive(16, false));
    }

    @Test
    void urgentByteOutOfOrderIsReadableOutOfBandAndSignalsTheReader() {
        h.send(peer(2, "cd").urg(2)); // "ab" is missing
        h.expect(seg().seq(h.iss + 1).ack(P + 1).win(WIN));
        assertEquals(List.of("readable"), h.events); // Linux tcp_urg(): sk_data_ready() for the byte alone
        assertTrue(h.conn.urgentPending());
        assertEquals(0, h.conn.inq());
        assertEquals('d', h.conn.readUrgent(false));
        h.send(peer(0, "ab"));
        assertEquals("abc", receive(16, false));
    }
}
