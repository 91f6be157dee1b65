package io.tcpsim.tcp;

/**
 * A connection's identity (RFC 9293 §3.3.1, "socket pair"), seen from our side: local is where
 * our segments come from. IPv4 addresses as ints, ports 0..65535; a local address of 0 is the
 * wildcard only in listener keys, never in a connection's tuple.
 */
public record FourTuple(int localAddr, int localPort, int remoteAddr, int remotePort) {
    public FourTuple {
        requirePort("localPort", localPort);
        requirePort("remotePort", remotePort);
    }

    /** The same connection seen from the peer's side. */
    public FourTuple reversed() {
        return new FourTuple(remoteAddr, remotePort, localAddr, localPort);
    }

    @Override
    public String toString() {
        return dotted(localAddr) + ":" + localPort + " > " + dotted(remoteAddr) + ":" + remotePort;
    }

    static String dotted(int addr) {
        return (addr >>> 24) + "." + ((addr >>> 16) & 0xFF) + "." + ((addr >>> 8) & 0xFF) + "." + (addr & 0xFF);
    }

    private static void requirePort(String name, int port) {
        if (port < 0 || port > 0xFFFF) {
            throw new IllegalArgumentException(name + " " + port + " is not in 0..65535");
        }
    }
}
