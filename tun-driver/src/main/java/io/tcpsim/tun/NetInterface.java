package io.tcpsim.tun;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Interface configuration inside a {@link NetNamespace} with iproute2 ({@code ip -n NS ...},
 * {@code ip-link(8)}, {@code ip-address(8)}, {@code ip-route(8)}). A failing command throws a
 * {@link CommandException} whose message holds the command line and {@code ip}'s stderr.
 */
public final class NetInterface {
    /** {@code ip -o link} prints {@code "N: NAME: <FLAGS> mtu M ..."}, NAME maybe {@code "veth0@if3"}. */
    private static final Pattern LINK_LINE = Pattern.compile("^\\d+: ([^:@\\s]+)(?:@[^:]+)?: ");
    private static final Pattern MTU = Pattern.compile(" mtu (\\d+) ");

    private final NetNamespace namespace;

    private NetInterface(NetNamespace namespace) {
        this.namespace = namespace;
    }

    /** @return the configurator for the interfaces of {@code namespace} */
    public static NetInterface in(NetNamespace namespace) {
        return new NetInterface(namespace);
    }

    /** {@code ip addr add CIDR dev IF}, e.g. {@code addAddress("tun0", "10.0.0.1/24")}. */
    public void addAddress(String ifName, String cidr) throws IOException {
        ip("addr", "add", cidr, "dev", ifName);
    }

    /**
     * {@code ip addr add LOCAL peer PEER dev IF}: the usual address of a point-to-point link. A TUN
     * has no link layer and no neighbours, so instead of a subnet it gets a local address and the
     * one address at the other end, and the kernel adds the route to {@code peer} through it.
     *
     * @param local e.g. {@code "10.0.0.1"}
     * @param peer e.g. {@code "10.0.0.2/32"}
     */
    public void addPeerAddress(String ifName, String local, String peer) throws IOException {
        ip("addr", "add", local, "peer", peer, "dev", ifName);
    }

    /** {@code ip route add CIDR dev IF}: sends a whole prefix into the interface. */
    public void addRoute(String cidr, String ifName) throws IOException {
        ip("route", "add", cidr, "dev", ifName);
    }

    /** {@code ip link set dev IF mtu N}. */
    public void setMtu(String ifName, int mtu) throws IOException {
        ip("link", "set", "dev", ifName, "mtu", Integer.toString(mtu));
    }

    /** {@code ip link set dev IF txqueuelen N}. */
    public void setTxQueueLength(String ifName, int packets) throws IOException {
        ip("link", "set", "dev", ifName, "txqueuelen", Integer.toString(packets));
    }

    /** {@code ip link set dev IF up}. */
    public void up(String ifName) throws IOException {
        ip("link", "set", "dev", ifName, "up");
    }

    /** {@code ip link set dev IF down}. */
    public void down(String ifName) throws IOException {
        ip("link", "set", "dev", ifName, "down");
    }

    /** @return the interface's MTU, read back with {@code ip -o link show dev IF} */
    public int mtu(String ifName) throws IOException {
        String line = ip("-o", "link", "show", "dev", ifName).stdout();
        Matcher matcher = MTU.matcher(line);
        if (!matcher.find()) {
            throw new IOException("no mtu in `ip -n " + namespace.name() + " -o link show dev " + ifName + "`: " + line);
        }
        return Integer.parseInt(matcher.group(1));
    }

    /** @return the names of the namespace's interfaces, in kernel order ({@code lo} first) */
    public List<String> links() throws IOException {
        List<String> names = new ArrayList<>();
        for (String line : ip("-o", "link", "show").stdout().split("\n")) {
            Matcher matcher = LINK_LINE.matcher(line);
            if (matcher.find()) {
                names.add(matcher.group(1));
            }
        }
        return names;
    }

    private ProcessResult ip(String... arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of("ip", "-n", namespace.name()));
        command.addAll(List.of(arguments));
        return Commands.check(command);
    }
}
