package io.tcpsim.pcap;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Set;

/**
 * Finds the IP packet inside a frame of each supported link type
 * (https://www.tcpdump.org/linktypes.html): Ethernet (1, with 802.1Q/802.1ad tags), Linux cooked
 * SLL (113) and SLL2 (276), raw IP (101, and the DLT_RAW values 12 and 14 some writers use), raw
 * IPv4 (228) and IPv6 (229), BSD loopback (0, host byte order) and OpenBSD loopback (108,
 * network byte order).
 */
public final class LinkHeader {
    public static final int NULL = 0;
    public static final int ETHERNET = 1;
    public static final int RAW = 101;
    public static final int LOOP = 108;
    public static final int LINUX_SLL = 113;
    public static final int IPV4 = 228;
    public static final int IPV6 = 229;
    public static final int LINUX_SLL2 = 276;
    private static final int DLT_RAW_BSD = 12;
    private static final int DLT_RAW_OPENBSD = 14;

    private static final int ETHERNET_HEADER = 14;
    private static final int VLAN_TAG = 4;
    private static final int SLL_HEADER = 16;
    private static final int SLL2_HEADER = 20;
    private static final int LOOPBACK_HEADER = 4;
    private static final int ETHERTYPE_IPV4 = 0x0800;
    private static final int ETHERTYPE_IPV6 = 0x86DD;
    private static final int ETHERTYPE_VLAN = 0x8100;
    private static final int ETHERTYPE_QINQ = 0x88A8;
    private static final int AF_INET = 2;
    /** AF_INET6 on Linux (10), NetBSD/OpenBSD (24), FreeBSD (28) and macOS (30). */
    private static final Set<Integer> AF_INET6 = Set.of(10, 24, 28, 30);

    private LinkHeader() {
    }

    /**
     * Where the IP packet starts, or why there is none.
     *
     * @param offset the IP header's offset in the frame; -1 when {@code notIp} says why there is none
     */
    public record Stripped(int offset, String notIp) {
        static Stripped at(int offset) {
            return new Stripped(offset, null);
        }

        static Stripped none(String why) {
            return new Stripped(-1, why);
        }

        public boolean isIp() {
            return offset >= 0;
        }
    }

    /**
     * The LINKTYPE_ value of a libpcap DLT_ value: they differ only for raw IP, whose DLT_RAW is
     * 12 (14 on OpenBSD) while files say LINKTYPE_RAW 101.
     */
    public static int linkTypeOf(int dlt) {
        return dlt == DLT_RAW_BSD || dlt == DLT_RAW_OPENBSD ? RAW : dlt;
    }

    /** The link type's name, for messages. */
    public static String name(int linkType) {
        return switch (linkType) {
            case NULL -> "BSD loopback";
            case ETHERNET -> "Ethernet";
            case RAW, DLT_RAW_BSD, DLT_RAW_OPENBSD -> "raw IP";
            case LOOP -> "OpenBSD loopback";
            case LINUX_SLL -> "Linux cooked (SLL)";
            case IPV4 -> "raw IPv4";
            case IPV6 -> "raw IPv6";
            case LINUX_SLL2 -> "Linux cooked v2 (SLL2)";
            default -> "unsupported";
        };
    }

    /** Strips the link-layer header of a frame of {@code linkType}. */
    public static Stripped strip(int linkType, byte[] frame) {
        return switch (linkType) {
            case ETHERNET -> ethernet(frame);
            case LINUX_SLL -> byEtherType(frame, SLL_HEADER, SLL_HEADER - 2);
            case LINUX_SLL2 -> byEtherType(frame, SLL2_HEADER, 0);
            case RAW, DLT_RAW_BSD, DLT_RAW_OPENBSD, IPV4, IPV6 -> Stripped.at(0);
            case NULL -> loopback(frame, false);
            case LOOP -> loopback(frame, true);
            default -> Stripped.none("link type " + linkType + " is not supported");
        };
    }

    private static Stripped ethernet(byte[] frame) {
        int typeOffset = ETHERNET_HEADER - 2;
        while (frame.length >= typeOffset + 2) {
            int type = u16(frame, typeOffset);
            if (type != ETHERTYPE_VLAN && type != ETHERTYPE_QINQ) {
                return byEtherType(frame, typeOffset + 2, typeOffset);
            }
            typeOffset += VLAN_TAG;
        }
        return Stripped.none("Ethernet header cut short");
    }

    private static Stripped byEtherType(byte[] frame, int headerLength, int typeOffset) {
        if (frame.length < headerLength) {
            return Stripped.none("link header cut short (" + frame.length + " of " + headerLength + " bytes)");
        }
        int type = u16(frame, typeOffset);
        if (type != ETHERTYPE_IPV4 && type != ETHERTYPE_IPV6) {
            return Stripped.none(String.format("not IP (ethertype 0x%04x)", type));
        }
        return Stripped.at(headerLength);
    }

    /** BSD loopback: a 4-byte address family in the writer's byte order (NULL) or network order (LOOP). */
    private static Stripped loopback(byte[] frame, boolean networkOrder) {
        if (frame.length < LOOPBACK_HEADER) {
            return Stripped.none("loopback header cut short");
        }
        ByteBuffer header = ByteBuffer.wrap(frame, 0, LOOPBACK_HEADER);
        int family = header.order(networkOrder ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN).getInt(0);
        if (!networkOrder && (family & 0xFFFF) == 0) {
            family = Integer.reverseBytes(family); // written on a big-endian host
        }
        if (family != AF_INET && !AF_INET6.contains(family)) {
            return Stripped.none("not IP (address family " + family + ")");
        }
        return Stripped.at(LOOPBACK_HEADER);
    }

    private static int u16(byte[] bytes, int offset) {
        return (bytes[offset] & 0xFF) << 8 | bytes[offset + 1] & 0xFF;
    }
}
