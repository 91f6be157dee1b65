package io.tcpsim.udp;

import io.tcpsim.wire.IpAddress;
import io.tcpsim.wire.UdpPacket;
import io.tcpsim.wire.UdpRepr;
import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * UDP (RFC 768, RFC 1122 §4.1; over IPv6 RFC 8200 §8): the facade the IP glue and the socket
 * layer use. Input is a datagram already validated (length, checksum) and the time; output goes
 * to {@link DatagramOutput}. Addresses are of either family; a connection's family is its
 * addresses' (an AF_INET6 endpoint with an IPv4-mapped peer talks IPv4). Binding, connecting and
 * demultiplexing follow Linux (net/ipv4/udp.c, net/ipv4/datagram.c, net/ipv6/udp.c,
 * net/ipv6/datagram.c); see {@link UdpTable}. Stack thread only.
 */
public final class UdpLayer {
    private final IpAddress localAddress;
    private final IpAddress localAddress6;
    private final DatagramOutput output;
    private final UdpCounters counters = new UdpCounters();
    private final UdpTable table;

    /**
     * @param localAddress  the stack's IPv4 address: the source of IPv4 datagrams from wildcard-bound endpoints
     * @param localAddress6 its IPv6 address, the source of IPv6 ones; {@link IpAddress#ANY_IPV6}: none
     * @param ephemeralLow  ip_local_port_range, shared with TCP as in Linux
     * @param ephemeralHigh its upper end
     */
    public UdpLayer(IpAddress localAddress, IpAddress localAddress6, int ephemeralLow, int ephemeralHigh,
                    DatagramOutput output) {
        this.localAddress = localAddress;
        this.localAddress6 = localAddress6;
        this.output = output;
        this.table = new UdpTable(ephemeralLow, ephemeralHigh);
    }

    /**
     * The largest payload of one datagram to {@code dstAddr}, fragmented as needed: 65507 bytes over
     * IPv4, 65527 over IPv6 (the payload length field less the UDP header; no jumbograms).
     */
    public static int maxPayload(IpAddress dstAddr) {
        return dstAddr.isIpv4() ? UdpPacket.MAX_IPV4_PAYLOAD : UdpPacket.MAX_IPV6_PAYLOAD;
    }

    public UdpCounters counters() {
        return counters;
    }

    /** A new, unbound endpoint telling {@code listener} about datagrams and errors; {@code ipv6}: an AF_INET6 one. */
    public UdpEndpoint open(DatagramListener listener, boolean ipv6) {
        return new UdpEndpoint(listener, counters, ipv6);
    }

    /** The stack's address of {@code peer}'s family: the source of datagrams to it. */
    public IpAddress sourceFor(IpAddress peer) {
        return peer.isIpv4() ? localAddress : localAddress6;
    }

    /**
     * bind(2) for an unbound endpoint (Linux udp_v4_get_port(), udp_v6_get_port()): {@code port}
     * 0 picks a free ephemeral port. Records what bind chose (SOCK_BINDADDR_LOCK,
     * SOCK_BINDPORT_LOCK), which disconnect keeps. False: the port is taken (or no ephemeral port
     * is free): EADDRINUSE.
     */
    public boolean bind(UdpEndpoint e, IpAddress addr, int port) {
        if (!hash(e, addr, port)) {
            return false;
        }
        e.addressLocked = !addr.isUnspecified();
        e.portLocked = port != 0;
        return true;
    }

    /** inet_autobind(): an ephemeral port on the wildcard address, before connect or send; false when none is free. */
    public boolean autobind(UdpEndpoint e) {
        return e.hashed || hash(e, e.wildcard(), 0);
    }

    private boolean hash(UdpEndpoint e, IpAddress addr, int port) {
        int chosen = port != 0 ? port : table.ephemeral(e, addr);
        if (chosen < 0 || table.conflict(e, addr, chosen)) {
            return false;
        }
        e.localAddr = addr;
        e.localPort = chosen;
        e.hashed = true;
        table.add(e);
        return true;
    }

    /**
     * connect(2) of a bound endpoint (Linux __ip4_datagram_connect(), __ip6_datagram_connect()):
     * the peer is remembered, and a wildcard-bound endpoint takes the source address of the route
     * (tcpsim's one address of the peer's family). Linux allows port 0 (the endpoint then takes
     * datagrams from any port of that address).
     */
    public void connect(UdpEndpoint e, IpAddress addr, int port) {
        if (e.localAddr.isUnspecified()) {
            e.localAddr = sourceFor(addr);
        }
        e.remoteAddr = addr;
        e.remotePort = port;
        e.connected = true;
    }

    /**
     * connect(2) with AF_UNSPEC (Linux __udp_disconnect()): the peer is forgotten; the address
     * returns to the wildcard unless bind(2) chose it, and the port is released unless bind(2)
     * chose it.
     */
    public void disconnect(UdpEndpoint e) {
        e.connected = false;
        e.remoteAddr = e.wildcard();
        e.remotePort = 0;
        if (!e.addressLocked) {
            e.localAddr = e.wildcard();
        }
        if (!e.portLocked && e.hashed) {
            table.remove(e);
            e.hashed = false;
            e.localPort = 0;
        }
    }

    /** close(2): unbound, queue discarded. */
    public void close(UdpEndpoint e) {
        if (e.hashed) {
            table.remove(e);
            e.hashed = false;
        }
        e.discardQueue();
    }

    /**
     * Sends one datagram from a bound endpoint to dstAddr:dstPort, from its bound address or
     * tcpsim's of dstAddr's family; counts OutDatagrams. The caller has checked the size and that
     * a bound address is of dstAddr's family.
     */
    public void send(UdpEndpoint e, IpAddress dstAddr, int dstPort, byte[] data, int off, int len) {
        IpAddress src = e.localAddr.isUnspecified() ? sourceFor(dstAddr) : e.localAddr;
        UdpRepr datagram = new UdpRepr(e.localPort, dstPort, MemorySegment.ofArray(data).asSlice(off, len));
        output.send(src, dstAddr, datagram);
        counters.countOutDatagram();
    }

    /**
     * A valid datagram addressed to us (RFC 1122 §4.1.3.5: passed on with its source, for the
     * application): queued on its endpoint's receive queue, or dropped when that is full. False
     * when no endpoint takes it: NoPorts, and the caller answers with an ICMP port unreachable
     * (RFC 1122 §4.1.3.1).
     */
    public boolean input(IpAddress srcAddr, IpAddress dstAddr, UdpRepr datagram, long nowNanos) {
        UdpEndpoint e = table.lookup(srcAddr, datagram.srcPort(), dstAddr, datagram.dstPort());
        if (e == null) {
            counters.countNoPort();
            return false;
        }
        byte[] data = datagram.payloadBytes();
        e.enqueue(new Datagram(srcAddr, datagram.srcPort(), data, Truesize.of(data.length)));
        return true;
    }

    /**
     * An ICMP or ICMPv6 error quoting one of our datagrams, from ourAddr:ourPort to
     * peerAddr:peerPort (RFC 1122 §4.1.3.3, RFC 4443 §2.4 (d): passed to the application), already
     * converted ({@link UdpError#ofUnreachableCode}, {@link UdpError#ofIcmpv6}; null: a soft error).
     * Linux __udp4_lib_err(), __udp6_lib_err(): the endpoint the reply would be demultiplexed to
     * gets the errno as its pending error when it is connected and the error is hard; everything
     * else is ignored (Linux would queue it with IP_RECVERR, which tcpsim lacks).
     */
    public void icmpError(IpAddress ourAddr, int ourPort, IpAddress peerAddr, int peerPort, UdpError error) {
        UdpEndpoint e = table.lookup(peerAddr, peerPort, ourAddr, ourPort);
        if (e != null && e.connected && error != null) {
            e.reportError(error);
        }
    }

    /** Every bound endpoint (like ss -uan). */
    public List<UdpEndpoint> endpoints() {
        return table.all();
    }
}
