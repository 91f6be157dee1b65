package io.tcpsim.tun;

import java.nio.ByteBuffer;
import java.util.Arrays;

/** Builds and inspects IPv4/UDP packets by hand (RFC 791, RFC 768) for the TUN tests. */
final class Ipv4Udp {
    static final int IPV4_HEADER = 20;
    static final int UDP_HEADER = 8;
    static final int PROTOCOL_UDP = 17;

    private Ipv4Udp() {
    }

    /** @return a 20-byte-header IPv4 packet carrying a UDP datagram with checksum 0 (none, RFC 768) */
    static byte[] build(byte[] source, byte[] destination, int sourcePort, int destinationPort, byte[] payload) {
        int total = IPV4_HEADER + UDP_HEADER + payload.length;
        ByteBuffer packet = ByteBuffer.allocate(total);
        packet.put((byte) 0x45).put((byte) 0).putShort((short) total)
                .putShort((short) 0x1234).putShort((short) 0x4000)
                .put((byte) 64).put((byte) PROTOCOL_UDP).putShort((short) 0)
                .put(source).put(destination);
        packet.putShort(10, (short) checksum(packet.array(), 0, IPV4_HEADER));
        packet.putShort((short) sourcePort).putShort((short) destinationPort)
                .putShort((short) (UDP_HEADER + payload.length)).putShort((short) 0)
                .put(payload);
        return packet.array();
    }

    /** @return the RFC 1071 Internet checksum of {@code length} bytes at {@code offset} */
    static int checksum(byte[] data, int offset, int length) {
        long sum = 0;
        for (int i = 0; i < length; i += 2) {
            int high = data[offset + i] & 0xff;
            int low = i + 1 < length ? data[offset + i + 1] & 0xff : 0;
            sum += (high << 8) | low;
        }
        while ((sum >> 16) != 0) {
            sum = (sum & 0xffff) + (sum >> 16);
        }
        return (int) (~sum & 0xffff);
    }

    static int version(byte[] packet) {
        return (packet[0] & 0xff) >> 4;
    }

    static int protocol(byte[] packet) {
        return packet[9] & 0xff;
    }

    static byte[] destination(byte[] packet) {
        return Arrays.copyOfRange(packet, 16, 20);
    }

    static int sourcePort(byte[] packet) {
        return ((packet[IPV4_HEADER] & 0xff) << 8) | (packet[IPV4_HEADER + 1] & 0xff);
    }

    static int destinationPort(byte[] packet) {
        return ((packet[IPV4_HEADER + 2] & 0xff) << 8) | (packet[IPV4_HEADER + 3] & 0xff);
    }

    static byte[] payload(byte[] packet) {
        return Arrays.copyOfRange(packet, IPV4_HEADER + UDP_HEADER, packet.length);
    }

    static boolean isIpv4Udp(byte[] packet) {
        return packet.length >= IPV4_HEADER + UDP_HEADER && version(packet) == 4 && protocol(packet) == PROTOCOL_UDP;
    }
}
