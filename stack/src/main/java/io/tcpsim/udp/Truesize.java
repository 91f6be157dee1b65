package io.tcpsim.udp;

/**
 * What Linux charges a received datagram against SO_RCVBUF: its skb's truesize, measured on Linux
 * 6.18 (x86-64) over loopback, where the differential tests' kernel side receives, by reading
 * {@code /proc/net/udp}'s rx_queue after one datagram of each payload size. Up to 16004 bytes the
 * data sits in one kmalloc'ed head (a 576-byte small head, or a power-of-two slab: 1 KiB .. 16 KiB)
 * plus the 256-byte {@code struct sk_buff}; larger datagrams get a small head and page fragments,
 * charged at their length. A datagram that arrives through a NIC or TUN is charged differently
 * (by its driver's buffers): tcpsim uses this one rule for all.
 */
final class Truesize {
    /** Payload sizes up to which a datagram costs the matching {@link #COST}. */
    private static final int[] UP_TO = {197, 645, 1669, 3717, 7813, 16004};
    private static final int[] COST = {832, 1280, 2304, 4352, 8448, 16640};
    /** Past 16004 bytes: a small head (576) and the sk_buff (256), plus the payload in pages. */
    private static final int PAGED_OVERHEAD = 832;

    private Truesize() {
    }

    static int of(int payloadLength) {
        for (int i = 0; i < UP_TO.length; i++) {
            if (payloadLength <= UP_TO[i]) {
                return COST[i];
            }
        }
        return payloadLength + PAGED_OVERHEAD;
    }
}
