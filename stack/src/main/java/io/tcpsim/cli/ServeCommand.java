package io.tcpsim.cli;

import io.tcpsim.NetStack;
import io.tcpsim.StackConfig;
import io.tcpsim.StackShards;
import io.tcpsim.app.SampleServers;
import io.tcpsim.app.Service;
import io.tcpsim.control.ControlServer;
import io.tcpsim.link.LinkDevice;
import io.tcpsim.link.PcapTap;
import io.tcpsim.link.PcapWriter;
import io.tcpsim.link.tun.TunNetwork;
import io.tcpsim.socket.SocketApi;
import io.tcpsim.socket.SocketLimits;
import io.tcpsim.time.Clock;
import io.tcpsim.time.SystemClock;
import io.tcpsim.wire.IpAddress;
import io.tcpsim.wire.Ipv4Address;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code tcpsim serve}: a live tcpsim peer. Creates a network namespace, a TUN inside it with the
 * kernel's address on the TUN and tcpsim's address behind it, runs the stack until Ctrl-C or
 * SIGTERM, then removes everything it created.
 */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = {"Run a live tcpsim peer on a TUN inside its own network namespace.",
                "Example: tcpsim serve --pcap /tmp/tcpsim.pcap   (then: tcpsim exec -- ping 10.0.0.2)",
                "         tcpsim serve --services echo,http:8080   (only echo on 7 and HTTP on 8080)"})
final class ServeCommand implements Callable<Integer> {

    private static final long CLEANUP_TIMEOUT_SECONDS = 10;
    private static final int IPV6_MIN_MTU = 1280;
    private static final int MAX_QUEUES = 16;

    @Spec
    CommandSpec spec;

    @Option(names = "--ns", defaultValue = "tcpsim", description = "Namespace to create (default: ${DEFAULT-VALUE}).")
    String namespace;

    @Option(names = "--tun", defaultValue = "tun0", description = "TUN device name (default: ${DEFAULT-VALUE}).")
    String tunName;

    @Option(names = "--addr", defaultValue = "10.0.0.2", converter = Ipv4Converter.class,
            description = "tcpsim's IPv4 address (default: ${DEFAULT-VALUE}).")
    int address;

    @Option(names = "--kernel-addr", defaultValue = "10.0.0.1", converter = Ipv4Converter.class,
            description = "The kernel's address on the TUN (default: ${DEFAULT-VALUE}).")
    int kernelAddress;

    @Option(names = "--addr6", defaultValue = "fd00::2", converter = Ipv6Converter.class,
            description = "tcpsim's IPv6 address (default: ${DEFAULT-VALUE}, a unique local address, RFC 4193).")
    IpAddress address6;

    @Option(names = "--kernel-addr6", defaultValue = "fd00::1", converter = Ipv6Converter.class,
            description = "The kernel's IPv6 address on the TUN, usable at once (nodad) (default: ${DEFAULT-VALUE}).")
    IpAddress kernelAddress6;

    @Option(names = "--no-ipv6", description = "IPv4 only: no IPv6 address, IPv6 disabled in the namespace.")
    boolean noIpv6;

    @Option(names = "--mtu", defaultValue = "1500", description = "TUN MTU, 576 to 65535 (default: ${DEFAULT-VALUE}).")
    int mtu;

    @Option(names = "--pcap", paramLabel = "FILE", description = "Record every packet to FILE (pcap, raw IP).")
    Path pcap;

    @Option(names = "--offloads",
            description = "Open the TUN with IFF_VNET_HDR and checksum and TCP segmentation offloads (TSO): "
                    + "packets up to 64 KiB each way, checksums the kernel vouches for not verified.")
    boolean offloads;

    @Option(names = "--queues", paramLabel = "N", defaultValue = "1",
            description = {"TUN queues (IFF_MULTI_QUEUE), 1 to " + MAX_QUEUES + ", each with a stack thread of its own; "
                    + "connections sharded by 4-tuple as the kernel steers them, services listening on every shard "
                    + "(default: ${DEFAULT-VALUE}).",
                    "More than the machine has cores only adds contention."})
    int queues;

    @Option(names = "--services", paramLabel = "NAME[/tcp|/udp][:PORT],...", split = ",",
            defaultValue = "echo,discard,daytime,chargen,http",
            description = {"Sample servers to host, each on its well-known port or on PORT "
                    + "(default: ${DEFAULT-VALUE}: echo 7, discard 9, daytime 13, chargen 19, http 80).",
                    "echo, discard, daytime and chargen run over TCP and UDP; NAME/tcp or NAME/udp picks one "
                    + "(e.g. echo/udp:7007). An empty value hosts none."})
    List<String> serviceNames;

    @Option(names = "--echo", paramLabel = "PORT",
            description = "Host the echo service on PORT (default 7); short for echo:PORT in --services.")
    Integer echoPort;

    private final List<Service.On> services = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        validate();
        PrintWriter out = spec.commandLine().getOut();
        CountDownLatch cleanedUp = new CountDownLatch(1);
        try (ServeLock lock = ServeLock.acquire(namespace)) {
            if (lock.leftByCrashedServe() && TunNetwork.namespaceExists(namespace)) {
                out.println("removing namespace '" + namespace + "' left by a tcpsim serve that did not exit cleanly");
                TunNetwork.deleteNamespace(namespace);
            }
            int status = serve(out, cleanedUp);
            out.println("tcpsim stopped; namespace '" + namespace + "' removed");
            out.flush();
            return status;
        } finally {
            cleanedUp.countDown();
        }
    }

    private void validate() {
        Instance.checkName(spec, namespace);
        if (mtu < 576 || mtu > 65_535) {
            throw new ParameterException(spec.commandLine(), "--mtu must be between 576 and 65535, got " + mtu);
        }
        for (String name : serviceNames) {
            if (name.isEmpty()) {
                continue;
            }
            try {
                services.add(Service.On.parse(name));
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--services: " + e.getMessage());
            }
        }
        if (echoPort != null) {
            if (echoPort < 1 || echoPort > 65_535) {
                throw new ParameterException(spec.commandLine(), "--echo must be a port between 1 and 65535, got " + echoPort);
            }
            services.removeIf(on -> on.service() == Service.ECHO);
            services.add(new Service.On(Service.ECHO, echoPort));
        }
        if (Service.On.anyShareAPort(services)) {
            throw new ParameterException(spec.commandLine(), "--services: two services on one port");
        }
        if (queues < 1 || queues > MAX_QUEUES) {
            throw new ParameterException(spec.commandLine(), "--queues must be between 1 and " + MAX_QUEUES + ", got " + queues);
        }
        if (address == kernelAddress) {
            throw new ParameterException(spec.commandLine(), "--addr and --kernel-addr must differ");
        } else if (address6.equals(kernelAddress6)) {
            throw new ParameterException(spec.commandLine(), "--addr6 and --kernel-addr6 must differ");
        } else if (!noIpv6 && mtu < IPV6_MIN_MTU) {
            throw new ParameterException(spec.commandLine(), "--mtu must be at least 1280 with IPv6 (RFC 8200 §5), got "
                    + mtu + "; add --no-ipv6 for a smaller one");
        }
    }

    private int serve(PrintWriter out, CountDownLatch cleanedUp) throws Exception {
        Clock clock = new SystemClock();
        TunNetwork.Config config = new TunNetwork.Config(namespace, tunName, kernelAddress, address, mtu)
                .withOffloads(offloads).withQueues(queues);
        StackConfig stackConfig = StackConfig.linuxDefaults(address, mtu);
        if (!noIpv6) {
            config = config.withIpv6(kernelAddress6, address6);
            stackConfig = stackConfig.withAddress6(address6);
        }
        try (TunNetwork network = TunNetwork.create(config);
                PcapWriter writer = pcap == null ? null : PcapWriter.create(pcap)) {
            List<LinkDevice> links = network.links().stream()
                    .map(link -> writer == null ? link : (LinkDevice) PcapTap.sharing(link, clock, writer)).toList();
            try (StackShards shards = StackShards.start(links, stackConfig, clock)) {
                List<SocketApi> apis = new ArrayList<>();
                for (NetStack stack : shards.stacks()) {
                    SocketApi api = new SocketApi(stack, clock, address, stackConfig.address6(), SocketLimits.LINUX_DEFAULTS);
                    // The servers' threads are virtual: they end with the JVM, after the loops have stopped.
                    // With IPv6 the TCP services listen on :: and serve both families (dual stack); with
                    // several queues every shard has its own listeners and sockets, as a SO_REUSEPORT group.
                    SampleServers.start(api, noIpv6 ? address : 0, !noIpv6, services);
                    apis.add(api);
                }
                try (ControlServer control = ControlServer.start(ServeLock.socketPath(namespace), shards.stacks(),
                        apis.getFirst(), clock)) {
                    Thread stopOnSignal = Thread.ofPlatform().unstarted(() -> stop(shards, cleanedUp));
                    Runtime.getRuntime().addShutdownHook(stopOnSignal);
                    printBanner(out, network);
                    String ns = "tcpsim".equals(namespace) ? "" : " --ns " + namespace;
                    out.printf("control socket %s: try ./tcpsim ss%s -a, ./tcpsim stats%s%n", control.path(), ns, ns);
                    out.flush();
                    awaitEnd(shards);
                    return shards.failure() == null ? 0 : 1;
                }
            }
        }
    }

    private void printBanner(PrintWriter out, TunNetwork network) {
        String self = Ipv4Address.format(address);
        String six = noIpv6 ? "" : " and " + address6;
        out.printf("tcpsim serving in namespace '%s': %s, kernel %s%s, tcpsim %s%s, MTU %d%s%n",
                namespace, network.tunName(), Ipv4Address.format(kernelAddress), noIpv6 ? "" : " and " + kernelAddress6,
                self, six, mtu, (offloads ? ", offloads" : "") + (queues > 1 ? ", " + queues + " queues" : "")
                        + (pcap == null ? "" : ", recording to " + pcap));
        String exec = "./tcpsim exec" + ("tcpsim".equals(namespace) ? "" : " --ns " + namespace);
        out.printf("services on %s%s: %s%n", self, six, services.isEmpty() ? "none" : services.stream()
                .map(Service.On::describe).collect(Collectors.joining(", ")));
        out.printf("try: %s -- ping -c 3 %s, or: %s -- nc %s 7    (Ctrl-C stops and removes the namespace)%n",
                exec, self, exec, self);
        out.flush();
    }

    private static void awaitEnd(StackShards shards) throws InterruptedException {
        while (shards.isRunning()) {
            Thread.sleep(100);
        }
    }

    /**
     * The shutdown hook (Ctrl-C, SIGTERM): stops the stack threads, then holds the JVM open until the
     * serving thread has removed the namespace, the TUN and the lock.
     */
    private static void stop(StackShards shards, CountDownLatch cleanedUp) {
        try {
            shards.stop();
            cleanedUp.await(CLEANUP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
