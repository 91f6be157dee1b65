package io.tcpsim.testsupport;

import java.util.Arrays;

/**
 * An IPv4 datagram carrying a TCP segment, built byte by byte so that a test can put anything in
 * any field (a data offset past the packet, an option of length 1, a total length that lies), then
 * {@link #bytes()} fills both checksums unless told not to. For the malformed-input tests and the
 * fuzz harness, which need packets the wire records refuse to build.
 */
public final class RawPacket {
    public static final int FIN = 0x01;
    public static final int SYN = 0x02;
    public static final int RST = 0x04;
    public static final int PSH = 0x08;
    public static final int ACK = 0x10;
    public static final int URG = 0x20;

    private static final int IP_HEADER = 20;
    private static final int TCP_HEADER = 20;

    private int src;
    private int dst;
    private int ttl = 64;
    private int protocol = 6;
    private int fragment;
    private int srcPort;
    private int dstPort;
    private int seq;
    private int ack;
    private int flags;
    private int window = 65_535;
    private int urgentPointer;
    private byte[] options = new byte[0];
    private byte[] payload = new byte[0];
    private int dataOffsetWords = -1;
    private int totalLengthDelta;
    private int ihlWords = 5;
    private boolean ipChecksum = true;
    private boolean tcpChecksum = true;

    public RawPacket(int src, int srcPort, int dst, int dstPort) {
        this.src = src;
        this.srcPort = srcPort;
        this.dst = dst;
        this.dstPort = dstPort;
    }

    public RawPacket seq(int value) {
        seq = value;
        return this;
    }

    public RawPacket ack(int value) {
        ack = value;
        return this;
    }

    public RawPacket flags(int value) {
        flags = value;
        return this;
    }

    public RawPacket window(int value) {
        window = value;
        return this;
    }

    public RawPacket urgentPointer(int value) {
        urgentPointer = value;
        return this;
    }

    /** Raw option bytes, padded with zeros (End-of-List) to a multiple of 4. */
    public RawPacket options(byte... value) {
        options = Arrays.copyOf(value, (value.length + 3) / 4 * 4);
        return this;
    }

    public RawPacket payload(byte[] value) {
        payload = value.clone();
        return this;
    }

    /** The data offset field as given (words), instead of the one the options imply. */
    public RawPacket dataOffset(int words) {
        dataOffsetWords = words;
        return this;
    }

    public RawPacket src(int value) {
        src = value;
        return this;
    }

    public RawPacket dst(int value) {
        dst = value;
        return this;
    }

    public RawPacket srcPort(int value) {
        srcPort = value;
        return this;
    }

    public RawPacket dstPort(int value) {
        dstPort = value;
        return this;
    }

    public RawPacket ttl(int value) {
        ttl = value;
        return this;
    }

    public RawPacket protocol(int value) {
        protocol = value;
        return this;
    }

    /** The flags and fragment offset word (e.g. 0x2000: more fragments). */
    public RawPacket fragment(int value) {
        fragment = value;
        return this;
    }

    /** Makes the IPv4 total length field lie by {@code delta} bytes. */
    public RawPacket totalLengthDelta(int delta) {
        totalLengthDelta = delta;
        return this;
    }

    /** The IHL field as given (words); the header stays 20 bytes long. */
    public RawPacket ihl(int words) {
        ihlWords = words;
        return this;
    }

    public RawPacket badIpChecksum() {
        ipChecksum = false;
        return this;
    }

    public RawPacket badTcpChecksum() {
        tcpChecksum = false;
        return this;
    }

    /** The datagram, checksums filled (unless spoiled on purpose). */
    public byte[] bytes() {
        int tcpLength = TCP_HEADER + options.length + payload.length;
        byte[] p = new byte[IP_HEADER + tcpLength];
        p[0] = (byte) (0x40 | ihlWords & 0xF);
        put16(p, 2, IP_HEADER + tcpLength + totalLengthDelta);
        put16(p, 6, fragment);
        p[8] = (byte) ttl;
        p[9] = (byte) protocol;
        put32(p, 12, src);
        put32(p, 16, dst);
        int t = IP_HEADER;
        put16(p, t, srcPort);
        put16(p, t + 2, dstPort);
        put32(p, t + 4, seq);
        put32(p, t + 8, ack);
        int offset = dataOffsetWords >= 0 ? dataOffsetWords : (TCP_HEADER + options.length) / 4;
        p[t + 12] = (byte) (offset << 4);
        p[t + 13] = (byte) flags;
        put16(p, t + 14, window);
        put16(p, t + 18, urgentPointer);
        System.arraycopy(options, 0, p, t + TCP_HEADER, options.length);
        System.arraycopy(payload, 0, p, t + TCP_HEADER + options.length, payload.length);
        int tcpSum = ~onesSum(p, t, tcpLength, pseudoHeader(tcpLength)) & 0xFFFF;
        put16(p, t + 16, tcpChecksum ? tcpSum : tcpSum ^ 0x5A5A);
        int ipSum = ~onesSum(p, 0, IP_HEADER, 0) & 0xFFFF;
        put16(p, 10, ipChecksum ? ipSum : ipSum ^ 0x5A5A);
        return p;
    }

    private int pseudoHeader(int tcpLength) {
        return (src >>> 16) + (src & 0xFFFF) + (dst >>> 16) + (dst & 0xFFFF) + protocol + tcpLength;
    }

    /** The RFC 1071 one's complement sum of {@code length} bytes from {@code from}, folded. */
    public static int onesSum(byte[] p, int from, int length, int initial) {
        long sum = initial & 0xFFFFFFFFL;
        for (int i = 0; i + 1 < length; i += 2) {
            sum += ((p[from + i] & 0xFF) << 8) | (p[from + i + 1] & 0xFF);
        }
        if ((length & 1) == 1) {
            sum += (p[from + length - 1] & 0xFF) << 8;
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (int) sum;
    }

    /** Writes the 16-bit big-endian {@code v} at {@code at}. */
    public static void put16(byte[] p, int at, int v) {
        p[at] = (byte) (v >>> 8);
        p[at + 1] = (byte) v;
    }

    /** Writes the 32-bit big-endian {@code v} at {@code at}. */
    public static void put32(byte[] p, int at, int v) {
        put16(p, at, v >>> 16);
        put16(p, at + 2, v);
    }

    /** The 32-bit big-endian value at {@code at}. */
    public static int get32(byte[] p, int at) {
        return ((p[at] & 0xFF) << 24) | ((p[at + 1] & 0xFF) << 16) | ((p[at + 2] & 0xFF) << 8) | (p[at + 3] & 0xFF);
    }
}
