package io.tcpsim.app;

import io.tcpsim.socket.SockAddrIn;
import io.tcpsim.socket.SocketApi;
import java.io.IOException;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;

/** The sample servers, each on its own listening socket, sharing one table of live connections. */
public final class SampleServers implements AutoCloseable {
    private final List<TcpService> running = new ArrayList<>();
    private final LiveConnections live = new LiveConnections();

    private SampleServers() {
    }

    /** Starts each service on {@code address} (0: every local address); stops them all if one fails. */
    public static SampleServers start(SocketApi api, int address, List<Service.On> services) throws IOException {
        SampleServers servers = new SampleServers();
        try {
            for (Service.On on : services) {
                servers.running.add(TcpService.start(api, on.service().label(), SockAddrIn.of(address, on.port()),
                        servers.handler(on.service()), servers.live));
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

    /** Stops accepting on every service. */
    @Override
    public void close() {
        running.forEach(TcpService::close);
    }
}
