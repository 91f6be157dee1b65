package io.tcpsim.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.tcpsim.wire.TcpOption.MaxSegmentSize;
import io.tcpsim.wire.TcpOption.Sack;
import io.tcpsim.wire.TcpOption.SackBlock;
import io.tcpsim.wire.TcpOption.Timestamps;
import io.tcpsim.wire.TcpOption.Unknown;
import io.tcpsim.wire.TcpOption.WindowScale;
import java.lang.foreign.MemorySegment;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class TcpOptionsTest {
    private static final MaxSegmentSize MSS = new MaxSegmentSize(1460);
    private static final Timestamps TS = new Timestamps(1, 0);
    private static final WindowScale WS = new WindowScale(7);

    @Test
    void linuxSynLayoutParsesAndEmitsByteForByte() {
        byte[] bytes = Vectors.bytes("0204 05b4 0402 080a 0000 0001 0000 0000 0103 0307");
        List<TcpOption> options = TcpOptions.parse(MemorySegment.ofArray(bytes));
        assertEquals(List.of(MSS, TcpOption.SACK_PERMITTED, TS, TcpOption.NOP, WS), options);
        assertEquals(20, TcpOptions.encodedLength(options));
        byte[] out = new byte[20];
        assertEquals(20, TcpOptions.emit(options, MemorySegment.ofArray(out)));
        assertArrayEquals(bytes, out);
    }

    @Test
    void anAreaLongerThanAnyHeaderIsRejectedNotThrownOn() {
        byte[] area = new byte[41];
        area[0] = (byte) 0xFE;
        area[1] = 41; // an unknown option of 39 data bytes: more than a header holds
        assertEquals(Malformed.TCP_OPTION_PAST_HEADER, TcpOptions.check(MemorySegment.ofArray(area)));
        MalformedPacketException e = assertThrows(MalformedPacketException.class,
                () -> TcpOptions.parse(MemorySegment.ofArray(area)));
        assertEquals(Malformed.TCP_OPTION_PAST_HEADER, e.reason());
    }

    @Test
    void unknownOptionIsKeptWithItsData() {
        byte[] bytes = Vectors.bytes("fe06 f989 0102 0101");
        List<TcpOption> options = TcpOptions.parse(MemorySegment.ofArray(bytes));
        assertEquals(List.of(new Unknown(254, Vectors.bytes("f9890102")), TcpOption.NOP, TcpOption.NOP), options);
        byte[] out = new byte[8];
        TcpOptions.emit(options, MemorySegment.ofArray(out));
        assertArrayEquals(bytes, out);
    }

    @Test
    void sackBlocksParseAsUnsignedEdges() {
        byte[] bytes = Vectors.bytes("0101 0512 ffff fff0 0000 0010 0000 0020 0000 0030");
        Sack sack = (Sack) TcpOptions.parse(MemorySegment.ofArray(bytes)).get(2);
        assertEquals(List.of(new SackBlock(0xffff_fff0, 0x10), new SackBlock(0x20, 0x30)), sack.blocks());
    }

    @Test
    void parsingStopsAtEndOfList() {
        byte[] bytes = Vectors.bytes("0204 05b4 00ff ffff");
        assertEquals(List.of(MSS, TcpOption.EOL), TcpOptions.parse(MemorySegment.ofArray(bytes)));
    }

    @Test
    void emptyAreaParsesToNoOptions() {
        assertEquals(List.of(), TcpOptions.parse(MemorySegment.ofArray(new byte[0])));
    }

    @Test
    void alignLinuxStyleGivesTheLinuxSynLayout() {
        List<TcpOption> aligned = TcpOptions.alignLinuxStyle(List.of(MSS, TcpOption.SACK_PERMITTED, TS, WS));
        assertEquals(List.of(MSS, TcpOption.SACK_PERMITTED, TS, TcpOption.NOP, WS), aligned);
    }

    @Test
    void alignLinuxStylePadsTimestampsAndSackWithNops() {
        Sack sack = new Sack(List.of(new SackBlock(1, 2)));
        List<TcpOption> aligned = TcpOptions.alignLinuxStyle(List.of(TcpOption.NOP, TS, sack, TcpOption.EOL, MSS));
        assertEquals(List.of(TcpOption.NOP, TcpOption.NOP, TS, TcpOption.NOP, TcpOption.NOP, sack), aligned);
        assertEquals(24, TcpOptions.encodedLength(aligned));
    }

    @Test
    void alignLinuxStyleWithoutSackPermittedPadsTimestampsAlone() {
        List<TcpOption> aligned = TcpOptions.alignLinuxStyle(List.of(MSS, TS, WS));
        assertEquals(List.of(MSS, TcpOption.NOP, TcpOption.NOP, TS, TcpOption.NOP, WS), aligned);
    }

    @Test
    void alignBsdStyleGivesFreeBsdsSynLayoutWhateverTheInputOrder() {
        WindowScale ws6 = new WindowScale(6);
        List<TcpOption> syn = TcpOptions.alignBsdStyle(List.of(MSS, TcpOption.SACK_PERMITTED, TS, ws6));
        assertEquals(List.of(MSS, TcpOption.NOP, ws6, TcpOption.SACK_PERMITTED, TS), syn);
        assertEquals(20, TcpOptions.encodedLength(syn));
        byte[] out = new byte[20];
        TcpOptions.emit(syn, MemorySegment.ofArray(out));
        assertArrayEquals(Vectors.bytes("0204 05b4 0103 0306 0402 080a 0000 0001 0000 0000"), out);
    }

    @Test
    void alignBsdStyleEndsWithEndOfListPadding() {
        List<TcpOption> synAck = TcpOptions.alignBsdStyle(List.of(TcpOption.SACK_PERMITTED, MSS));
        assertEquals(List.of(MSS, TcpOption.SACK_PERMITTED, TcpOption.EOL, TcpOption.EOL), synAck);
        assertEquals(List.of(MSS, TcpOption.NOP, WS), TcpOptions.alignBsdStyle(List.of(WS, TcpOption.NOP, MSS)));
        assertEquals(List.of(TcpOption.NOP, TcpOption.NOP, TS), TcpOptions.alignBsdStyle(List.of(TS)));
    }

    @Test
    void padWithEolAppendsEndOfListOnlyWhenNeeded() {
        assertEquals(List.of(WS, TcpOption.EOL), TcpOptions.padWithEol(List.of(WS)));
        assertEquals(List.of(MSS), TcpOptions.padWithEol(List.of(MSS)));
        assertEquals(List.of(WS, TcpOption.EOL), TcpOptions.padWithEol(List.of(WS, TcpOption.EOL)));
    }

    @Test
    void reprWithPaddedOptionsRoundTripsThroughZeroFill() {
        TcpRepr repr = new TcpRepr(1, 2, 3, 4, TcpPacket.SYN, 5, 0, TcpOptions.padWithEol(List.of(WS)),
                TcpRepr.NO_PAYLOAD);
        assertEquals(24, repr.headerLength());
        TcpPacket tcp = repr.emit(MemorySegment.ofArray(new byte[24]), 1, 2);
        assertEquals(repr, TcpRepr.parse(tcp, 1, 2));
    }

    @Test
    void reprRefusesOptionsNotFillingWholeWords() {
        assertThrows(IllegalArgumentException.class,
                () -> new TcpRepr(1, 2, 3, 4, 0, 5, 0, List.of(WS), TcpRepr.NO_PAYLOAD));
    }

    @Test
    void reprRefusesOptionsLongerThanFortyBytes() {
        List<TcpOption> tooMany = Collections.nCopies(11, MSS);
        assertThrows(IllegalArgumentException.class,
                () -> new TcpRepr(1, 2, 3, 4, 0, 5, 0, tooMany, TcpRepr.NO_PAYLOAD));
    }

    @Test
    void optionRecordsRefuseImpossibleValues() {
        assertThrows(IllegalArgumentException.class, () -> new MaxSegmentSize(65536));
        assertThrows(IllegalArgumentException.class, () -> new WindowScale(256));
        assertThrows(IllegalArgumentException.class, () -> new Sack(List.of()));
        assertThrows(IllegalArgumentException.class, () -> new Sack(Collections.nCopies(5, new SackBlock(1, 2))));
        assertThrows(IllegalArgumentException.class, () -> new Unknown(TcpOption.KIND_SACK, new byte[8]));
        assertThrows(IllegalArgumentException.class, () -> new Unknown(99, new byte[39]));
    }

    @Test
    void windowScaleKeepsShiftAboveFourteenAsReceived() {
        byte[] bytes = Vectors.bytes("0303 0f00");
        assertEquals(new WindowScale(15), TcpOptions.parse(MemorySegment.ofArray(bytes)).getFirst());
    }

    @Test
    void unknownOptionsCompareByContent() {
        assertEquals(new Unknown(99, new byte[] {1, 2}), new Unknown(99, new byte[] {1, 2}));
        assertEquals(new Unknown(99, new byte[] {1, 2}).hashCode(), new Unknown(99, new byte[] {1, 2}).hashCode());
        assertNotEquals(new Unknown(99, new byte[] {1, 2}), new Unknown(99, new byte[] {1, 3}));
    }
}
