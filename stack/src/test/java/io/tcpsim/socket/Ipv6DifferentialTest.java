package io.tcpsim.socket;

import static io.tcpsim.socket.SocketConstants.AF_INET;
import static io.tcpsim.socket.SocketConstants.AF_INET6;
import static io.tcpsim.socket.SocketConstants.IPPROTO_IPV6;
import static io.tcpsim.socket.SocketConstants.IPPROTO_TCP;
import static io.tcpsim.socket.SocketConstants.IPV6_V6ONLY;
import static io.tcpsim.socket.SocketConstants.MSG_DONTWAIT;
import static io.tcpsim.socket.SocketConstants.POLLIN;
import static io.tcpsim.socket.SocketConstants.SOCK_DGRAM;
import static io.tcpsim.socket.SocketConstants.SOCK_NONBLOCK;
import static io.tcpsim.socket.SocketConstants.SOCK_RAW;
import static io.tcpsim.socket.SocketConstants.SOCK_STREAM;
import static io.tcpsim.socket.SocketConstants.SOL_SOCKET;
import static io.tcpsim.socket.SocketConstants.SO_ACCEPTCONN;
import static io.tcpsim.socket.SocketConstants.SO_REUSEADDR;
import static io.tcpsim.socket.SocketConstants.SO_TYPE;

import io.tcpsim.testsupport.RequiresTun;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * AF_INET6 sockets, TCP and UDP, against the kernel of a namespace whose IPv6 is disabled (and
 * a tcpsim without an IPv6 address): dual stack through IPv4-mapped addresses, IPV6_V6ONLY, the
 * family mix-ups, and the errno of native IPv6 addresses; socket(2)'s errno for the types and
 * protocols an unprivileged caller gets.
 */
@RequiresTun
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class Ipv6DifferentialTest {
    private static final byte[] ANY = new byte[16];
    private static final byte[] LOOPBACK = address("00000000000000000000000000000001");
    private static final byte[] DOCUMENTATION = address("20010db8000000000000000000000001");
    private static final byte[] MULTICAST = address("ff020000000000000000000000000001");
    private static final byte[] LINK_LOCAL = address("fe800000000000000000000000000001");
    private static final int FOREIGN = 0x0A090909;
    private static ApiDifferential fixture;

    @BeforeAll
    static void start() throws Exception {
        fixture = ApiDifferential.start(31_000);
    }

    @AfterAll
    static void stop() throws Exception {
        if (fixture != null) {
            fixture.close();
        }
    }

    private static byte[] address(String hex) {
        return HexFormat.of().parseHex(hex);
    }

    private static byte[] mapped(int ipv4) {
        return SockAddrIn6.mappedAddress(ipv4);
    }

    private static int tcp6(Env e) {
        return e.api.socket(AF_INET6, SOCK_STREAM, 0);
    }

    /**
     * The name's family and port, and the address as a word: "::", "mapped" when it is the
     * IPv4-mapped form of {@code ipv4}, else hex (the kernel's run has self and peer equal).
     */
    private static void noteName(Env e, String label, byte[] addr, int[] name, int ipv4) {
        String what;
        if (Arrays.equals(addr, ANY)) {
            what = "::";
        } else if (Arrays.equals(addr, mapped(ipv4))) {
            what = "mapped";
        } else {
            what = HexFormat.of().formatHex(addr);
        }
        e.note(label, name[0] + " " + what + (name[1] == 0 ? " port 0" : " port set"));
    }

    @Test
    void fresh6_namesOptionsAndLevels() throws Exception {
        fixture.sameAsLinux(e -> {
            int fd = tcp6(e);
            byte[] addr = new byte[16];
            int[] name = new int[2];
            e.api.getsockname6(fd, addr, name);
            noteName(e, "name", addr, name, e.self);
            e.api.getpeername6(fd, addr, name);
            e.api.getsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY);
            e.api.getsockopt(fd, SOL_SOCKET, SO_TYPE);
            e.api.getsockopt(fd, IPPROTO_IPV6, 9999);
            e.api.setsockopt(fd, IPPROTO_IPV6, 9999, 1);
            e.api.getsockopt(fd, 4242, 1);
            e.api.setsockopt(fd, 4242, 1, 1);
            e.api.getsockopt(fd, SocketConstants.IPPROTO_IP, 9999);
            e.api.setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, new byte[] {1}, 1);
        });
    }

    @Test
    void inet4_ipv6LevelAndUnknownLevels() throws Exception {
        fixture.sameAsLinux(e -> {
            int fd = e.api.socket(AF_INET, SOCK_STREAM, 0);
            e.api.setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, 1);
            e.api.getsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY);
            e.api.getsockopt(fd, 4242, 1);
            e.api.bind6(fd, ANY, e.port(0), 0);
            e.api.connect6(fd, mapped(e.peer), e.port(0), 0);
        });
    }

    @Test
    void socket6_bindErrorsThenMappedBind() throws Exception {
        fixture.sameAsLinux(e -> {
            int fd = tcp6(e);
            e.api.bind(fd, 0, e.port(0));
            e.api.bind6(fd, LOOPBACK, e.port(0), 0);
            e.api.bind6(fd, DOCUMENTATION, e.port(0), 0);
            e.api.bind6(fd, MULTICAST, e.port(0), 0);
            e.api.bind6(fd, LINK_LOCAL, e.port(0), 0);
            e.api.bind6(fd, mapped(FOREIGN), e.port(0), 0);
            e.api.bind6(fd, mapped(e.self), e.port(0), 0);
            byte[] addr = new byte[16];
            int[] name = new int[2];
            e.api.getsockname6(fd, addr, name);
            noteName(e, "name", addr, name, e.self);
            e.api.getsockname(fd, name);
            e.note("as a sockaddr_in", name[0]);
            e.api.bind6(fd, ANY, e.port(1), 0);
            e.api.setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, 1);
            int any = tcp6(e);
            e.api.bind6(any, mapped(0), e.port(2), 0);
            e.api.getsockname6(any, addr, name);
            e.note("::ffff:0.0.0.0", HexFormat.of().formatHex(addr));
        });
    }

    @Test
    void socket6_connectErrorsForNativeAndMixedUpAddresses() throws Exception {
        fixture.sameAsLinux(e -> {
            int fd = tcp6(e);
            e.api.connect(fd, e.peer, e.port(0));
            e.api.connect6(fd, DOCUMENTATION, 80, 0);
            e.api.connect6(fd, LOOPBACK, 80, 0);
            e.api.connect6(fd, ANY, 80, 0);
            e.api.connect6(fd, MULTICAST, 80, 0);
            e.api.connect6(fd, LINK_LOCAL, 80, 0);
            e.api.connect6(fd, mapped(e.peer), e.port(0), 0);
            e.api.getsockopt(fd, SOL_SOCKET, SocketConstants.SO_ERROR);
        });
    }

    @Test
    void v6only_mappedBindEinval_mappedConnectEnetunreach() throws Exception {
        fixture.sameAsLinux(e -> {
            int fd = tcp6(e);
            e.api.setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, 1);
            e.api.getsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY);
            e.api.bind6(fd, mapped(e.self), e.port(0), 0);
            e.peerListen(e.port(1));
            e.api.connect6(fd, mapped(e.peer), e.port(1), 0);
        });
    }

    @Test
    void connectToMappedPeer_reachesIpv4_namesAreMapped() throws Exception {
        fixture.sameAsLinux(e -> {
            int listener = e.peerListen(e.port(0));
            int fd = tcp6(e);
            e.api.connect6(fd, mapped(e.peer), e.port(0), 0);
            int peer = e.peerAccept(listener);
            byte[] addr = new byte[16];
            int[] name = new int[2];
            e.api.getsockname6(fd, addr, name);
            noteName(e, "local", addr, name, e.self);
            e.api.getpeername6(fd, addr, name);
            noteName(e, "peer", addr, name, e.peer);
            e.note("peer port right", name[1] == e.port(0));
            e.api.send(fd, "hi".getBytes(StandardCharsets.US_ASCII), 2, 0);
            e.note("peer got", new String(e.peerRead(peer, 2, 2000), StandardCharsets.US_ASCII));
            e.api.connect6(fd, mapped(e.peer), e.port(0), 0);
            e.api.connect(fd, e.peer, e.port(0));
        });
    }

    @Test
    void dualStackListener_acceptsIpv4_reportsMappedAddresses_holdsTheIpv4Port() throws Exception {
        fixture.sameAsLinux(e -> {
            int l = tcp6(e);
            e.api.setsockopt(l, SOL_SOCKET, SO_REUSEADDR, 1);
            e.api.bind6(l, ANY, e.port(0), 0);
            e.api.listen(l, 4);
            byte[] addr = new byte[16];
            int[] name = new int[2];
            e.api.getsockname6(l, addr, name);
            noteName(e, "listener", addr, name, e.self);
            e.peerConnect(e.self, e.port(0));
            e.api.poll(l, POLLIN, 2000);
            int child = e.api.accept6(l, addr, name);
            noteName(e, "accepted from", addr, name, e.peer);
            e.api.getsockname6(child, addr, name);
            noteName(e, "child local", addr, name, e.self);
            e.api.getpeername6(child, addr, name);
            noteName(e, "child peer", addr, name, e.peer);
            e.api.bind(e.api.socket(AF_INET, SOCK_STREAM, 0), 0, e.port(0));
            int v6only = tcp6(e);
            e.api.setsockopt(v6only, IPPROTO_IPV6, IPV6_V6ONLY, 1);
            e.api.bind6(v6only, ANY, e.port(0), 0);
        });
    }

    @Test
    void v6onlyListener_ipv4IsRefused_ipv4PortStaysFree() throws Exception {
        fixture.sameAsLinux(e -> {
            int l = e.api.socket(AF_INET6, SOCK_STREAM | SOCK_NONBLOCK, 0);
            e.api.setsockopt(l, IPPROTO_IPV6, IPV6_V6ONLY, 1);
            e.api.bind6(l, ANY, e.port(0), 0);
            e.api.listen(l, 4);
            e.api.getsockopt(l, SOL_SOCKET, SO_ACCEPTCONN);
            int peer = e.kernel.socket(AF_INET, SOCK_STREAM, 0);
            e.note("peer connect", e.kernel.connect(peer, e.self, e.port(0)) + " errno " + e.kernel.errno());
            e.kernel.close(peer);
            e.api.accept4(l, 0);
            e.api.poll(l, POLLIN, 0);
            int v4 = e.api.socket(AF_INET, SOCK_STREAM, 0);
            e.api.bind(v4, 0, e.port(0));
            e.api.listen(v4, 4);
            int dual = tcp6(e);
            e.api.bind6(dual, ANY, e.port(0), 0);
        });
    }

    private static int udp6(Env e) {
        return e.api.socket(AF_INET6, SOCK_DGRAM, 0);
    }

    @Test
    void udp6_bindErrors_dualStackWildcardHoldsTheIpv4Port_v6onlyDoesNot() throws Exception {
        fixture.sameAsLinux(e -> {
            int fd = udp6(e);
            byte[] addr = new byte[16];
            int[] name = new int[2];
            e.api.getsockname6(fd, addr, name);
            noteName(e, "unbound", addr, name, e.self);
            e.api.bind(fd, 0, e.port(0));
            e.api.bind6(fd, LOOPBACK, e.port(0), 0);
            e.api.bind6(fd, DOCUMENTATION, e.port(0), 0);
            e.api.bind6(fd, LINK_LOCAL, e.port(0), 0);
            e.api.bind6(fd, MULTICAST, e.port(0), 0);
            e.api.bind6(fd, mapped(FOREIGN), e.port(0), 0);
            e.api.bind6(fd, ANY, e.port(0), 0);
            e.api.getsockname6(fd, addr, name);
            noteName(e, "bound", addr, name, e.self);
            e.api.bind6(fd, ANY, e.port(1), 0);
            e.api.setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, 1);
            e.api.getsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY);
            int v4 = e.api.socket(AF_INET, SOCK_DGRAM, 0);
            e.api.bind(v4, 0, e.port(0));
            int only = udp6(e);
            e.api.setsockopt(only, IPPROTO_IPV6, IPV6_V6ONLY, 1);
            e.api.getsockopt(only, IPPROTO_IPV6, IPV6_V6ONLY);
            e.api.bind6(only, mapped(e.self), e.port(2), 0);
            e.api.bind6(only, ANY, e.port(2), 0);
            e.api.bind(v4, 0, e.port(2));
            int mappedBound = udp6(e);
            e.api.bind6(mappedBound, mapped(e.self), e.port(3), 0);
            e.api.getsockname6(mappedBound, addr, name);
            noteName(e, "mapped bound", addr, name, e.self);
        });
    }

    @Test
    void udp6_connectErrors_thenMappedPeer_datagramsBothWays_namesMapped() throws Exception {
        fixture.sameAsLinux(e -> {
            int peer = e.peerUdp(e.port(0));
            int fd = udp6(e);
            e.api.connect6(fd, DOCUMENTATION, 80, 0);
            e.api.connect6(fd, LINK_LOCAL, 80, 0);
            e.api.connect6(fd, mapped(e.peer), e.port(0), 0);
            byte[] addr = new byte[16];
            int[] name = new int[2];
            e.api.getsockname6(fd, addr, name);
            noteName(e, "local", addr, name, e.self);
            e.api.getpeername6(fd, addr, name);
            noteName(e, "peer", addr, name, e.peer);
            e.api.send(fd, "hi".getBytes(StandardCharsets.US_ASCII), 2, 0);
            int[] from = new int[2];
            byte[] got = e.peerRecv(peer, from);
            e.note("peer got", got == null ? "nothing" : new String(got, StandardCharsets.US_ASCII));
            e.note("from self", from[0] == e.self);
            e.peerSendTo(peer, "back".getBytes(StandardCharsets.US_ASCII), e.self, from[1]);
            e.api.poll(fd, POLLIN, 2000);
            e.api.recv(fd, new byte[16], 16, MSG_DONTWAIT);
            e.api.connect(fd, e.peer, e.port(0));
        });
    }

    @Test
    void udp6_connectedToAClosedMappedPort_icmpGivesEconnrefused_v6onlyRefusesIpv4() throws Exception {
        fixture.sameAsLinux(e -> {
            int fd = udp6(e);
            e.api.connect6(fd, mapped(e.peer), e.port(0), 0);
            e.api.send(fd, "x".getBytes(StandardCharsets.US_ASCII), 1, 0);
            e.api.poll(fd, POLLIN, 2000);
            e.api.recv(fd, new byte[16], 16, MSG_DONTWAIT);
            e.api.recv(fd, new byte[16], 16, MSG_DONTWAIT);
            int only = udp6(e);
            e.api.setsockopt(only, IPPROTO_IPV6, IPV6_V6ONLY, 1);
            e.api.connect(only, e.peer, e.port(0));
            e.api.connect6(only, mapped(e.peer), e.port(0), 0);
        });
    }

    @Test
    void socket_typesAndProtocols_unprivilegedErrnos() throws Exception {
        fixture.sameAsUnprivilegedLinux(e -> {
            e.api.socket(AF_INET, SOCK_RAW, 0);
            e.api.socket(AF_INET, SOCK_RAW, IPPROTO_TCP);
            e.api.socket(AF_INET6, SOCK_RAW, IPPROTO_TCP);
            e.api.socket(AF_INET6, SOCK_RAW, 0);
            e.api.socket(AF_INET, SOCK_STREAM, 300);
            e.api.socket(AF_INET, SOCK_STREAM, -1);
            e.api.socket(AF_INET6, SOCK_STREAM, 17);
            e.api.socket(AF_INET, SocketConstants.SOCK_DGRAM + 3, 0);
            e.api.socket(AF_INET, 7, 0);
            e.api.socket(AF_INET6, 4, 0);
            e.api.socket(-1, SOCK_STREAM, 0);
            e.api.socket(46, SOCK_STREAM, 0);
            e.api.socket(AF_INET6, SOCK_STREAM, IPPROTO_TCP);
            e.api.socket(AF_INET6, 15, 0);
        });
    }
}
