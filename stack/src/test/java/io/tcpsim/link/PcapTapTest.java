package io.tcpsim.link;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tcpsim.time.VirtualClock;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.Pcaps;

/** PcapTap writes both directions to a LINKTYPE_RAW pcap with the stack's (here virtual) time. */
class PcapTapTest {

    private static final long EPOCH_2026 = 1_790_000_000L * 1_000_000_000L;
    private static final int LINKTYPE_RAW = 101;

    @Test
    void receivedAndTransmittedPacketsAreWrittenInOrderWithVirtualTimestamps(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("tap.pcap");
        VirtualClock clock = new VirtualClock(EPOCH_2026);
        QueueLink inner = new QueueLink(1500);
        byte[] inbound = {0x45, 1, 2, 3};
        byte[] outbound = {0x45, 9, 8, 7, 6};
        try (PcapTap tap = PcapTap.open(inner, clock, file)) {
            inner.inject(inbound);
            clock.advance(1_500_000);
            MemorySegment buffer = MemorySegment.ofArray(new byte[64]);
            assertEquals(inbound.length, tap.receive(buffer));
            clock.advance(2_000_000_000L);
            tap.transmit(MemorySegment.ofArray(outbound));
            assertEquals(0, tap.receive(buffer), "nothing waiting: nothing recorded");
            assertEquals(2, tap.packetsWritten());
            assertEquals(List.of(outbound.length), inner.drain().stream().map(p -> p.length).toList(),
                    "the wrapped link still gets what the tap transmits");
        }
        assertEquals(LINKTYPE_RAW, linkTypeField(file));
        List<byte[]> packets = new ArrayList<>();
        List<Long> micros = new ArrayList<>();
        PcapHandle handle = Pcaps.openOffline(file.toString());
        try {
            byte[] packet;
            while ((packet = handle.getNextRawPacket()) != null) {
                packets.add(packet);
                micros.add(handle.getTimestamp().getTime() * 1000 + handle.getTimestamp().getNanos() / 1000 % 1000);
            }
        } finally {
            handle.close();
        }
        assertEquals(2, packets.size());
        assertArrayEquals(inbound, packets.get(0));
        assertArrayEquals(outbound, packets.get(1));
        assertEquals(EPOCH_2026 / 1000 + 1_500, micros.get(0));
        assertEquals(EPOCH_2026 / 1000 + 2_001_500, micros.get(1));
    }

    @Test
    void tapsSharingAWriterAppendToOneFileThatOutlivesEachTap(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("shared.pcap");
        VirtualClock clock = new VirtualClock(EPOCH_2026);
        byte[] first = {0x45, 1};
        byte[] second = {0x45, 2, 2};
        try (PcapWriter writer = PcapWriter.create(file)) {
            try (PcapTap tap = PcapTap.sharing(new QueueLink(1500), clock, writer)) {
                tap.transmit(MemorySegment.ofArray(first));
            }
            try (PcapTap tap = PcapTap.sharing(new QueueLink(1500), clock, writer)) {
                tap.transmit(MemorySegment.ofArray(second));
                assertEquals(2, tap.packetsWritten());
            }
        }
        List<byte[]> packets = new ArrayList<>();
        PcapHandle handle = Pcaps.openOffline(file.toString());
        try {
            byte[] packet;
            while ((packet = handle.getNextRawPacket()) != null) {
                packets.add(packet);
            }
        } finally {
            handle.close();
        }
        assertEquals(2, packets.size());
        assertArrayEquals(first, packets.get(0));
        assertArrayEquals(second, packets.get(1));
    }

    /** The pcap global header's link-type field (offset 20, in the file's byte order). */
    private static int linkTypeField(Path file) throws IOException {
        ByteBuffer header = ByteBuffer.wrap(Files.readAllBytes(file), 0, 24);
        if (header.getInt(0) != 0xa1b2c3d4) {
            header.order(ByteOrder.LITTLE_ENDIAN);
        }
        return header.getInt(20);
    }
}
