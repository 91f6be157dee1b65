package io.tcpsim.wire;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.HexFormat;

/** Byte vectors cut from the captures in shared/pcaps (tcpdump -x), and segment helpers. */
final class Vectors {
    /**
     * Linux 2.6 SYN over loopback (linux-lo-http-client-close.pcap frame 1): 127.0.0.1.55920 &gt;
     * 127.0.0.1.80, id 0x1b68, DF, ttl 64, seq 928549246, win 32767,
     * options [mss 16396,sackOK,TS val 1306300950 ecr 0,nop,wscale 2]; both checksums correct.
     */
    static final String LINUX_SYN = """
            4500 003c 1b68 4000 4006 2152 7f00 0001
            7f00 0001 da70 0050 3758 897e 0000 0000
            a002 7fff 1421 0000 0204 400c 0402 080a
            4ddc 9216 0000 0000 0103 0302""";

    /**
     * SYN-ACK with only an MSS option and 2 bytes of Ethernet padding after the 44-byte datagram
     * (linux-client-whois-server-close.pcap frame 2): 192.0.47.59.43 &gt; 10.0.2.15.44188,
     * id 18525, no DF, seq 9920001, ack 2239453443, win 65535, TCP checksum 0xb2ed correct.
     */
    static final String WHOIS_SYN_ACK_PADDED = """
            4500 002c 485d 0000 4006 3725 c000 2f3b
            0a00 020f 002b ac9c 0097 5e01 857b 5903
            6012 ffff b2ed 0000 0204 05b4 0000""";

    /**
     * IPv6 SYN (linux-ipv6-http-linktype-raw-101.pcap frame 1): 2001:618:400::5199:cc70.35997 &gt;
     * 2001:618:1:8000::5.80, hlim 64, seq 1792126180, win 5680,
     * options [mss 1420,sackOK,TS val 14491345 ecr 0,nop,wscale 2], checksum 0x7f69 correct.
     */
    static final String IPV6_SYN = """
            6000 0000 0028 0640 2001 0618 0400 0000
            0000 0000 5199 cc70 2001 0618 0001 8000
            0000 0000 0000 0005 8c9d 0050 6ad1 ace4
            0000 0000 a002 1630 7f69 0000 0204 058c
            0402 080a 00dd 1ed1 0000 0000 0103 0302""";

    /**
     * DNS query over UDP (windows-syn-timeout-no-answer.converted.pcap frame 1): 172.16.0.8.64417
     * &gt; 4.2.2.1.53, id 0x1789, no DF, ttl 128, UDP length 40, checksum 0x61cc correct;
     * "A? www.google.com." (32 bytes).
     */
    static final String DNS_QUERY = """
            4500 003c 1789 0000 8011 710d ac10 0008
            0402 0201 fba1 0035 0028 61cc 6138 0100
            0001 0000 0000 0000 0377 7777 0667 6f6f
            676c 6503 636f 6d00 0001 0001""";

    static final int LOCALHOST = 0x7f00_0001;

    private Vectors() {
    }

    static byte[] bytes(String hex) {
        return HexFormat.of().parseHex(hex.replaceAll("\\s+", ""));
    }

    /** The bytes in a fresh off-heap segment (as a TUN read would deliver them). */
    static MemorySegment offHeap(byte[] bytes) {
        MemorySegment seg = Arena.ofAuto().allocate(bytes.length);
        MemorySegment.copy(MemorySegment.ofArray(bytes), 0, seg, 0, bytes.length);
        return seg;
    }

    static MemorySegment segment(String hex) {
        return offHeap(bytes(hex));
    }

    static byte[] toBytes(MemorySegment seg) {
        return seg.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
    }
}
