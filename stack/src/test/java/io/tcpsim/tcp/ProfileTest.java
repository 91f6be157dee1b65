package io.tcpsim.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The profiles' settings, the buffer rules and the window scale rules they rest on. */
class ProfileTest {

    @Test
    void linuxIsTheStacksOwnDefaults() {
        assertEquals(TcpConfig.linuxDefaults(1500), Profile.LINUX.tcpConfig(1500));
        TcpConfig c = Profile.LINUX.tcpConfig(1500);
        assertEquals(BufferRules.LINUX, c.bufferRules());
        assertEquals(OptionLayout.LINUX, c.optionLayout());
        assertTrue(c.quickSynRetry());
        assertFalse(c.ackRepeatsFin());
        assertEquals(ResetErrors.LINUX, c.resetErrors());
        assertFalse(c.timeWaitNeedsAck());
        assertTrue(c.dropSynFin());
        assertFalse(c.shutdownReadDiscards());
        assertFalse(c.lateShutdownDisconnects());
        assertFalse(c.synTextKept());
        assertTrue(c.requestRstAtWindowEnd());
        assertFalse(c.bsdDelayedAck());
        assertEquals(RtoPolicy.LINUX, c.rtoPolicy());
        assertEquals(Duration.ofSeconds(120), c.rtoMax());
        assertEquals(15, c.retries2());
        assertEquals(Duration.ZERO, c.keepInit(), "Linux has no establishment timer nor TCP_KEEPINIT");
    }

    @Test
    void freebsdHasFreeBsdsDefaultsAndRules() {
        TcpConfig c = Profile.FREEBSD.tcpConfig(1500);
        assertEquals(6, c.windowScale());
        assertEquals(65_536, c.receiveBuffer());
        assertEquals(32_768, c.sendBuffer());
        assertEquals(12, c.synRetries());
        assertEquals(BufferRules.FREEBSD, c.bufferRules());
        assertEquals(OptionLayout.FREEBSD, c.optionLayout());
        assertFalse(c.quickSynRetry());
        assertTrue(c.ackRepeatsFin());
        assertEquals(ResetErrors.FREEBSD, c.resetErrors());
        assertTrue(c.timeWaitNeedsAck());
        assertTrue(c.dropSynFin(), "net.inet.tcp.drop_synfin is a sysctl; the profile keeps the drop");
        assertTrue(c.shutdownReadDiscards());
        assertTrue(c.lateShutdownDisconnects());
        assertTrue(c.synTextKept());
        assertFalse(c.requestRstAtWindowEnd());
        assertTrue(c.bsdDelayedAck());
        assertEquals(RtoPolicy.FREEBSD, c.rtoPolicy());
        assertEquals(Duration.ofSeconds(64), c.rtoMax(), "TCPTV_REXMTMAX");
        assertEquals(12, c.retries2(), "TCP_MAXRXTSHIFT");
        assertEquals(Duration.ofSeconds(75), c.keepInit(), "net.inet.tcp.keepinit");
    }

    @Test
    void resetErrorsDifferInCloseWaitAndSynReceivedOnly() {
        assertEquals(TcpError.EPIPE, ResetErrors.LINUX.errorIn(TcpState.CLOSE_WAIT));
        assertEquals(TcpError.ECONNRESET, ResetErrors.LINUX.errorIn(TcpState.SYN_RECEIVED));
        assertEquals(TcpError.ECONNRESET, ResetErrors.FREEBSD.errorIn(TcpState.CLOSE_WAIT));
        assertEquals(TcpError.ECONNREFUSED, ResetErrors.FREEBSD.errorIn(TcpState.SYN_RECEIVED));
        for (TcpState s : new TcpState[] {TcpState.ESTABLISHED, TcpState.FIN_WAIT_1, TcpState.FIN_WAIT_2,
                TcpState.CLOSING, TcpState.LAST_ACK}) {
            assertEquals(TcpError.ECONNRESET, ResetErrors.LINUX.errorIn(s), s.name());
            assertEquals(TcpError.ECONNRESET, ResetErrors.FREEBSD.errorIn(s), s.name());
        }
    }

    @Test
    void profilesAreNamedCaseInsensitivelyAndOthersAreRefused() {
        assertEquals(Profile.FREEBSD, Profile.named(" FreeBSD\n"));
        assertEquals("linux", Profile.LINUX.label());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Profile.named("bsd"));
        assertTrue(e.getMessage().contains("linux or freebsd"), e.getMessage());
    }

    @Test
    void bufferRulesReportAndRoundAsEachStackDoes() {
        assertEquals(131_072, BufferRules.LINUX.reported(65_536));
        assertEquals(65_536, BufferRules.LINUX.dataBytes(131_072));
        assertEquals(65_536, BufferRules.FREEBSD.reported(65_536));
        assertEquals(65_700, BufferRules.FREEBSD.onMss(65_536, 1460), "FreeBSD tcp_mss(): roundup to the MSS");
        assertEquals(65_536, BufferRules.LINUX.onMss(65_536, 1460));
        assertEquals(1000, BufferRules.FREEBSD.onMss(1000, 1460), "a buffer below the MSS stays");
        assertEquals(64_240, BufferRules.LINUX.initialWindow(65_536, 1460));
        assertEquals(65_536, BufferRules.FREEBSD.initialWindow(65_536, 1460));
        assertThrows(IllegalArgumentException.class, () -> new BufferRules(3, false, false));
    }

    @Test
    void windowScaleFollowsTheBufferLimitByEachStacksRule() {
        assertEquals(7, TcpConfig.windowScaleFor(6L << 20), "Linux's default tcp_rmem maximum, 6 MB");
        assertEquals(8, TcpConfig.windowScaleFor(15L << 20), "the suites' defaults.sh, 15 MB");
        assertEquals(0, TcpConfig.windowScaleFor(65_535));
        assertEquals(9, TcpConfig.windowScaleFor(16L << 20), "16 MB: 65536 after 8 shifts is still one too many");
        assertEquals(14, TcpConfig.windowScaleFor(1L << 40));
        assertEquals(6, TcpConfig.bsdWindowScaleFor(2_097_152), "kern.ipc.maxsockbuf's default, 2 MB");
        assertEquals(0, TcpConfig.bsdWindowScaleFor(65_535));
    }
}
