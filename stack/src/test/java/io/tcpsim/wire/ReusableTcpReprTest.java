package io.tcpsim.wire;

import static io.tcpsim.testsupport.Properties.qt;
import static io.tcpsim.wire.WireGenerators.bytes;
import static io.tcpsim.wire.WireGenerators.ints;
import static io.tcpsim.wire.WireGenerators.tcpReprs;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.generators.SourceDSL.integers;

import io.tcpsim.wire.TcpOption.Timestamps;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The reusable {@link TcpRepr} of the receive and send paths (issue 8) reads and writes what the
 * whole, list-based one does: the same header checks, fields, options (as Linux reads them, also
 * malformed ones), timestamps and SACK blocks, payload and bytes on the wire.
 */
class ReusableTcpReprTest {
    private static final int SRC = 0x0A00_0001;
    private static final int DST = 0x0A00_0002;
    /** Bytes before the segment in the buffer it is read from: an IPv4 header's room. */
    private static final int AT = 20;

    @Test
    void readAsLinuxAgreesWithParseAsLinuxOnSegmentsWithNoisyOptions() {
        qt().forAll(tcpReprs(), bytes(40), integers().between(0, 40)).checkAssert((repr, noise, from) -> {
            byte[] tcp = emitted(repr);
            int optionsLength = repr.headerLength() - TcpPacket.MIN_HEADER_LENGTH;
            for (int i = 0; i < noise.length && from + i < optionsLength; i++) {
                tcp[TcpPacket.MIN_HEADER_LENGTH + from + i] = noise[i];
            }
            assertReadAsParsed(tcp);
        });
    }

    @Test
    void readAsLinuxAgreesWithParseAsLinuxOnAnyBytes() {
        qt().forAll(bytes(80)).checkAssert(ReusableTcpReprTest::assertReadAsParsed);
    }

    @Test
    void linuxTimestampsWrittenAsBytesGoOnTheWireAsTheListDoes() {
        qt().forAll(tcpReprs(), ints(), ints()).checkAssert((repr, tsVal, tsEcr) -> {
            List<TcpOption> linux = List.of(TcpOption.NOP, TcpOption.NOP, new Timestamps(tsVal, tsEcr));
            TcpRepr whole = new TcpRepr(repr.srcPort(), repr.dstPort(), repr.seq(), repr.ack(), repr.flags(),
                    repr.window(), repr.urgentPointer(), linux, repr.payload());
            TcpRepr reused = TcpRepr.reusable();
            reused.header(repr.srcPort(), repr.dstPort(), repr.seq(), repr.ack(), repr.flags(), repr.window(),
                    repr.urgentPointer());
            reused.setLinuxTimestamps(tsVal, tsEcr);
            byte[] room = new byte[AT + whole.bufferLength()];
            MemorySegment.copy(repr.payload(), 0, MemorySegment.ofArray(room), AT, repr.payloadLength());
            reused.setPayload(MemorySegment.ofArray(room), AT, repr.payloadLength());

            byte[] written = new byte[whole.bufferLength()];
            reused.write(MemorySegment.ofArray(written), SRC, DST);
            assertArrayEquals(emitted(whole), written);
            assertEquals(whole, reused);
            assertEquals(whole.headerLength(), reused.headerLength());
            assertTrue(reused.hasTimestamps());
            assertEquals(tsVal, reused.tsVal());
            assertEquals(tsEcr, reused.tsEcr());
            assertEquals(List.of(), reused.sackBlocks());
        });
    }

    @Test
    void aPayloadSourceIsCopiedFromOnlyWhenTheSegmentIsWritten() {
        byte[] queue = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
        int[] copies = {0};
        TcpRepr.PayloadSource source = (offset, dst, dstOffset, length) -> {
            copies[0]++;
            MemorySegment.copy(MemorySegment.ofArray(queue), offset, dst, dstOffset, length);
        };
        TcpRepr reused = TcpRepr.reusable();
        reused.header(1, 2, 3, 4, TcpPacket.ACK | TcpPacket.PSH, 5, 0);
        reused.setOptions(List.of());
        reused.setPayload(source, 4, 6);
        assertEquals(6, reused.payloadLength());
        assertEquals(6, reused.segLen());
        assertEquals(0, copies[0], "nothing copied before the write");

        byte[] written = new byte[reused.bufferLength()];
        reused.write(MemorySegment.ofArray(written), SRC, DST);
        assertEquals(1, copies[0], "one copy, into the packet");
        TcpRepr parsed = TcpRepr.parse(TcpPacket.checked(MemorySegment.ofArray(written)), SRC, DST);
        assertArrayEquals("456789".getBytes(StandardCharsets.US_ASCII), parsed.payloadBytes());
    }

    @Test
    void detachedIsAWholeCopyThatTheNextFillLeavesAlone() {
        TcpRepr reused = TcpRepr.reusable();
        byte[] packet = emitted(new TcpRepr(80, 40_000, 7, 9, TcpPacket.ACK, 100, 0,
                List.of(TcpOption.NOP, TcpOption.NOP, new Timestamps(11, 12)), MemorySegment.ofArray(new byte[] {1, 2})));
        assertEquals(null, reused.readAsLinux(MemorySegment.ofArray(packet), 0, packet.length));
        TcpRepr kept = reused.detached();
        packet[4] = 0x7F; // the buffer reused for the next packet
        packet[packet.length - 1] = 9;
        reused.readAsLinux(MemorySegment.ofArray(packet), 0, packet.length);
        assertEquals(7, kept.seq());
        assertArrayEquals(new byte[] {1, 2}, kept.payloadBytes());
        assertEquals(new Timestamps(11, 12), kept.timestampsOrNull());
        assertNotEquals(kept, reused);
    }

    @Test
    void aWholeSegmentIsNotFilledAgain() {
        TcpRepr whole = new TcpRepr(1, 2, 3, 4, 0, 5, 0, List.of(), TcpRepr.NO_PAYLOAD);
        assertSame(whole, whole.detached());
        assertThrows(IllegalStateException.class, () -> whole.setLinuxTimestamps(1, 2));
        assertThrows(IllegalStateException.class, () -> whole.readAsLinux(MemorySegment.ofArray(new byte[20]), 0, 20));
    }

    /**
     * {@code tcp} read where it lies, after {@link #AT} bytes of something else, gives what
     * {@link TcpRepr#parseAsLinux} gives of a view over exactly it, or the same malformation.
     */
    private static void assertReadAsParsed(byte[] tcp) {
        byte[] buffer = new byte[AT + tcp.length + 7];
        System.arraycopy(tcp, 0, buffer, AT, tcp.length);
        MemorySegment segment = MemorySegment.ofArray(tcp);
        TcpRepr reused = TcpRepr.reusable();
        Malformed read = reused.readAsLinux(MemorySegment.ofArray(buffer), AT, tcp.length);
        assertEquals(TcpPacket.checkHeader(segment), read);
        if (read != null) {
            return;
        }
        TcpRepr parsed = TcpRepr.parseAsLinux(TcpPacket.headerChecked(segment), SRC, DST, false);
        assertEquals(parsed, reused);
        assertEquals(parsed.toString(), reused.toString());
        assertEquals(parsed.timestampsOrNull() != null, reused.hasTimestamps());
        if (reused.hasTimestamps()) {
            assertEquals(parsed.timestampsOrNull(), new Timestamps(reused.tsVal(), reused.tsEcr()));
        }
        assertEquals(parsed.sackBlocks(), reused.sackBlocks());
        assertEquals(parsed.segLen(), reused.segLen());
        assertEquals(parsed.headerLength(), reused.headerLength());
        assertEquals(AT + TcpPacket.headerChecked(segment).headerLength(), reused.payloadOffset());
        assertArrayEquals(parsed.payloadBytes(), reused.payloadBytes());
        assertFalse(reused.detached() == reused);
        assertEquals(parsed, reused.detached());
    }

    private static byte[] emitted(TcpRepr repr) {
        byte[] bytes = new byte[repr.bufferLength()];
        repr.emit(TcpPacket.unchecked(MemorySegment.ofArray(bytes)), SRC, DST);
        return bytes;
    }
}
