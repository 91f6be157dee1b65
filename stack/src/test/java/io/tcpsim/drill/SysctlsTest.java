package io.tcpsim.drill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcpsim.tcp.TcpConfig;
import org.junit.jupiter.api.Test;

/** The resource-limit and buffer sysctls a script may set map onto the stack's settings. */
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
    void tcpRmemAndTcpWmemSetTheAutotuningRangesAndTheWindowScale() {
        TcpConfig c = Sysctls.apply("sysctl -q net.ipv4.tcp_rmem=\"4096 540000 15728640\"", DEFAULTS).config();
        c = Sysctls.apply("sysctl -q net.ipv4.tcp_wmem=\"4096 262144 4194304\"", c).config();
        assertEquals(new TcpConfig.SocketMem(4096, 540_000, 15_728_640), c.tcpRmem());
        assertEquals(new TcpConfig.SocketMem(4096, 262_144, 4_194_304), c.tcpWmem());
        assertEquals(270_000, c.receiveBuffer(), "half of tcp_rmem[1] is data, as Linux starts");
        assertEquals(8, c.windowScale());
    }

    @Test
    void tcpModerateRcvbufZeroTurnsReceiveAutotuningOff() {
        assertTrue(DEFAULTS.moderateRcvbuf());
        assertFalse(Sysctls.apply("sysctl -w net.ipv4.tcp_moderate_rcvbuf=0", DEFAULTS).config().moderateRcvbuf());
    }

    @Test
    void aNegativeLimitIsIgnoredAndSaysWhy() {
        Sysctls.Outcome o = Sysctls.apply("sysctl -q net.ipv4.tcp_max_tw_buckets=-1", DEFAULTS);
        assertEquals(DEFAULTS.maxTwBuckets(), o.config().maxTwBuckets());
        assertEquals("ignored (net.ipv4.tcp_max_tw_buckets=-1: maxTwBuckets -1 is not in 0..2147483647)", o.note());
    }
}
