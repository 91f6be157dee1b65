package io.tcpsim.drill;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.tcpsim.tcp.TcpConfig;
import org.junit.jupiter.api.Test;

/** The resource-limit sysctls a script may set map onto the stack's settings. */
class SysctlsTest {
    private static final TcpConfig DEFAULTS = TcpConfig.linuxDefaults(1500);

    @Test
    void tcpMaxTwBucketsSetsTheTimeWaitLimit() {
        Sysctls.Outcome o = Sysctls.apply("sysctl -q net.ipv4.tcp_max_tw_buckets=5", DEFAULTS);
        assertEquals(5, o.config().maxTwBuckets());
        assertEquals("mapped net.ipv4.tcp_max_tw_buckets=5", o.note());
    }

    @Test
    void tcpMaxOrphansSetsTheOrphanLimit() {
        assertEquals(7, Sysctls.apply("sysctl -w net.ipv4.tcp_max_orphans=7", DEFAULTS).config().maxOrphans());
    }

    @Test
    void aNegativeLimitIsIgnoredAndSaysWhy() {
        Sysctls.Outcome o = Sysctls.apply("sysctl -q net.ipv4.tcp_max_tw_buckets=-1", DEFAULTS);
        assertEquals(DEFAULTS.maxTwBuckets(), o.config().maxTwBuckets());
        assertEquals("ignored (net.ipv4.tcp_max_tw_buckets=-1: maxTwBuckets -1 is not in 0..2147483647)", o.note());
    }
}
