package io.tcpsim.socket;

/**
 * {@code struct sockaddr_in} (ip(7)): family, port and IPv4 address (an int, 10.0.0.1 is
 * 0x0A000001). Mutable like the C struct, so that accept, getsockname and getpeername fill it in.
 * Filled with an AF_INET6 name (it is too short for one, as in C), it gets the family and the
 * port; the address is what a sockaddr_in6's flow information would put there, 0.
 */
public final class SockAddrIn implements SockAddr {
    private int family;
    private int port;
    private int address;

    public SockAddrIn() {
    }

    public SockAddrIn(int family, int address, int port) {
        this.family = family;
        this.address = address;
        this.port = port;
    }

    /** An AF_INET address. */
    public static SockAddrIn of(int address, int port) {
        return new SockAddrIn(SocketConstants.AF_INET, address, port);
    }

    void set(int address, int port) {
        set(SocketConstants.AF_INET, address, port);
    }

    void set(int family, int address, int port) {
        this.family = family;
        this.address = address;
        this.port = port;
    }

    @Override
    public int family() {
        return family;
    }

    @Override
    public int port() {
        return port;
    }

    public int address() {
        return address;
    }

    @Override
    public String toString() {
        return (address >>> 24) + "." + (address >>> 16 & 0xFF) + "." + (address >>> 8 & 0xFF) + "."
                + (address & 0xFF) + ":" + port;
    }
}
