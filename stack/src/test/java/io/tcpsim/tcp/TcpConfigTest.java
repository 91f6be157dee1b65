package io.tcpsim.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Linux's defaults (linux-tcp.md) and the copy methods. */
class TcpConfigTest {

    @Test
    void linuxDefaultsMatchTheKernel() {
        TcpConfig c = TcpConfig.linuxDefaults(1500);
        assertEquals(1460, c.mss());
        assertEquals(Duration.ofSeconds(60), c.timeWait());
        assertEquals(Duration.ofSeconds(60), c.finTimeout());
        assertEquals(6, c.synRetries());
        assertEquals(5, c.synAckRetries());
        assertEquals(8, c.orphanRetries());
        assertEquals(15, c.retries2());
        assertEquals(Duration.ofSeconds(1), c.initialRto());
        assertEquals(Duration.ofSeconds(120), c.rtoMax());
        assertEquals(4096, c.somaxconn());
        assertEquals(128, c.maxSynBacklog());
        assertFalse(c.abortOnOverflow());
        assertEquals(7, c.windowScale());
        assertEquals(Integer.MAX_VALUE, c.challengeAckLimit());
        assertEquals(Duration.ofMillis(500), c.invalidRateLimit());
        assertEquals(32768, c.ephemeralLow());
        assertEquals(60999, c.ephemeralHigh());
        assertTrue(c.rfc1337(), "TIME_WAIT ignores RST by default (RFC 1337)");
        assertEquals(Duration.ofSeconds(7200), c.keepAliveTime());
        assertEquals(Duration.ofSeconds(75), c.keepAliveInterval());
        assertEquals(9, c.keepAliveProbes());
    }

    @Test
    void keepAliveSettingsAreCheckedAndCarriedToConnections() {
        TcpConfig base = TcpConfig.linuxDefaults(1500);
        assertThrows(IllegalArgumentException.class, () -> base.withKeepAlive(Duration.ZERO, Duration.ofSeconds(1), 1));
        assertThrows(IllegalArgumentException.class, () -> base.withKeepAlive(Duration.ofSeconds(1), Duration.ofSeconds(1), 0));
        TcbHarness h = new TcbHarness(base.withTimestamps(false)
                .withKeepAlive(Duration.ofSeconds(30), Duration.ofSeconds(5), 2)).established();
        assertEquals(Duration.ofSeconds(30).toNanos(), h.conn.keepAlive.idleNanos);
        assertEquals(Duration.ofSeconds(5).toNanos(), h.conn.keepAlive.intervalNanos);
        assertEquals(2, h.conn.keepAlive.probes);
    }

    @Test
    void copyMethodsChangeOneSetting() {
        TcpConfig base = TcpConfig.linuxDefaults(1500);
        TcpConfig short2msl = base.withTimeWait(Duration.ofMillis(100)).withSynRetries(2);
        assertEquals(Duration.ofMillis(100), short2msl.timeWait());
        assertEquals(2, short2msl.synRetries());
        assertEquals(base.withTimeWait(Duration.ofMillis(100)).withSynRetries(2), short2msl);
        assertEquals(base.mss(), short2msl.mss());
    }

    @Test
    void impossibleSettingsAreRejected() {
        TcpConfig base = TcpConfig.linuxDefaults(1500);
        assertThrows(IllegalArgumentException.class, () -> base.withWindowScale(15));
        assertThrows(IllegalArgumentException.class, () -> base.withEphemeralRange(61000, 60000));
        assertThrows(IllegalArgumentException.class, () -> base.withTimeWait(Duration.ofSeconds(-1)));
        assertThrows(IllegalArgumentException.class, () -> TcpConfig.linuxDefaults(100));
        assertThrows(IllegalArgumentException.class, () -> TcpConfig.linuxDefaults(65536));
        assertEquals(65495, TcpConfig.linuxDefaults(65535).mss());
    }
}
