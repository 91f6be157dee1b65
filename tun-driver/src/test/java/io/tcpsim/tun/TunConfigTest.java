package io.tcpsim.tun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TunConfigTest {

    @Test
    void fifteenBytesIsTheLongestName() {
        assertEquals("tcpsim-fifteen0", TunConfig.named("tcpsim-fifteen0").name());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TunConfig.named("tcpsim-sixteen00"));
        assertEquals("interface name 'tcpsim-sixteen00' is 16 bytes long: Linux allows at most 15 (IFNAMSIZ, <linux/if.h>)",
                e.getMessage());
    }

    @Test
    void lengthCountsUtf8Bytes() {
        assertThrows(IllegalArgumentException.class, () -> TunConfig.named("éééééééé"));
    }

    @Test
    void namesTheKernelWouldRejectAreRejected() {
        for (String bad : new String[] {".", "..", "a/b", "a:b", "a b", "a\tb"}) {
            assertThrows(IllegalArgumentException.class, () -> TunConfig.named(bad), bad);
        }
        assertThrows(NullPointerException.class, () -> TunConfig.named(null));
    }

    @Test
    void kernelNamedIsEmptyAndWithersChangeOneFlag() {
        TunConfig config = TunConfig.kernelNamed();
        assertEquals(new TunConfig("", false, false, false), config);
        assertEquals(new TunConfig("", true, false, false), config.withVnetHeader(true));
        assertEquals(new TunConfig("", false, true, false), config.withMultiQueue(true));
        assertEquals(new TunConfig("", false, false, true), config.withNonBlocking(true));
        assertTrue(TunConfig.named("tun%d").withVnetHeader(true).vnetHeader());
    }
}
