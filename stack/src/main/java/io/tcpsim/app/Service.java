package io.tcpsim.app;

import java.util.Locale;

/** The sample servers {@code tcpsim serve} can host, with their well-known ports. */
public enum Service {
    ECHO(7),
    DISCARD(9),
    DAYTIME(13),
    CHARGEN(19),
    HTTP(80);

    private final int defaultPort;

    Service(int defaultPort) {
        this.defaultPort = defaultPort;
    }

    public int defaultPort() {
        return defaultPort;
    }

    /** The name used on the command line and in logs: "echo". */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** A service on a port: parsed from "echo" (the well-known port) or "echo:7007". */
    public record On(Service service, int port) {

        /** IllegalArgumentException with a one-line reason for an unknown name or a bad port. */
        public static On parse(String text) {
            int colon = text.indexOf(':');
            String name = colon < 0 ? text : text.substring(0, colon);
            Service service = byLabel(name);
            if (colon < 0) {
                return new On(service, service.defaultPort);
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
            return new On(service, port);
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
