package io.tcpsim.tun;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@RequiresTun
@ExtendWith(FreshNamespace.class)
class NetInterfaceTest {

    @Test
    void freshNamespaceHasOnlyLoopback(NetNamespace ns) throws IOException {
        NetInterface interfaces = NetInterface.in(ns);
        assertEquals(List.of("lo"), interfaces.links());
        assertEquals(65536, interfaces.mtu("lo"));
    }

    @Test
    void peerAddressAddsTheRouteToThePeer(NetNamespace ns) throws IOException {
        try (TunDevice tun = ns.call(() -> TunDevice.open(TunConfig.named("tcpsim0")))) {
            NetInterface interfaces = NetInterface.in(ns);
            interfaces.addPeerAddress("tcpsim0", "10.0.0.1", "10.0.0.2/32");
            interfaces.addAddress("tcpsim0", "10.0.1.1/24");
            interfaces.up("tcpsim0");
            interfaces.addRoute("10.0.2.0/24", "tcpsim0");
            String addresses = ns.exec("ip", "-o", "-4", "addr", "show", "dev", "tcpsim0").orThrow().stdout();
            assertTrue(addresses.contains("inet 10.0.0.1 peer 10.0.0.2/32"), addresses);
            assertTrue(addresses.contains("inet 10.0.1.1/24"), addresses);
            String routes = ns.exec("ip", "-4", "route", "show", "dev", "tcpsim0").orThrow().stdout();
            assertTrue(routes.contains("10.0.0.2 proto kernel"), routes);
            assertTrue(routes.contains("10.0.2.0/24"), routes);
            interfaces.down("tcpsim0");
        }
    }

    @Test
    void failingCommandReportsItsStderr(NetNamespace ns) {
        CommandException e = assertThrows(CommandException.class,
                () -> NetInterface.in(ns).addAddress("nosuchdev0", "10.0.0.1/24"));
        assertTrue(e.getMessage().startsWith("`ip -n " + ns.name() + " addr add 10.0.0.1/24 dev nosuchdev0` failed (exit "),
                e.getMessage());
        assertTrue(e.getMessage().contains("Cannot find device \"nosuchdev0\""), e.getMessage());
        assertEquals(e.result().stderr().strip(), e.getMessage().substring(e.getMessage().indexOf("): ") + 3));
    }
}
