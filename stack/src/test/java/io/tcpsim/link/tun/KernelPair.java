package io.tcpsim.link.tun;

import io.tcpsim.tun.NetNamespace;
import io.tcpsim.tun.ProcessResult;
import java.io.IOException;

/**
 * The referee: two namespaces joined by a veth pair, the kernel's TCP on both sides (server
 * 10.9.0.1, client 10.9.0.2), so that a test can run a scenario kernel-to-kernel and compare it
 * with tcpsim. Both namespaces are deleted on close, even when a step failed.
 */
final class KernelPair implements AutoCloseable {

    static final String SERVER = "10.9.0.1";
    static final String CLIENT = "10.9.0.2";

    private final NetNamespace server;
    private final NetNamespace client;

    private KernelPair(NetNamespace server, NetNamespace client) {
        this.server = server;
        this.client = client;
    }

    static KernelPair create() throws IOException {
        NetNamespace.reapStale(LiveStack.NAMESPACE_PREFIX);
        NetNamespace server = NetNamespace.create(NetNamespace.uniqueName(LiveStack.NAMESPACE_PREFIX));
        NetNamespace client = null;
        try {
            client = NetNamespace.create(NetNamespace.uniqueName(LiveStack.NAMESPACE_PREFIX));
            ip("link", "add", "vs", "netns", server.name(), "type", "veth", "peer", "name", "vc", "netns", client.name());
            configure(server, "vs", SERVER);
            configure(client, "vc", CLIENT);
            return new KernelPair(server, client);
        } catch (IOException | RuntimeException e) {
            server.delete();
            if (client != null) {
                client.delete();
            }
            throw e;
        }
    }

    private static void configure(NetNamespace namespace, String ifName, String address) throws IOException {
        namespace.sysctl("net.ipv6.conf.all.disable_ipv6", "1");
        ip("-n", namespace.name(), "addr", "add", address + "/24", "dev", ifName);
        ip("-n", namespace.name(), "link", "set", ifName, "up");
    }

    private static void ip(String... args) throws IOException {
        String[] command = new String[args.length + 1];
        command[0] = "ip";
        System.arraycopy(args, 0, command, 1, args.length);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String output = new String(process.getInputStream().readAllBytes());
            if (process.waitFor() != 0) {
                throw new IOException(String.join(" ", command) + " failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    <T> T onServer(NetNamespace.Task<T, Exception> task) throws Exception {
        return server.call(task);
    }

    <T> T onClient(NetNamespace.Task<T, Exception> task) throws Exception {
        return client.call(task);
    }

    String clientNamespace() {
        return client.name();
    }

    ProcessResult execOnServer(String... command) throws IOException {
        return server.exec(command);
    }

    ProcessResult execOnClient(String... command) throws IOException {
        return client.exec(command);
    }

    /** A process builder for {@code command} on the server side, for a process the test starts and ends itself. */
    ProcessBuilder commandOnServer(String... command) {
        return server.command(command);
    }

    @Override
    public void close() throws IOException {
        try {
            server.delete();
        } finally {
            client.delete();
        }
    }
}
