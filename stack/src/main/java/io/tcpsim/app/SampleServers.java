package io.tcpsim.app;

import io.tcpsim.socket.SockAddr;
import io.tcpsim.socket.SockAddrIn;
import io.tcpsim.socket.SockAddrIn6;
import io.tcpsim.socket.SocketApi;
import java.io.IOException;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The sample servers, each on its own socket (a listening TCP socket, a bound UDP socket, or both
 * on the same port), sharing one table of live connections.
 */
public final class SampleServers implements AutoCloseable {
    /** How to stop each running service. */
    private final List<Runnable> running = new ArrayList<>();
    private final LiveConnections live = new LiveConnections();

    private SampleServers() {
    }

    /** Starts each service on {@code address} (0: every local IPv4 address); stops them all if one fails. */
    public static SampleServers start(SocketApi api, int address, List<Service.On> services) throws IOException {
        return start(api, address, false, services);
    }

    /**
     * As {@link #start(SocketApi, int, List)}; with {@code dualStack} and address 0 the services
     * listen (TCP) and bind (UDP) on {@code ::} (AF_INET6), one socket for IPv4 and IPv6 clients alike.
     */
    public static SampleServers start(SocketApi api, int address, boolean dualStack, List<Service.On> services)
            throws IOException {
        SampleServers servers = new SampleServers();
        try {
            for (Service.On on : services) {
                SockAddrIn local = SockAddrIn.of(address, on.port());
                SockAddr any = dualStack && address == 0 ? SockAddrIn6.of(SockAddrIn6.ANY, on.port()) : local;
                String name = on.service().label();
                if (on.over(Service.Transport.TCP)) {
                    servers.running.add(TcpService.start(api, name, any, servers.handler(on.service()),
                            servers.live)::close);
                }
                if (on.over(Service.Transport.UDP)) {
                    servers.running.add(UdpService.start(api, name, any, datagramHandler(on.service()))::close);
                }
            }
        } catch (IOException | RuntimeException e) {
            servers.close();
            throw e;
        }
        return servers;
    }

    private ConnectionHandler handler(Service service) {
        return switch (service) {
            case ECHO -> SmallServices::echo;
            case DISCARD -> SmallServices::discard;
            case DAYTIME -> SmallServices.daytime(ZonedDateTime::now);
            case CHARGEN -> SmallServices::chargen;
            case HTTP -> new HttpServer(live);
        };
    }

    private static DatagramHandler datagramHandler(Service service) {
        return switch (service) {
            case ECHO -> SmallServices::echoDatagram;
            case DISCARD -> SmallServices::discardDatagram;
            case DAYTIME -> SmallServices.daytimeDatagram(ZonedDateTime::now);
            case CHARGEN -> SmallServices.chargenDatagram(
                    () -> ThreadLocalRandom.current().nextInt(SmallServices.CHARGEN_DATAGRAM_MAX + 1));
            case HTTP -> throw new IllegalArgumentException("http has no UDP service");
        };
    }

    /** Stops every service (connections being served over TCP go on until their peers leave). */
    @Override
    public void close() {
        running.forEach(Runnable::run);
    }
}
