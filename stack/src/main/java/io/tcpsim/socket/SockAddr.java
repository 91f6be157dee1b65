package io.tcpsim.socket;

/**
 * A socket address as the calls take and fill it, like {@code struct sockaddr}: {@link SockAddrIn}
 * ({@code sockaddr_in}, 16 bytes) or {@link SockAddrIn6} ({@code sockaddr_in6}, 28 bytes). The
 * kind the caller passes stands for the C struct and its length: an AF_INET6 socket given a
 * {@code SockAddrIn} sees 16 bytes, as a C program passing {@code sizeof(struct sockaddr_in)}.
 */
public sealed interface SockAddr permits SockAddrIn, SockAddrIn6 {
    /** sa_family: AF_INET, AF_INET6, or what the caller put there. */
    int family();

    int port();
}
