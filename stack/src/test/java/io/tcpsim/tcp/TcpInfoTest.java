package io.tcpsim.tcp;

import static io.tcpsim.tcp.Seg.seg;
import static io.tcpsim.tcp.TcbHarness.P;
import static io.tcpsim.tcp.TcbHarness.WIN;
import static io.tcpsim.tcp.TcbHarness.ms;
import static io.tcpsim.tcp.TcbHarness.secs;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/**
 * TCP_INFO as Linux tcp_get_info() fills it, on the TCB harness: the layout (offsets, the
 * wscale nibbles, host byte order), the fields per state, and what the counters and the timer
 * show as data is sent, lost and acknowledged. The comparison with the kernel's own struct is
 * {@code io.tcpsim.socket.TcpInfoDifferentialTest}.
 */
class TcpInfoTest {
    private final TcbHarness h = new TcbHarness();

    private TcpInfo info() {
        return TcpInfo.of(h.conn, h.now());
    }

    @Test
    void layoutIsLinuxsStructTcpInfoInHostOrder() {
        h.established();
        byte[] raw = info().toBytes();
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.nativeOrder());
        assertEquals(TcpInfo.SIZE, raw.length);
        assertEquals(1, raw[0], "tcpi_state TCP_ESTABLISHED");
        assertEquals(TcpInfo.TCPI_OPT_WSCALE, raw[5], "tcpi_options: wscale, no timestamps in this harness");
        assertEquals(7 | 7 << 4, raw[6] & 0xFF, "snd_wscale in the low nibble, rcv_wscale in the high one");
        assertEquals(1460, b.getInt(16), "tcpi_snd_mss");
        assertEquals(1500, b.getInt(60), "tcpi_pmtu");
        assertEquals(10, b.getInt(80), "tcpi_snd_cwnd");
        assertEquals(WIN << 7, b.getInt(228), "tcpi_snd_wnd: the peer's window, scaled");
        assertEquals(-1L, b.getLong(112), "tcpi_max_pacing_rate: ~0, no limit");
    }

    @Test
    void establishedPassiveOpenShowsTheNegotiatedValuesAndLinuxsInitialOnes() {
        h.established();
        TcpInfo i = info();
        assertEquals(TcpInfo.TCP_CA_OPEN, i.caState());
        assertEquals(1460, i.advmss());
        assertEquals(536, i.rcvMss(), "Linux TCP_MSS_DEFAULT until data arrives");
        assertEquals(3, i.reordering());
        assertEquals(TcpInfo.INFINITE_SSTHRESH, i.sndSsthresh());
        assertEquals(14_600, i.rcvSpace(), "min(window clamp, 10 * advmss)");
        assertEquals(0, i.unacked());
        assertEquals(0, i.bytesAcked(), "Linux: a passive open's SYN is not counted");
        assertEquals(2, i.segsIn(), "the SYN and the ACK");
        assertEquals(0, i.segsOut(), "Linux: the SYN-ACK is the request sock's");
    }

    @Test
    void activeOpenCountsItsSynInBytesAckedAndSegsOut() {
        h.connected();
        TcpInfo i = info();
        assertEquals(1, i.bytesAcked());
        assertEquals(2, i.segsOut(), "SYN and ACK");
        assertEquals(1, i.segsIn());
    }

    @Test
    void dataInFlightThenATimeoutShowsLossStateRetransmissionsAndTheTimer() {
        h.established();
        h.write("abc");
        h.drain();
        assertEquals(1, info().unacked());
        assertEquals(3, info().bytesSent());
        assertEquals(TcpTimer.Kind.ON, h.conn.timer(h.now()).kind());
        assertEquals(ms(200), h.conn.timer(h.now()).remainingNanos()); // the handshake's RTT sample: RTO 200 ms
        h.at(ms(200));
        h.drain();
        TcpInfo lost = info();
        assertEquals(TcpInfo.TCP_CA_LOSS, lost.caState());
        assertEquals(1, lost.retransmits());
        assertEquals(1, lost.backoff());
        assertEquals(400_000, lost.rto(), "microseconds, backoff included");
        assertEquals(1, lost.totalRetrans());
        assertEquals(3, lost.bytesRetrans());
        assertEquals(6, lost.bytesSent());
        assertEquals(1, lost.totalRto());
        assertEquals(1, lost.totalRtoRecoveries());
        assertEquals(new TcpTimer(TcpTimer.Kind.ON, ms(400), 1), h.conn.timer(h.now()));
        h.advance(ms(10)).send(seg().seq(P + 1).ack(h.iss + 4).win(WIN));
        TcpInfo acked = info();
        assertEquals(TcpInfo.TCP_CA_OPEN, acked.caState());
        assertEquals(3, acked.bytesAcked());
        assertEquals(0, acked.unacked());
        assertEquals(TcpTimer.OFF, h.conn.timer(h.now()));
        h.advance(ms(25));
        assertEquals(25, info().lastAckRecv(), "milliseconds since the last ACK");
    }

    @Test
    void receivedDataAndTheFinCountInBytesReceivedAndRecvQUntilRead() {
        h.established();
        h.send(seg().seq(P + 1).ack(h.iss + 1).win(WIN).payload("hello"));
        h.send(seg().fin().seq(P + 6).ack(h.iss + 1).win(WIN));
        TcpInfo i = info();
        assertEquals(6, i.bytesReceived(), "five bytes and the FIN");
        assertEquals(1, i.dataSegsIn());
        assertEquals(40_000, i.ato(), "tcpsim's fixed 40 ms delayed ACK");
        assertEquals(6, h.conn.receiveQueueLength(), "Linux rcv_nxt - copied_seq: the FIN until read");
        assertEquals("hello", h.readAll());
        assertEquals(1, h.conn.receiveQueueLength());
        assertEquals("", h.readAll());
        assertEquals(0, h.conn.receiveQueueLength(), "the end of stream was read");
    }

    @Test
    void sendQueueCountsTheSynWhileOpeningAndTheFinUntilAcknowledged() {
        h.synSent();
        assertEquals(1, h.conn.sendQueueLength());
        assertEquals(2, info().state());
        assertEquals(1, info().unacked());
        h.send(seg().syn().seq(P).ack(h.iss + 1).win(65535).mss(1460).nop().wscale(7));
        h.drain();
        h.write("abcd");
        h.conn.close(h.now());
        assertEquals(5, h.conn.sendQueueLength(), "four bytes and the FIN");
    }

    @Test
    void timeWaitAndOrphanFinWait2ShowTheTimewaitTimer() {
        h.timeWait();
        assertEquals(new TcpTimer(TcpTimer.Kind.TIMEWAIT, secs(60), 0), h.conn.timer(h.now()));
        assertEquals(6, TcpInfo.of(h.conn, h.now()).state());
    }

    @Test
    void listenerAliasesUnackedAndSackedToItsQueueAndBacklog() {
        h.listening(5);
        h.send(seg().syn().seq(P).win(65535).mss(1460));
        h.drain();
        h.send(seg().seq(P + 1).ack(h.layer.connections().getFirst().iss() + 1).win(WIN));
        TcpInfo i = TcpInfo.of(h.listener);
        assertEquals(10, i.state());
        assertEquals(1, i.unacked(), "connections waiting for accept()");
        assertEquals(5, i.sacked(), "the backlog");
        assertEquals(10, i.sndCwnd());
    }

    @Test
    void unconnectedSocketHasLinuxsInitialValues() {
        TcpInfo i = TcpInfo.unconnected(TcpConfig.linuxDefaults(1500));
        assertEquals(7, i.state());
        assertEquals(1_000_000, i.rto());
        assertEquals(536, i.sndMss());
        assertEquals(250_000, i.rttvar());
        assertEquals(10, i.sndCwnd());
        assertEquals(TcpInfo.INFINITE_SSTHRESH, i.sndSsthresh());
    }

    @Test
    void wrapOfAShortStructReadsZeroBeyondItsLength() {
        h.established();
        TcpInfo cut = TcpInfo.wrap(info().toBytes(), 8);
        assertEquals(1, cut.state());
        assertEquals(7, cut.sndWscale());
        assertEquals(0, cut.sndMss());
    }
}
