package io.tcpsim.ip;

import io.tcpsim.wire.IpAddress;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Linux's two limits on the ICMP errors a host sends (RFC 1812 §4.3.2.8 asks for one; net/ipv4/icmp.c
 * has both), with their default sysctls, in Linux 6.18's order: the host-wide bucket is checked,
 * then the destination's bucket, and only when both allow is a host-wide credit spent.
 * <ul>
 *   <li>host-wide ({@code icmp_global_allow()}): {@code icmp_msgs_per_sec} = 1000 credits a second,
 *       at most {@code icmp_msgs_burst} = 50 saved; refilled only when empty and at least 20 ms
 *       (HZ/50) have passed. Linux: each message spends a random 0..2 credits (against side
 *       channels); tcpsim spends exactly 1, the mean, so that tests are deterministic.</li>
 *   <li>per destination ({@code inet_peer_xrlim_allow()}): a bucket of time, {@code icmp_ratelimit}
 *       = 1000 ms a message, holding at most {@code XRLIM_BURST_FACTOR} = 6 messages; a new
 *       destination starts full. Linux keeps the buckets in the inetpeer cache; tcpsim keeps the
 *       4096 most recent destinations (an older one starts full again, which a bucket idle for 6 s
 *       is anyway).</li>
 * </ul>
 * Only the types in {@code icmp_ratemask} (0x1818: destination unreachable, source quench, time
 * exceeded, parameter problem) are limited, and never "fragmentation needed" (type 3 code 4).
 * Stack thread only.
 */
final class IcmpRateLimiter {
    /** Verdicts: sent, or which limit stopped it. */
    enum Verdict { ALLOW, GLOBAL_LIMIT, HOST_LIMIT }

    static final int RATE_MASK = 0x1818;
    static final int MSGS_PER_SEC = 1000;
    static final int MSGS_BURST = 50;
    static final long PEER_INTERVAL_NANOS = 1_000_000_000L;
    static final int PEER_BURST = 6;

    private static final long SECOND = 1_000_000_000L;
    /** HZ/50: the shortest gap after which the host-wide bucket is refilled. */
    private static final long MIN_REFILL_GAP = SECOND / 50;
    private static final int MAX_PEERS = 4096;
    /** Linux NR_ICMP_TYPES: types above it are never limited. */
    private static final int NR_ICMP_TYPES = 18;
    private static final int TYPE_DEST_UNREACHABLE = 3;
    private static final int CODE_FRAG_NEEDED = 4;
    private static final int ICMPV6_PACKET_TOO_BIG = 2;
    private static final int ICMPV6_LAST_ERROR = 127;

    private long credit;
    private long stamp;
    private boolean refilledOnce;
    private final Map<Object, long[]> peers = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Object, long[]> eldest) {
            return size() > MAX_PEERS;
        }
    };

    /** Whether an ICMP error of {@code type}/{@code code} to {@code dst} may go out at {@code now}. */
    Verdict check(int type, int code, int dst, long now) {
        if (!limited(type, code)) {
            return Verdict.ALLOW;
        } else if (!globalAllow(now)) {
            return Verdict.GLOBAL_LIMIT;
        } else if (!peerAllow(dst, now)) {
            return Verdict.HOST_LIMIT;
        }
        credit--; // icmp_global_consume()
        return Verdict.ALLOW;
    }

    /**
     * The same two limits for ICMPv6 (Linux icmpv6_mask_allow(), icmpv6_xrlim_allow()): limited are
     * the types of {@code icmpv6_ratemask} = "0-1,3-127", every error but packet too big, which
     * path MTU discovery needs (RFC 4443 §2.4 (f)).
     */
    Verdict checkIpv6(int type, IpAddress dst, long now) {
        if (type == ICMPV6_PACKET_TOO_BIG || type > ICMPV6_LAST_ERROR) {
            return Verdict.ALLOW;
        } else if (!globalAllow(now)) {
            return Verdict.GLOBAL_LIMIT;
        } else if (!peerAllow(dst, now)) {
            return Verdict.HOST_LIMIT;
        }
        credit--;
        return Verdict.ALLOW;
    }

    /** icmpv4_mask_allow() inverted. */
    private static boolean limited(int type, int code) {
        if (type > NR_ICMP_TYPES || (type == TYPE_DEST_UNREACHABLE && code == CODE_FRAG_NEEDED)) {
            return false;
        }
        return (RATE_MASK & (1 << type)) != 0;
    }

    /** icmp_global_allow(). */
    private boolean globalAllow(long now) {
        if (credit > 0) {
            return true;
        }
        long delta = refilledOnce ? Math.min(now - stamp, SECOND) : SECOND;
        if (delta < MIN_REFILL_GAP) {
            return false;
        }
        long increment = MSGS_PER_SEC * delta / SECOND;
        if (increment == 0) {
            return false;
        }
        refilledOnce = true;
        stamp = now;
        credit = Math.min(credit + increment, MSGS_BURST);
        return true;
    }

    /** inet_peer_xrlim_allow(): the bucket is time, one interval per message. */
    private boolean peerAllow(Object dst, long now) {
        long max = PEER_BURST * PEER_INTERVAL_NANOS;
        long[] bucket = peers.computeIfAbsent(dst, d -> new long[] {0, now - 60 * SECOND});
        long tokens = Math.min(bucket[0] + (now - bucket[1]), max);
        bucket[1] = now;
        boolean allowed = tokens >= PEER_INTERVAL_NANOS;
        bucket[0] = allowed ? tokens - PEER_INTERVAL_NANOS : tokens;
        return allowed;
    }
}
