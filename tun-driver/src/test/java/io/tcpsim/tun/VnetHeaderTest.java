package io.tcpsim.tun;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

class VnetHeaderTest {

    @Test
    void emitThenParseRoundTrips() {
        VnetHeader header = new VnetHeader(VnetHeader.F_NEEDS_CSUM, VnetHeader.GSO_TCPV4 | VnetHeader.GSO_ECN,
                54, 1448, 34, 16);
        MemorySegment bytes = MemorySegment.ofArray(new byte[VnetHeader.SIZE]);
        header.emit(bytes);
        assertEquals(header, VnetHeader.parse(bytes));
        assertTrue(header.needsChecksum());
        assertEquals(VnetHeader.GSO_TCPV4, header.gsoKind());
    }

    @Test
    void fieldsAreInHostOrderAtTheVirtioOffsets() {
        byte[] raw = new byte[VnetHeader.SIZE];
        new VnetHeader(1, 4, 0x0102, 0x0304, 0x0506, 0x0708).emit(MemorySegment.ofArray(raw));
        byte[] expected = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN
                ? new byte[] {1, 4, 2, 1, 4, 3, 6, 5, 8, 7}
                : new byte[] {1, 4, 1, 2, 3, 4, 5, 6, 7, 8};
        assertArrayEquals(expected, raw);
    }

    @Test
    void parseReadsUnsignedValues() {
        MemorySegment bytes = MemorySegment.ofArray(new byte[VnetHeader.SIZE + 5]);
        bytes.fill((byte) 0xff);
        VnetHeader header = VnetHeader.parse(bytes);
        assertEquals(new VnetHeader(0xff, 0xff, 0xffff, 0xffff, 0xffff, 0xffff), header);
    }

    @Test
    void noneIsAllZero() {
        MemorySegment bytes = MemorySegment.ofArray(new byte[VnetHeader.SIZE]);
        bytes.fill((byte) 9);
        VnetHeader.NONE.emit(bytes);
        assertArrayEquals(new byte[VnetHeader.SIZE], bytes.toArray(ValueLayout.JAVA_BYTE));
        assertFalse(VnetHeader.NONE.needsChecksum());
    }

    @Test
    void rejectsShortSegmentsAndOutOfRangeFields() {
        MemorySegment shortSegment = MemorySegment.ofArray(new byte[VnetHeader.SIZE - 1]);
        assertThrows(IllegalArgumentException.class, () -> VnetHeader.parse(shortSegment));
        assertThrows(IllegalArgumentException.class, () -> VnetHeader.NONE.emit(shortSegment));
        assertThrows(IllegalArgumentException.class, () -> new VnetHeader(256, 0, 0, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new VnetHeader(0, 0, 0, 65536, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new VnetHeader(0, 0, 0, 0, -1, 0));
    }
}
