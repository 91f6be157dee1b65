package io.tcpsim.app;

import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The sample servers {@code tcpsim serve} can host, with their well-known ports. The inetd
 * services exist over TCP and UDP on the same port (RFC 862, 863, 864, 867 define both); HTTP only
 * over TCP.
 */
public enum Service {
    ECHO(7, Transport.BOTH),
    DISCARD(9, Transport.BOTH),
    DAYTIME(13, Transport.BOTH),
    CHARGEN(19, Transport.BOTH),
    HTTP(80, EnumSet.of(Transport.TCP));

    /** The transport a service runs over. */
    public enum Transport {
        TCP, UDP;

        static final Set<Transport> BOTH = EnumSet.allOf(Transport.class);

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final int defaultPort;
    private final Set<Transport> transports;

    Service(int defaultPort, Set<Transport> transports) {
        this.defaultPort = defaultPort;
        this.transports = transports;
    }

    public int defaultPort() {
        return defaultPort;
    }

    /** The transports the service exists over. */
    public Set<Transport> transports() {
        return EnumSet.copyOf(transports);
    }

    /** The name used on the command line and in logs: "echo". */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * A service on a port, over some of its transports: parsed from "echo" (every transport it has,
     * on the well-known port), "echo:7007" (another port), "echo/udp" or "echo/tcp:7007" (one
     * transport).
     */
    public record On(Service service, int port, Set<Transport> transports) {

        public On {
            transports = EnumSet.copyOf(transports);
        }

        /** The service over every transport it has. */
        public On(Service service, int port) {
            this(service, port, service.transports);
        }

        /** IllegalArgumentException with a one-line reason for an unknown name, transport or a bad port. */
        public static On parse(String text) {
            int colon = text.indexOf(':');
            String name = colon < 0 ? text : text.substring(0, colon);
            int slash = name.indexOf('/');
            Service service = byLabel(slash < 0 ? name : name.substring(0, slash));
            Set<Transport> transports = slash < 0 ? service.transports : Set.of(transport(service, name, slash));
            if (colon < 0) {
                return new On(service, service.defaultPort, transports);
            }
            int port;
            try {
                port = Integer.parseInt(text.substring(colon + 1));
            } catch (NumberFormatException e) {
                port = 0;
            }
            if (port < 1 || port > 65_535) {
                throw new IllegalArgumentException("bad port in '" + text + "': a port is 1 to 65535");
            }
            return new On(service, port, transports);
        }

        private static Transport transport(Service service, String name, int slash) {
            String label = name.substring(slash + 1);
            for (Transport t : service.transports) {
                if (t.label().equals(label)) {
                    return t;
                }
            }
            throw new IllegalArgumentException("'" + name + "': " + service.label() + " runs over "
                    + service.transports.stream().map(Transport::label).collect(Collectors.joining(" and ")));
        }

        public boolean over(Transport transport) {
            return transports.contains(transport);
        }

        /** "echo 7/tcp+udp", as serve's banner lists it. */
        public String describe() {
            return service.label() + " " + port + "/"
                    + transports.stream().map(Transport::label).collect(Collectors.joining("+"));
        }

        /** True when two of {@code services} would bind the same port over the same transport. */
        public static boolean anyShareAPort(List<On> services) {
            for (int i = 0; i < services.size(); i++) {
                for (int j = i + 1; j < services.size(); j++) {
                    On a = services.get(i);
                    On b = services.get(j);
                    if (a.port == b.port && a.transports.stream().anyMatch(b.transports::contains)) {
                        return true;
                    }
                }
            }
            return false;
        }
    }

    static Service byLabel(String label) {
        for (Service s : values()) {
            if (s.label().equals(label)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown service '" + label + "' (known: echo, discard, daytime, chargen, http)");
    }
}
