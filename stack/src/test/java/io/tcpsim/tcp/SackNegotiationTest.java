package io.tcpsim.tcp;

import static io.tcpsim.tcp.Seg.seg;
import static io.tcpsim.tcp.TcbHarness.P;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcpsim.wire.TcpOptions;
import io.tcpsim.wire.TcpRepr;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.HexFormat;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * SACK-permitted in SYN and SYN-ACK (RFC 2018 §2) in Linux's exact layout, checked against the
 * bytes of a Linux 6.18 kernel's SYNs and SYN-ACKs captured kernel to kernel in a namespace
 * (tcp_sack, tcp_timestamps and tcp_window_scaling switched on the client side).
 */
class SackNegotiationTest {
    private static final int PEER_TS = 777;

    private static TcbHarness connecting(TcpConfig config) {
        TcbHarness h = new TcbHarness(config);
        h.conn = h.layer.connect(TcbHarness.LOCAL, TcbHarness.REMOTE, TcbHarness.REMOTE_PORT, h.now());
        h.localPort = h.conn.tuple().localPort();
        h.iss = h.conn.iss();
        return h;
    }

    private static String optionBytes(TcpRepr segment) {
        MemorySegment out = Arena.ofAuto().allocate(40);
        int n = TcpOptions.emit(segment.options(), out);
        return HexFormat.of().formatHex(out.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE));
    }

    private static String hex(int value) {
        return HexFormat.of().toHexDigits(value);
    }

    @Test
    void synWithTimestampsHasTheKernelsBytes() {
        TcbHarness h = connecting(TcpConfig.linuxDefaults(1500).withWindowScale(10));
        TcpRepr syn = h.expect(seg().syn().seq(h.iss).win(64240).mss(1460).sackOk().ts(h.tsVal(), 0).nop().wscale(10))
                .segment();
        // Linux: 0204 05b4 0402 080a <TSval> 0000 0000 0103 030a (mss, sackOK, TS, nop, wscale; 20 bytes).
        assertEquals("020405b40402080a" + hex(h.tsVal()) + "000000000103030a", optionBytes(syn));
    }

    @Test
    void synWithoutTimestampsHasTheKernelsBytes() {
        TcbHarness h = connecting(TcpConfig.linuxDefaults(1500).withWindowScale(10).withTimestamps(false));
        TcpRepr syn = h.expect(seg().syn().seq(h.iss).win(64240).mss(1460).nop().nop().sackOk().nop().wscale(10))
                .segment();
        // Linux: 0204 05b4 0101 0402 0103 030a (mss, nop, nop, sackOK, nop, wscale).
        assertEquals("020405b4010104020103030a", optionBytes(syn));
    }

    @Test
    void synWithSackOffOffersNoSack() {
        TcbHarness h = connecting(TcpConfig.linuxDefaults(1500).withSack(false).withTimestamps(false));
        h.expect(seg().syn().seq(h.iss).win(64240).mss(1460).nop().wscale(7));
    }

    /**
     * What the peer's SYN offers, and the SYN-ACK a listener with every option on answers: it
     * echoes SACK, timestamps and window scale only when offered, laid out as the kernel laid out
     * its SYN-ACK to the same SYN (window 65160 = 45 * 1448 with timestamps, else 64240).
     */
    @ParameterizedTest(name = "peer sack {0} ts {1} wscale {2}: {3}")
    @CsvSource({
        "true, true, true, mss+sackOK+TS+nop+wscale",
        "true, true, false, mss+sackOK+TS",
        "true, false, true, mss+nop+nop+sackOK+nop+wscale",
        "true, false, false, mss+nop+nop+sackOK",
        "false, true, true, mss+nop+nop+TS+nop+wscale",
        "false, true, false, mss+nop+nop+TS",
        "false, false, true, mss+nop+wscale",
        "false, false, false, mss",
    })
    void synAckEchoesWhatThePeerOfferedInTheKernelsLayout(boolean sack, boolean ts, boolean wscale, String layout) {
        TcbHarness h = new TcbHarness(TcpConfig.linuxDefaults(1500).withWindowScale(10)).listening();
        Seg syn = seg().syn().seq(P).win(64240).mss(1460);
        syn = sack ? (ts ? syn.sackOk() : syn.nop().nop().sackOk()) : syn;
        syn = ts ? (sack ? syn : syn.nop().nop()).ts(PEER_TS, 0) : syn;
        syn = wscale ? syn.nop().wscale(10) : syn;
        h.send(syn);
        TcpConnection c = h.layer.connection(h.tuple());
        h.conn = c;
        Seg expected = seg().syn().seq(c.iss()).ack(P + 1).win(ts ? 65160 : 64240);
        for (String option : layout.split("\\+")) {
            expected = switch (option) {
                case "mss" -> expected.mss(1460);
                case "sackOK" -> expected.sackOk();
                case "TS" -> expected.ts(h.tsVal(), PEER_TS);
                case "nop" -> expected.nop();
                case "wscale" -> expected.wscale(10);
                default -> throw new IllegalArgumentException(option);
            };
        }
        h.expect(expected);
        assertEquals(sack, c.sackPermitted());
    }

    @Test
    void synAckWithSackOffEchoesNoSackAndSackIsNotUsed() {
        TcbHarness h = new TcbHarness(TcpConfig.linuxDefaults(1500).withSack(false).withTimestamps(false)).listening();
        h.send(seg().syn().seq(P).win(64240).mss(1460).nop().nop().sackOk().nop().wscale(7));
        TcpConnection c = h.layer.connection(h.tuple());
        h.expect(seg().syn().seq(c.iss()).ack(P + 1).win(64240).mss(1460).nop().wscale(7));
        assertFalse(c.sackPermitted());
    }

    @Test
    void activeOpenUsesSackOnlyWhenTheSynAckCarriesIt() {
        assertFalse(connectedWith(UnaryOperator.identity(), false).conn.sackPermitted());
        assertTrue(connectedWith(UnaryOperator.identity(), true).conn.sackPermitted());
        assertFalse(connectedWith(c -> c.withSack(false), true).conn.sackPermitted());
    }

    private static TcbHarness connectedWith(UnaryOperator<TcpConfig> config, boolean peerSack) {
        TcbHarness h = new TcbHarness(config.apply(TcpConfig.linuxDefaults(1500).withTimestamps(false))).synSent();
        Seg synAck = seg().syn().seq(P).ack(h.iss + 1).win(65535).mss(1460);
        h.send((peerSack ? synAck.nop().nop().sackOk() : synAck).nop().wscale(7));
        h.expect(seg().seq(h.iss + 1).ack(P + 1).win(h.win));
        return h;
    }
}
