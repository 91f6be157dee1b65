package io.tcpsim.testsupport;

import java.io.EOFException;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.pcap4j.core.NotOpenException;
import org.pcap4j.core.PcapHandle;
import org.pcap4j.core.PcapNativeException;
import org.pcap4j.core.Pcaps;

/**
 * Reads pcap and pcapng captures with pcap4j (libpcap underneath) and strips the link-layer
 * header down to the IP packet. Link types (https://www.tcpdump.org/linktypes.html): NULL 0,
 * EN10MB 1 (with 802.1Q/802.1ad tags), RAW 101 (and the DLT_RAW values 12 and 14), LOOP 108,
 * LINUX_SLL 113, IPV4 228, IPV6 229, LINUX_SLL2 276. pcap4j's per-file INFO log lines are
 * turned down to warnings (slf4j-simple reads the property when pcap4j first logs).
 */
public final class Captures {
    public static final int LINKTYPE_NULL = 0;
    public static final int LINKTYPE_ETHERNET = 1;
    public static final int LINKTYPE_RAW = 101;
    public static final int LINKTYPE_LOOP = 108;
    public static final int LINKTYPE_LINUX_SLL = 113;
    public static final int LINKTYPE_IPV4 = 228;
    public static final int LINKTYPE_IPV6 = 229;
    public static final int LINKTYPE_LINUX_SLL2 = 276;
    private static final int DLT_RAW_BSD = 12;
    private static final int DLT_RAW_OPENBSD = 14;

    private static final int ETHERNET_HEADER = 14;
    private static final int VLAN_TAG = 4;
    private static final int SLL_HEADER = 16;
    private static final int SLL2_HEADER = 20;
    private static final int NULL_HEADER = 4;
    private static final int ETHERTYPE_IPV4 = 0x0800;
    private static final int ETHERTYPE_IPV6 = 0x86DD;
    private static final int ETHERTYPE_VLAN = 0x8100;
    private static final int ETHERTYPE_QINQ = 0x88A8;
    private static final int AF_INET = 2;
    private static final List<Integer> AF_INET6 = List.of(10, 24, 28, 30);

    static {
        System.setProperty("org.slf4j.simpleLogger.log.org.pcap4j", "warn");
    }

    private Captures() {
    }

    /**
     * One captured frame.
     *
     * @param number         1-based position in the file, as tcpdump numbers frames
     * @param originalLength the frame's length on the wire; more than {@code data.length} when cut
     */
    public record Frame(int number, Instant timestamp, int linkType, int originalLength, byte[] data) {
        public boolean truncated() {
            return data.length < originalLength;
        }

        /** The IP packet inside, or why there is none. */
        public LinkPayload ipPacket() {
            return stripLinkHeader(linkType, data);
        }
    }

    /** What is left after the link-layer header. */
    public sealed interface LinkPayload {
        /** An IPv4 or IPv6 packet (as captured: possibly cut short). */
        record Ip(MemorySegment packet) implements LinkPayload {
        }

        /** Not IP, or a link header that does not fit. */
        record NotIp(String why) implements LinkPayload {
        }
    }

    /** Every *.pcap and *.pcapng in {@code dir}, sorted by name. */
    public static List<Path> listCaptures(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".pcap") || p.toString().endsWith(".pcapng"))
                    .sorted().toList();
        }
    }

    /** All frames of a capture, with nanosecond timestamps. */
    public static List<Frame> read(Path file) {
        try {
            PcapHandle handle = Pcaps.openOffline(file.toString(), PcapHandle.TimestampPrecision.NANO);
            try {
                return readAll(handle);
            } finally {
                handle.close();
            }
        } catch (PcapNativeException | NotOpenException | TimeoutException e) {
            throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** The IP packet inside a frame of the given link type. */
    public static LinkPayload stripLinkHeader(int linkType, byte[] frame) {
        return switch (linkType) {
            case LINKTYPE_ETHERNET -> ethernet(frame);
            case LINKTYPE_LINUX_SLL -> byEtherType(frame, SLL_HEADER, SLL_HEADER - 2);
            case LINKTYPE_LINUX_SLL2 -> byEtherType(frame, SLL2_HEADER, 0);
            case LINKTYPE_RAW, DLT_RAW_BSD, DLT_RAW_OPENBSD, LINKTYPE_IPV4, LINKTYPE_IPV6 -> slice(frame, 0);
            case LINKTYPE_NULL -> nullLoopback(frame, false);
            case LINKTYPE_LOOP -> nullLoopback(frame, true);
            default -> new LinkPayload.NotIp("unsupported link type " + linkType);
        };
    }

    private static List<Frame> readAll(PcapHandle handle)
            throws PcapNativeException, NotOpenException, TimeoutException {
        int linkType = handle.getDlt().value();
        List<Frame> frames = new ArrayList<>();
        while (true) {
            byte[] data;
            try {
                data = handle.getNextRawPacketEx();
            } catch (EOFException end) {
                return frames;
            }
            Instant at = handle.getTimestamp().toInstant();
            frames.add(new Frame(frames.size() + 1, at, linkType, handle.getOriginalLength(), data));
        }
    }

    private static LinkPayload ethernet(byte[] frame) {
        int typeOffset = ETHERNET_HEADER - 2;
        while (frame.length >= typeOffset + 2) {
            int type = u16(frame, typeOffset);
            if (type != ETHERTYPE_VLAN && type != ETHERTYPE_QINQ) {
                return byEtherType(frame, typeOffset + 2, typeOffset);
            }
            typeOffset += VLAN_TAG;
        }
        return new LinkPayload.NotIp("Ethernet header cut short");
    }

    private static LinkPayload byEtherType(byte[] frame, int headerLength, int typeOffset) {
        if (frame.length < headerLength) {
            return new LinkPayload.NotIp("link header cut short: " + frame.length + " < " + headerLength);
        }
        int type = u16(frame, typeOffset);
        if (type != ETHERTYPE_IPV4 && type != ETHERTYPE_IPV6) {
            return new LinkPayload.NotIp(String.format("ethertype 0x%04x", type));
        }
        return slice(frame, headerLength);
    }

    /** BSD loopback: a 4-byte address family in the writer's byte order (NULL) or network order (LOOP). */
    private static LinkPayload nullLoopback(byte[] frame, boolean networkOrder) {
        if (frame.length < NULL_HEADER) {
            return new LinkPayload.NotIp("loopback header cut short");
        }
        ByteBuffer header = ByteBuffer.wrap(frame, 0, NULL_HEADER);
        int family = header.order(networkOrder ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN).getInt(0);
        if (!networkOrder && (family & 0xFFFF) == 0) {
            family = Integer.reverseBytes(family);
        }
        if (family != AF_INET && !AF_INET6.contains(family)) {
            return new LinkPayload.NotIp("address family " + family);
        }
        return slice(frame, NULL_HEADER);
    }

    private static LinkPayload slice(byte[] frame, int offset) {
        return new LinkPayload.Ip(MemorySegment.ofArray(frame).asSlice(offset));
    }

    private static int u16(byte[] bytes, int offset) {
        return (bytes[offset] & 0xFF) << 8 | bytes[offset + 1] & 0xFF;
    }
}
