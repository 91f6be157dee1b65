package io.tcpsim.wire;

import java.lang.foreign.MemorySegment;
import java.util.HexFormat;

/**
 * IPv6 address text (RFC 4291 §2.2). {@link #format} writes the RFC 5952 §4 canonical form:
 * lowercase, no leading zeros, the longest run of two or more zero groups (the first on a tie)
 * shortened to "::". Like tcpdump, a ::/96 address with a non-zero last 32 bits, or a
 * ::ffff:0:0/96 IPv4-mapped address, ends in dotted-quad (RFC 5952 §5).
 */
public final class Ipv6Address {
    private static final int GROUPS = 8;
    private static final int MAX_GROUP_DIGITS = 4;

    private Ipv6Address() {
    }

    /** Canonical text of a 16-byte address. */
    public static String format(byte[] addr) {
        return format(MemorySegment.ofArray(addr));
    }

    /** Canonical text of the 16 bytes at the start of {@code addr}. */
    public static String format(MemorySegment addr) {
        int[] groups = new int[GROUPS];
        for (int i = 0; i < GROUPS; i++) {
            groups[i] = NetworkOrder.u16(addr, 2L * i);
        }
        int[] run = longestZeroRun(groups);
        int start = run[0];
        int length = run[1];
        if (start == 0 && (length == 6 || length == 5 && groups[5] == 0xFFFF)) {
            String prefix = length == 5 ? "::ffff:" : "::";
            return prefix + Ipv4Address.format(NetworkOrder.i32(addr, 12));
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < GROUPS; i++) {
            if (i == start) {
                out.append("::");
                i += length - 1;
            } else {
                if (!out.isEmpty() && out.charAt(out.length() - 1) != ':') {
                    out.append(':');
                }
                out.append(Integer.toHexString(groups[i]));
            }
        }
        return out.toString();
    }

    /**
     * Parses RFC 4291 §2.2 text: eight hex groups, at most one "::", optionally ending in a
     * dotted-quad IPv4 address.
     *
     * @return the 16 address bytes
     * @throws IllegalArgumentException naming the problem
     */
    public static byte[] parse(String text) {
        int gap = text.indexOf("::");
        if (gap >= 0 && text.indexOf("::", gap + 1) >= 0) {
            throw new IllegalArgumentException("more than one '::' in IPv6 address '" + text + "'");
        } else if (gap >= 0 && text.substring(0, gap).contains(".")) {
            throw new IllegalArgumentException("dotted quad not at the end of IPv6 address '" + text + "'");
        }
        int[] head = gap < 0 ? parseGroups(text, text) : parseGroups(text.substring(0, gap), text);
        int[] tail = gap < 0 ? new int[0] : parseGroups(text.substring(gap + 2), text);
        int missing = GROUPS - head.length - tail.length;
        if (gap < 0 ? missing != 0 : missing < 1) {
            throw new IllegalArgumentException("wrong number of groups in IPv6 address '" + text + "'");
        }
        byte[] addr = new byte[Ipv6Packet.ADDRESS_LENGTH];
        for (int i = 0; i < head.length; i++) {
            putGroup(addr, i, head[i]);
        }
        for (int i = 0; i < tail.length; i++) {
            putGroup(addr, GROUPS - tail.length + i, tail[i]);
        }
        return addr;
    }

    /** {start, length} of the longest run of at least two zero groups, or {-1, 0}. */
    private static int[] longestZeroRun(int[] groups) {
        int bestStart = -1;
        int bestLength = 0;
        int i = 0;
        while (i < GROUPS) {
            int j = i;
            while (j < GROUPS && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength && j - i >= 2) {
                bestStart = i;
                bestLength = j - i;
            }
            i = Math.max(j, i + 1);
        }
        return new int[] {bestStart, bestLength};
    }

    private static int[] parseGroups(String part, String text) {
        if (part.isEmpty()) {
            return new int[0];
        }
        String[] pieces = part.split(":", -1);
        String last = pieces[pieces.length - 1];
        boolean dotted = last.contains(".");
        int[] groups = new int[pieces.length + (dotted ? 1 : 0)];
        for (int i = 0; i < pieces.length - (dotted ? 1 : 0); i++) {
            groups[i] = parseGroup(pieces[i], text);
        }
        if (dotted) {
            int v4 = Ipv4Address.parse(last);
            groups[pieces.length - 1] = v4 >>> 16;
            groups[pieces.length] = v4 & 0xFFFF;
        }
        return groups;
    }

    private static int parseGroup(String group, String text) {
        boolean hex = !group.isEmpty() && group.length() <= MAX_GROUP_DIGITS
                && group.chars().allMatch(HexFormat::isHexDigit);
        if (!hex) {
            throw new IllegalArgumentException("bad group '" + group + "' in IPv6 address '" + text + "'");
        }
        return Integer.parseInt(group, 16);
    }

    private static void putGroup(byte[] addr, int index, int value) {
        addr[2 * index] = (byte) (value >>> 8);
        addr[2 * index + 1] = (byte) value;
    }
}
