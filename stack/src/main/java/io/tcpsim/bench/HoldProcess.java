package io.tcpsim.bench;

import java.io.IOException;
import java.util.List;

/**
 * A kernel-side load generator of its own, for {@code concurrent N}: a process holds at most
 * {@link #MAX_CONNECTIONS} sockets (RLIMIT_NOFILE), so N above that takes several. Started by
 * {@link Workloads} under {@code ip netns exec}, it opens its connections from one source address,
 * prints {@code held ECHOED FAILED}, keeps them open until its standard input closes, then closes
 * them. Its heap is not tcpsim's, so tcpsim's JVM measures only itself.
 */
public final class HoldProcess {

    /** Connections per process: below the 20,000 open files a process may have here, with room to spare. */
    static final int MAX_CONNECTIONS = 18_000;

    private HoldProcess() {
    }

    /** Arguments: SOURCE ADDRESS PORT COUNT. */
    public static void main(String[] args) throws IOException {
        System.setProperty("org.slf4j.simpleLogger.log.io.netty", "error");
        String source = args[0];
        String address = args[1];
        int port = Integer.parseInt(args[2]);
        int count = Integer.parseInt(args[3]);
        try (NettyLoad load = new NettyLoad(Thread.ofPlatform().daemon().factory(), 1);
                NettyLoad.Held held = load.hold(List.of(source), address, port, count, 128)) {
            System.out.println("held " + held.count() + " " + held.failed());
            System.out.flush();
            while (System.in.read() >= 0) {
                // Until the parent closes our standard input.
            }
        }
    }
}
