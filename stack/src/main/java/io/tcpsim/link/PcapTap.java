package io.tcpsim.link;

import io.tcpsim.time.Clock;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/**
 * A decorator that writes every packet received from and transmitted to the wrapped link into a
 * {@link PcapWriter} (pcap, LINKTYPE_RAW), timestamped by the stack's clock, so virtual-time runs
 * give captures with virtual timestamps. A GSO packet ({@link #transmitSegmented}) is recorded as
 * the one large packet that crosses the link, as tcpdump on a TSO interface shows it.
 */
public final class PcapTap implements LinkDevice {

    private final LinkDevice inner;
    private final Clock clock;
    private final PcapWriter writer;
    private final boolean ownsWriter;

    private PcapTap(LinkDevice inner, Clock clock, PcapWriter writer, boolean ownsWriter) {
        this.inner = inner;
        this.clock = clock;
        this.writer = writer;
        this.ownsWriter = ownsWriter;
    }

    /** Wraps {@code inner}, writing to {@code file} (created or truncated), closed with the tap. */
    public static PcapTap open(LinkDevice inner, Clock clock, Path file) throws IOException {
        return new PcapTap(inner, clock, PcapWriter.create(file), true);
    }

    /** Wraps {@code inner}, writing to {@code writer}, which stays open when the tap closes. */
    public static PcapTap sharing(LinkDevice inner, Clock clock, PcapWriter writer) {
        return new PcapTap(inner, clock, writer, false);
    }

    /** Packets written to the file so far (by every tap sharing it). */
    public long packetsWritten() {
        return writer.packetsWritten();
    }

    @Override
    public int mtu() {
        return inner.mtu();
    }

    @Override
    public int receive(MemorySegment buffer) throws IOException {
        int length = inner.receive(buffer);
        if (length > 0) {
            record(buffer.asSlice(0, length));
        }
        return length;
    }

    @Override
    public boolean receivedChecksumTrusted() {
        return inner.receivedChecksumTrusted();
    }

    @Override
    public void transmit(MemorySegment packet) throws IOException {
        record(packet);
        inner.transmit(packet);
    }

    @Override
    public boolean segmentsOffloaded() {
        return inner.segmentsOffloaded();
    }

    @Override
    public void transmitSegmented(MemorySegment packet, int segmentSize) throws IOException {
        record(packet);
        inner.transmitSegmented(packet, segmentSize);
    }

    @Override
    public MemorySegment segmentedTransmitBuffer() {
        return inner.segmentedTransmitBuffer();
    }

    @Override
    public void flush() throws IOException {
        inner.flush();
    }

    @Override
    public boolean awaitReceivable(long timeoutNanos) throws IOException {
        return inner.awaitReceivable(timeoutNanos);
    }

    @Override
    public void wakeUp() throws IOException {
        inner.wakeUp();
    }

    private void record(MemorySegment packet) throws IOException {
        writer.write(packet, clock.epochNanos(clock.nanoTime()));
    }

    @Override
    public void close() throws IOException {
        try {
            if (ownsWriter) {
                writer.close();
            }
        } finally {
            inner.close();
        }
    }
}
