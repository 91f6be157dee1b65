package io.tcpsim.pcap;

import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.pcap4j.core.BpfProgram;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.Pcaps;

/**
 * Reads capture files through libpcap (pcap4j): classic pcap in either byte order with
 * microsecond or nanosecond timestamps, and pcapng (libpcap reads every format tcpdump writes,
 * timestamps asked for in nanoseconds). A BPF filter is compiled by libpcap for the file's link
 * type and applied to each frame with its original length ({@code pcap_offline_filter}), so the
 * frames kept keep their numbers in the file. libpcap needs the Debian package libpcap0.8.
 *
 * <p>A file that ends inside a record, or is damaged, is not fatal: the frames before the damage
 * are returned and the problem is reported in {@link Capture#problems()}.
 */
public final class CaptureFile {
    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final int MILLIS_PER_SECOND = 1000;

    static {
        // pcap4j logs each file it opens at INFO; a capture tool's output is its own.
        if (System.getProperty("org.slf4j.simpleLogger.log.org.pcap4j") == null) {
            System.setProperty("org.slf4j.simpleLogger.log.org.pcap4j", "warn");
        }
    }

    private CaptureFile() {
    }

    /** Every frame of {@code file}. */
    public static Capture read(Path file) throws IOException {
        return read(file, null);
    }

    /**
     * The frames of {@code file} that {@code filter} (tcpdump's filter syntax; null or blank for
     * all) accepts.
     *
     * @throws IOException when the file cannot be opened, is not a capture, or the filter does not compile
     */
    public static Capture read(Path file, String filter) throws IOException {
        if (!Files.isReadable(file)) {
            throw new IOException("cannot read " + file + ": no such file or not readable");
        }
        PcapHandle handle = open(file);
        try {
            BpfProgram program = compile(handle, filter);
            try {
                return readAll(file, handle, program);
            } finally {
                if (program != null) {
                    program.free();
                }
            }
        } finally {
            handle.close();
        }
    }

    private static PcapHandle open(Path file) throws IOException {
        try {
            return Pcaps.openOffline(file.toString(), PcapHandle.TimestampPrecision.NANO);
        } catch (PcapNativeException e) {
            throw new IOException("cannot read " + file + ": " + e.getMessage(), e);
        } catch (UnsatisfiedLinkError | NoClassDefFoundError e) {
            throw new IOException("cannot load libpcap to read " + file + " (is the Debian package libpcap0.8 installed?)",
                    e);
        }
    }

    private static BpfProgram compile(PcapHandle handle, String filter) throws IOException {
        if (filter == null || filter.isBlank()) {
            return null;
        }
        try {
            return handle.compileFilter(filter, BpfProgram.BpfCompileMode.OPTIMIZE, PcapHandle.PCAP_NETMASK_UNKNOWN);
        } catch (PcapNativeException | NotOpenException e) {
            throw new IOException("bad filter '" + filter + "': " + e.getMessage(), e);
        }
    }

    private static Capture readAll(Path file, PcapHandle handle, BpfProgram program) {
        int linkType = LinkHeader.linkTypeOf(handle.getDlt().value());
        List<Frame> frames = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        int number = 0;
        while (true) {
            byte[] data;
            try {
                data = handle.getNextRawPacketEx();
            } catch (EOFException end) {
                break;
            } catch (PcapNativeException | NotOpenException | TimeoutException e) {
                problems.add("the file is damaged or cut short after frame " + number + ": " + e.getMessage());
                break;
            } catch (IllegalArgumentException badTimestamp) {
                // found by CaptureFuzzTest: pcap4j refuses a fraction of a second of a second or more
                number++;
                problems.add("frame " + number + " skipped: its timestamp's fraction is a second or more");
                continue;
            }
            number++;
            int originalLength = handle.getOriginalLength();
            if (program == null || program.applyFilter(data, originalLength, data.length)) {
                frames.add(new Frame(number, epochNanos(handle.getTimestamp()), linkType, originalLength, data));
            }
        }
        return new Capture(file, linkType, number, frames, problems);
    }

    private static long epochNanos(Timestamp at) {
        long seconds = Math.floorDiv(at.getTime(), MILLIS_PER_SECOND);
        return seconds * NANOS_PER_SECOND + at.getNanos();
    }
}
