package io.tcpsim.wire;

/** IPv4 addresses as raw {@code int}s in network order (RFC 791 §3.2), with text helpers. */
public final class Ipv4Address {
    private static final int OCTETS = 4;
    private static final int MAX_OCTET_DIGITS = 3;

    private Ipv4Address() {
    }

    /** Dotted-decimal text, e.g. {@code 10.0.0.1}. */
    public static String format(int addr) {
        return (addr >>> 24) + "." + (addr >>> 16 & 0xFF) + "." + (addr >>> 8 & 0xFF) + "." + (addr & 0xFF);
    }

    /**
     * Parses strict dotted-decimal text: four decimal octets 0..255, no leading zeros (which
     * inet_pton rejects as ambiguous with octal), no spaces.
     *
     * @throws IllegalArgumentException naming the problem
     */
    public static int parse(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != OCTETS) {
            throw new IllegalArgumentException("not a dotted-quad IPv4 address: '" + text + "'");
        }
        int addr = 0;
        for (String part : parts) {
            addr = addr << 8 | parseOctet(part, text);
        }
        return addr;
    }

    /** 224.0.0.0/4 (RFC 5771). */
    public static boolean isMulticast(int addr) {
        return (addr >>> 28) == 0xE;
    }

    /** The limited broadcast address 255.255.255.255 (RFC 919). */
    public static boolean isBroadcast(int addr) {
        return addr == -1;
    }

    /** 127.0.0.0/8 (RFC 1122 §3.2.1.3). */
    public static boolean isLoopback(int addr) {
        return (addr >>> 24) == 127;
    }

    /** 0.0.0.0 (RFC 1122 §3.2.1.3). */
    public static boolean isUnspecified(int addr) {
        return addr == 0;
    }

    private static int parseOctet(String part, String text) {
        boolean digits = !part.isEmpty() && part.length() <= MAX_OCTET_DIGITS
                && part.chars().allMatch(c -> c >= '0' && c <= '9');
        if (!digits) {
            throw new IllegalArgumentException("bad octet '" + part + "' in IPv4 address '" + text + "'");
        }
        if (part.length() > 1 && part.charAt(0) == '0') {
            throw new IllegalArgumentException("leading zero in octet '" + part + "' of '" + text + "'");
        }
        int value = Integer.parseInt(part);
        if (value > 255) {
            throw new IllegalArgumentException("octet " + value + " > 255 in IPv4 address '" + text + "'");
        }
        return value;
    }
}
