package io.tcpsim.wire;

/** Why a packet was rejected; one constant per rule, each with a short human description. */
public enum Malformed {
    TRUNCATED("buffer shorter than the fixed header"),
    IP_BAD_VERSION("IP version is neither 4 nor 6"),

    IPV4_BAD_VERSION("IPv4 version field is not 4"),
    IPV4_BAD_IHL("IPv4 IHL below 5 (20 bytes)"),
    IPV4_TOTAL_LENGTH_TOO_SHORT("IPv4 total length below 20"),
    IPV4_IHL_PAST_TOTAL_LENGTH("IPv4 header length past the total length"),
    IPV4_TOTAL_LENGTH_PAST_BUFFER("IPv4 total length past the end of the buffer"),
    IPV4_BAD_CHECKSUM("IPv4 header checksum mismatch"),

    TCP_BAD_DATA_OFFSET("TCP data offset below 5 (20 bytes)"),
    TCP_DATA_OFFSET_PAST_PACKET("TCP data offset past the end of the segment"),
    TCP_OPTION_LENGTH_INVALID("TCP option length 0 or 1"),
    TCP_OPTION_PAST_HEADER("TCP option runs past the header"),
    TCP_OPTION_BAD_MSS_LENGTH("TCP MSS option length is not 4"),
    TCP_OPTION_BAD_WINDOW_SCALE_LENGTH("TCP window scale option length is not 3"),
    TCP_OPTION_BAD_SACK_PERMITTED_LENGTH("TCP SACK-permitted option length is not 2"),
    TCP_OPTION_BAD_SACK_LENGTH("TCP SACK option length is not 2 + 8n with n >= 1"),
    TCP_OPTION_BAD_TIMESTAMPS_LENGTH("TCP timestamps option length is not 10"),
    TCP_BAD_CHECKSUM("TCP checksum mismatch"),

    UDP_BAD_LENGTH("UDP length field below 8"),
    UDP_LENGTH_PAST_PACKET("UDP length field past the end of the datagram"),
    UDP_BAD_CHECKSUM("UDP checksum mismatch"),
    UDP_ZERO_CHECKSUM_IPV6("UDP over IPv6 without a checksum (field 0)"),

    ICMP_TRUNCATED("ICMP message shorter than 8 bytes"),
    ICMP_BAD_CHECKSUM("ICMP checksum mismatch"),
    ICMP_QUOTE_BAD_HEADER("ICMP error quotes no IPv4 header (version 4, IHL >= 5)"),
    ICMP_QUOTE_TRUNCATED("ICMP error quotes less than the IP header and 8 bytes"),

    IPV6_BAD_VERSION("IPv6 version field is not 6"),
    IPV6_PAYLOAD_LENGTH_PAST_BUFFER("IPv6 payload length past the end of the buffer"),
    IPV6_EXT_HEADER_TRUNCATED("IPv6 extension header shorter than its fixed part"),
    IPV6_EXT_HEADER_PAST_PAYLOAD("IPv6 extension header length past the payload"),
    IPV6_HOP_BY_HOP_NOT_FIRST("IPv6 hop-by-hop options header not right after the IPv6 header"),
    IPV6_TOO_MANY_EXT_HEADERS("IPv6 extension header chain longer than the walk allows"),

    ICMPV6_TRUNCATED("ICMPv6 message shorter than 8 bytes"),
    ICMPV6_BAD_CHECKSUM("ICMPv6 checksum mismatch");

    private final String description;

    Malformed(String description) {
        this.description = description;
    }

    /** A short human description, e.g. for logs and the tcpdump-style formatter. */
    public String description() {
        return description;
    }
}
