package io.tcpsim.link;

import io.tcpsim.time.Clock;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.sql.Timestamp;
import org.pcap4j.core.PcapDumper;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.Pcaps;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.packet.namednumber.DataLinkType;

/**
 * A decorator that writes every packet received from and transmitted to the wrapped link into a
 * pcap file of link type RAW (LINKTYPE_RAW 101: each record is a bare IP packet), timestamped by
 * the stack's clock, so virtual-time runs give captures with virtual timestamps. Written through
 * libpcap (pcap4j), so any tool that reads tcpdump's files reads these.
 */
public final class PcapTap implements LinkDevice {

    private static final int SNAPLEN = 262_144;

    private final LinkDevice inner;
    private final Clock clock;
    private final PcapHandle deadHandle;
    private final PcapDumper dumper;
    private long packetsWritten;

    private PcapTap(LinkDevice inner, Clock clock, PcapHandle deadHandle, PcapDumper dumper) {
        this.inner = inner;
        this.clock = clock;
        this.deadHandle = deadHandle;
        this.dumper = dumper;
    }

    /** Wraps {@code inner}, writing to {@code file} (created or truncated). */
    public static PcapTap open(LinkDevice inner, Clock clock, Path file) throws IOException {
        PcapHandle handle = null;
        try {
            handle = Pcaps.openDead(DataLinkType.RAW, SNAPLEN);
            return new PcapTap(inner, clock, handle, handle.dumpOpen(file.toString()));
        } catch (PcapNativeException | NotOpenException | UnsatisfiedLinkError e) {
            if (handle != null) {
                handle.close();
            }
            throw new IOException("cannot write pcap file " + file + ": " + e.getMessage()
                    + " (is the Debian package libpcap0.8 installed?)", e);
        }
    }

    /** Packets written to the file so far. */
    public long packetsWritten() {
        return packetsWritten;
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
    public void transmit(MemorySegment packet) throws IOException {
        record(packet);
        inner.transmit(packet);
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
        long epochNanos = clock.epochNanos(clock.nanoTime());
        Timestamp timestamp = new Timestamp(Math.floorDiv(epochNanos, 1_000_000L));
        timestamp.setNanos((int) Math.floorMod(epochNanos, 1_000_000_000L));
        try {
            dumper.dumpRaw(packet.toArray(ValueLayout.JAVA_BYTE), timestamp);
            packetsWritten++;
        } catch (NotOpenException e) {
            throw new IOException("pcap file already closed", e);
        }
    }

    @Override
    public void close() throws IOException {
        try {
            if (dumper.isOpen()) {
                dumper.flush();
                dumper.close();
            }
        } catch (PcapNativeException | NotOpenException e) {
            throw new IOException("cannot flush pcap file: " + e.getMessage(), e);
        } finally {
            deadHandle.close();
            inner.close();
        }
    }
}
