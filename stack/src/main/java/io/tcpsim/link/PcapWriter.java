package io.tcpsim.link;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.sql.Timestamp;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapDumper;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.Pcaps;
import org.pcap4j.packet.namednumber.DataLinkType;

/**
 * A pcap file of link type RAW (LINKTYPE_RAW 101: each record is a bare IP packet), written
 * through libpcap (pcap4j), so any tool that reads tcpdump's files reads it. One writer may serve
 * several {@link PcapTap}s one after the other (the stacks of {@code tcpsim bench}); writes are
 * synchronized, so taps on different stack threads never interleave inside a record.
 */
public final class PcapWriter implements AutoCloseable {

    /** Large enough for a whole 64 KiB GSO packet. */
    private static final int SNAPLEN = 262_144;

    private final PcapHandle deadHandle;
    private final PcapDumper dumper;
    private long packetsWritten;

    private PcapWriter(PcapHandle deadHandle, PcapDumper dumper) {
        this.deadHandle = deadHandle;
        this.dumper = dumper;
    }

    /** Creates or truncates {@code file}. */
    public static PcapWriter create(Path file) throws IOException {
        PcapHandle handle = null;
        try {
            handle = Pcaps.openDead(DataLinkType.RAW, SNAPLEN);
            return new PcapWriter(handle, handle.dumpOpen(file.toString()));
        } catch (PcapNativeException | NotOpenException | UnsatisfiedLinkError e) {
            if (handle != null) {
                handle.close();
            }
            throw new IOException("cannot write pcap file " + file + ": " + e.getMessage()
                    + " (is the Debian package libpcap0.8 installed?)", e);
        }
    }

    /** Appends one record holding {@code packet}, stamped {@code epochNanos} (ns since 1970). */
    public synchronized void write(MemorySegment packet, long epochNanos) throws IOException {
        Timestamp timestamp = new Timestamp(Math.floorDiv(epochNanos, 1_000_000L));
        timestamp.setNanos((int) Math.floorMod(epochNanos, 1_000_000_000L));
        try {
            dumper.dumpRaw(packet.toArray(ValueLayout.JAVA_BYTE), timestamp);
            packetsWritten++;
        } catch (NotOpenException e) {
            throw new IOException("pcap file already closed", e);
        }
    }

    /** Records written so far. */
    public synchronized long packetsWritten() {
        return packetsWritten;
    }

    /** Flushes and closes the file; idempotent. */
    @Override
    public synchronized void close() throws IOException {
        try {
            if (dumper.isOpen()) {
                dumper.flush();
                dumper.close();
            }
        } catch (PcapNativeException | NotOpenException e) {
            throw new IOException("cannot flush pcap file: " + e.getMessage(), e);
        } finally {
            if (deadHandle.isOpen()) {
                deadHandle.close();
            }
        }
    }
}
