package io.tcpsim.link.tun;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcpsim.testsupport.RequiresTun;
import io.tcpsim.wire.Ipv4Address;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A TUN's transmit queue: the kernel's 500 unless the config asks for more (as tcpsim bench does). */
@RequiresTun
class TxQueueLengthTest {
    private static final String PREFIX = "tcpsim-txq";

    @Test
    void theTunKeepsTheKernelsQueueByDefaultAndTakesTheLengthAsked() throws Exception {
        assertTrue(linkLine(config()).contains(" qlen 500"), "the kernel's default");
        assertTrue(linkLine(config().withTxQueueLength(8192)).contains(" qlen 8192"), "the length asked for");
    }

    @Test
    void aQueueWithoutRoomIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> config().withTxQueueLength(0));
    }

    private static TunNetwork.Config config() {
        return new TunNetwork.Config(TunNetwork.uniqueNamespace(PREFIX), "tun0", Ipv4Address.parse("10.0.0.1"),
                Ipv4Address.parse("10.0.0.2"), 1500);
    }

    /** {@code ip -o link show tun0} in the config's namespace, which is removed afterwards. */
    private static String linkLine(TunNetwork.Config config) throws IOException, InterruptedException {
        String line;
        try (TunNetwork network = TunNetwork.create(config)) {
            Process ip = new ProcessBuilder("ip", "-n", network.namespace(), "-o", "link", "show", "tun0")
                    .redirectErrorStream(true).start();
            line = new String(ip.getInputStream().readAllBytes());
            assertTrue(ip.waitFor(10, TimeUnit.SECONDS), "ip finished");
        }
        assertFalse(TunNetwork.namespaceExists(config.namespace()), "the namespace is removed");
        return line;
    }
}
