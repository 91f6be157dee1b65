package io.tcpsim.udp;

import io.tcpsim.wire.Icmpv4Quote;
import io.tcpsim.wire.UdpPacket;
import io.tcpsim.wire.UdpRepr;
import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * UDP (RFC 768, RFC 1122 §4.1): the facade the IPv4 glue and the socket layer use. Input is a
 * datagram already validated (length, checksum) and the time; output goes to
 * {@link DatagramOutput}. Binding, connecting and demultiplexing follow Linux (net/ipv4/udp.c,
 * net/ipv4/datagram.c); see {@link UdpTable}. Stack thread only.
 */
public final class UdpLayer {
    /** The largest datagram payload over IPv4: 65535 - 20 - 8 bytes. */
    public static final int MAX_PAYLOAD = UdpPacket.MAX_IPV4_PAYLOAD;

    private final int localAddress;
    private final DatagramOutput output;
    private final UdpCounters counters = new UdpCounters();
    private final UdpTable table;

    /**
     * @param localAddress  the stack's address: the source of datagrams from wildcard-bound endpoints
     * @param ephemeralLow  ip_local_port_range, shared with TCP as in Linux
     * @param ephemeralHigh its upper end
     */
    public UdpLayer(int localAddress, int ephemeralLow, int ephemeralHigh, DatagramOutput output) {
        this.localAddress = localAddress;
        this.output = output;
        this.table = new UdpTable(ephemeralLow, ephemeralHigh);
    }

    public UdpCounters counters() {
        return counters;
    }

    /** A new, unbound endpoint telling {@code listener} about datagrams and errors. */
    public UdpEndpoint open(DatagramListener listener) {
        return new UdpEndpoint(listener, counters);
    }

    /**
     * bind(2) for an unbound endpoint (Linux udp_v4_get_port()): {@code port} 0 picks a free
     * ephemeral port. Records what bind chose (SOCK_BINDADDR_LOCK, SOCK_BINDPORT_LOCK), which
     * disconnect keeps. False: the port is taken (or no ephemeral port is free): EADDRINUSE.
     */
    public boolean bind(UdpEndpoint e, int addr, int port) {
        if (!hash(e, addr, port)) {
            return false;
        }
        e.addressLocked = addr != 0;
        e.portLocked = port != 0;
        return true;
    }

    /** inet_autobind(): an ephemeral port on the wildcard address, before connect or send; false when none is free. */
    public boolean autobind(UdpEndpoint e) {
        return e.hashed || hash(e, 0, 0);
    }

    private boolean hash(UdpEndpoint e, int addr, int port) {
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
     * connect(2) of a bound endpoint (Linux __ip4_datagram_connect()): the peer is remembered, and
     * a wildcard-bound endpoint takes the source address of the route (tcpsim's one address).
     * Linux allows port 0 (the endpoint then takes datagrams from any port of that address).
     */
    public void connect(UdpEndpoint e, int addr, int port) {
        if (e.localAddr == 0) {
            e.localAddr = localAddress;
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
        e.remoteAddr = 0;
        e.remotePort = 0;
        if (!e.addressLocked) {
            e.localAddr = 0;
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
     * tcpsim's; counts OutDatagrams. The caller has checked the size (at most 65507 bytes).
     */
    public void send(UdpEndpoint e, int dstAddr, int dstPort, byte[] data, int off, int len) {
        int src = e.localAddr != 0 ? e.localAddr : localAddress;
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
    public boolean input(int srcAddr, int dstAddr, UdpRepr datagram, long nowNanos) {
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
     * An ICMP destination unreachable quoting one of our datagrams (RFC 1122 §4.1.3.3: passed to
     * the application). Linux __udp4_lib_err(): the endpoint the reply would be demultiplexed to
     * gets the code's errno as its pending error when it is connected and the code is a hard
     * error; everything else is ignored (Linux would queue it with IP_RECVERR, which tcpsim lacks).
     */
    public void icmpUnreachable(Icmpv4Quote quote, int code) {
        UdpEndpoint e = table.lookup(quote.dstAddr(), quote.dstPort(), quote.srcAddr(), quote.srcPort());
        UdpError error = UdpError.ofUnreachableCode(code);
        if (e != null && e.connected && error != null) {
            e.reportError(error);
        }
    }

    /** Every bound endpoint (like ss -uan). */
    public List<UdpEndpoint> endpoints() {
        return table.all();
    }
}
