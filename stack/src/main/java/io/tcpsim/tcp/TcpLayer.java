package io.tcpsim.tcp;

import io.tcpsim.time.Clock;
import io.tcpsim.wire.IpAddress;
import io.tcpsim.wire.TcpPacket;
import io.tcpsim.wire.TcpRepr;
import java.util.List;
import java.util.OptionalInt;

/**
 * The TCP layer of one stack: demultiplexes segments to connections and listeners, answers
 * strays with RSTs, opens connections, runs the timers. Confined to the stack thread; time is
 * passed in, the next deadline handed back.
 */
public final class TcpLayer {
    private static final int ICMP_FRAG_NEEDED = 4;
    /** Linux icmp_err_convert[]: errno per ICMP destination-unreachable code 0..15. */
    private static final TcpError[] ICMP_ERRORS = {
        TcpError.ENETUNREACH, TcpError.EHOSTUNREACH, TcpError.ENOPROTOOPT, TcpError.ECONNREFUSED, null,
        TcpError.EOPNOTSUPP, TcpError.ENETUNREACH, TcpError.EHOSTDOWN, TcpError.ENONET, TcpError.ENETUNREACH,
        TcpError.EHOSTUNREACH, TcpError.ENETUNREACH, TcpError.EHOSTUNREACH, TcpError.EHOSTUNREACH,
        TcpError.EHOSTUNREACH, TcpError.EHOSTUNREACH};
    /** Linux icmp_err_convert[].fatal, per code. */
    private static final boolean[] ICMP_FATAL = {
        false, false, true, true, false, false, true, true, true, true, true, false, false, true, true, true};

    private final TcpHost host;
    private StrayRoute strays = StrayRoute.NONE;
    private int ephemeralCursor;

    public TcpLayer(TcpConfig config, IsnGenerator isn, SegmentOutput output) {
        this.host = new TcpHost(config, isn, output);
    }

    public TcpCounters counters() {
        return host.counters;
    }

    public TcpConfig config() {
        return host.config;
    }

    /** Bytes all connections' buffers hold now, what tcp_mem limits ({@link TcpMemory}). */
    public long memoryAllocated() {
        return host.memory.allocated();
    }

    /** Whether the layer is under memory pressure (above tcp_mem's pressure, not yet back to min). */
    public boolean memoryUnderPressure() {
        return host.memory.underPressure();
    }

    /** Tells {@code observer} about every state change of this layer's connections from now on. */
    public void setObserver(TcpObserver observer) {
        host.observer = observer;
    }

    /**
     * A parsed, checksum-verified segment from srcAddr to dstAddr (one of ours): to its connection,
     * else to a listener, else a RST (RFC 9293 §3.10.7.1). A SYN that may reopen a TIME_WAIT
     * 4-tuple goes to the listener when there is one (Linux TCP_TW_SYN).
     */
    public void input(int srcAddr, int dstAddr, TcpRepr segment, long now) {
        if (!segment.hasFlags(TcpPacket.SYN)) {
            // Only a SYN may go past its connection to a listener (TIME_WAIT reuse, below).
            TcpConnection c = host.demux.connectionIpv4(dstAddr, segment.dstPort(), srcAddr, segment.srcPort());
            if (c != null) {
                host.counters.inSegs++;
                c.input(segment, now);
                return;
            }
        }
        input(IpAddress.ofIpv4(srcAddr), IpAddress.ofIpv4(dstAddr), segment, now);
    }

    /** {@link #input(int, int, TcpRepr, long)} for addresses of either family. */
    public void input(IpAddress srcAddr, IpAddress dstAddr, TcpRepr segment, long now) {
        host.counters.inSegs++;
        FourTuple tuple = new FourTuple(dstAddr, segment.dstPort(), srcAddr, segment.srcPort());
        TcpConnection c = host.demux.connection(tuple);
        if (c != null && !TimeWaitInput.mayReopen(c, segment)) {
            c.input(segment, now); // the common case, without a listener lookup
            return;
        }
        TcpListener listener = host.demux.listener(dstAddr, segment.dstPort());
        if (c == null && !opensHere(segment, listener) && strays.divert(srcAddr, dstAddr, segment)) {
            return;
        }
        deliver(tuple, c, listener, segment, now);
    }

    /**
     * A segment another shard of the host received and offered through its {@link StrayRoute}:
     * delivered when this layer has its connection, or when it is a SYN that one of this layer's
     * listeners takes (a socket listening on one shard only); counted in InSegs by the shard that
     * received it.
     *
     * @return false, doing nothing, when neither
     */
    public boolean inputIfOwned(IpAddress srcAddr, IpAddress dstAddr, TcpRepr segment, long now) {
        FourTuple tuple = new FourTuple(dstAddr, segment.dstPort(), srcAddr, segment.srcPort());
        TcpConnection c = host.demux.connection(tuple);
        TcpListener listener = host.demux.listener(dstAddr, segment.dstPort());
        if (c == null && !opensHere(segment, listener)) {
            return false;
        }
        deliver(tuple, c, listener, segment, now);
        return true;
    }

    /** A segment that no shard of the host owns, back at the shard that received it: a stray after all. */
    public void inputStray(IpAddress srcAddr, IpAddress dstAddr, TcpRepr segment, long now) {
        FourTuple tuple = new FourTuple(dstAddr, segment.dstPort(), srcAddr, segment.srcPort());
        deliver(tuple, host.demux.connection(tuple), host.demux.listener(dstAddr, segment.dstPort()), segment, now);
    }

    /** Where segments without a connection go before they count as strays ({@link StrayRoute#NONE}: nowhere). */
    public void setStrayRoute(StrayRoute route) {
        strays = route;
    }

    /** A SYN that a local listener takes: its connection starts here, whatever other shards hold. */
    private static boolean opensHere(TcpRepr segment, TcpListener listener) {
        return listener != null && (segment.flags() & (TcpPacket.SYN | TcpPacket.ACK | TcpPacket.RST)) == TcpPacket.SYN;
    }

    private void deliver(FourTuple tuple, TcpConnection c, TcpListener listener, TcpRepr segment, long now) {
        if (c != null && listener != null && TimeWaitInput.isNewerSyn(c, segment, now)) {
            int iss = TimeWaitInput.reopenIss(c);
            c.release();
            listener.reopen(tuple, segment, iss, now);
            listener.fireEvents();
        } else if (c != null) {
            c.input(segment, now);
        } else if (listener != null) {
            listener.input(tuple, segment, now);
        } else {
            host.counters.countDrop(TcpDrop.NO_SOCKET); // Linux: no_tcp_socket, after a RST unless it is one
            host.sendResetFor(tuple, segment);
        }
    }

    /**
     * Segments received from here to {@link #endReceiveBatch} came off the link together: ACKs
     * for in-order data wait for its end, one per connection (as Linux acknowledges a GRO packet).
     */
    public void beginReceiveBatch() {
        host.beginReceiveBatch();
    }

    /** Sends the ACKs the batch deferred. */
    public void endReceiveBatch(long now) {
        host.endReceiveBatch(now);
    }

    /** The earliest deadline of every connection ({@link Clock#NO_DEADLINE} when none). */
    public long nextDeadline() {
        return host.demux.nextDeadline();
    }

    /** Fires every timer due at {@code now}. */
    public void onTimers(long now) {
        for (TcpConnection c : host.demux.due(now)) {
            if (c.nextDeadline() <= now) {
                c.onTimers(now);
            }
        }
    }

    public TcpListener listen(int localAddr, int port, int backlog) {
        return listen(localAddr, port, backlog, SocketOptions.DEFAULT);
    }

    /**
     * bind() and listen(): localAddr 0 is the wildcard; port 0 picks a free ephemeral port.
     *
     * @throws TcpException EADDRINUSE when the port is taken (see {@link TcpDemux#bindConflict})
     */
    public TcpListener listen(int localAddr, int port, int backlog, SocketOptions options) {
        return listen(IpAddress.ofIpv4(localAddr), port, backlog, options);
    }

    /**
     * {@link #listen(int, int, int, SocketOptions)} on an address of either family: the IPv6
     * wildcard :: takes IPv4 segments too unless {@link SocketOptions#ipv6Only()} (RFC 3493 §3.7).
     */
    public TcpListener listen(IpAddress localAddr, int port, int backlog, SocketOptions options) {
        int bound = port != 0 ? port : freePort(localAddr, options);
        if (host.demux.bindConflict(localAddr, bound, options)) {
            throw new TcpException(TcpError.EADDRINUSE, FourTuple.endpoint(localAddr, bound));
        }
        TcpListener l = new TcpListener(host, localAddr, bound, backlog, options);
        host.demux.add(l);
        return l;
    }

    /** connect() without bind(): an ephemeral port. */
    public TcpConnection connect(int localAddr, int remoteAddr, int remotePort, long now) {
        return connect(new FourTuple(localAddr, 0, remoteAddr, remotePort), SocketOptions.DEFAULT, now);
    }

    /** connect() from a bound local port (0: ephemeral). */
    public TcpConnection connect(FourTuple tuple, long now) {
        return connect(tuple, SocketOptions.DEFAULT, now);
    }

    /**
     * Active OPEN (RFC 9293 §3.10.1) from localAddr (the route's source; never the wildcard).
     * With local port 0, the ephemeral port search of RFC 6056 §3.3.3 (keyed-hash offset per
     * destination, then sequential), skipping 4-tuples in use and listening ports.
     *
     * @throws TcpException EADDRINUSE when the bound port conflicts, EADDRNOTAVAIL when the 4-tuple
     *                      exists or no ephemeral port is free
     */
    public TcpConnection connect(FourTuple tuple, SocketOptions options, long now) {
        if (tuple.localAddr().isUnspecified() || tuple.remoteAddr().isUnspecified() || tuple.remotePort() == 0) {
            throw new IllegalArgumentException("connect needs addresses and a remote port: " + tuple);
        }
        FourTuple t = tuple.localPort() != 0 ? tuple : ephemeral(tuple);
        if (tuple.localPort() != 0 && host.demux.bindConflict(t.localAddr(), t.localPort(), options)) {
            throw new TcpException(TcpError.EADDRINUSE, t.toString());
        } else if (host.demux.inUse(t)) {
            throw new TcpException(TcpError.EADDRNOTAVAIL, t + " is in use");
        }
        return TcpConnection.connect(host, t, options, now);
    }

    /** See {@link #icmpUnreachable(int, int, FourTuple, int, int, long)}; without the quoted sequence number. */
    public void icmpUnreachable(int srcAddr, int dstAddr, FourTuple quoted, int icmpCode, long now) {
        icmpUnreachable(quoted, OptionalInt.empty(), icmpCode, now);
    }

    /**
     * An ICMP destination unreachable (type 3) from srcAddr to dstAddr quoting one of our segments:
     * quoted is that segment's 4-tuple from our side (local = its source), quotedSeq its sequence
     * number, checked against what we sent (RFC 5927 §4.1; Linux OutOfWindowIcmps). Linux
     * tcp_v4_err(): an opening connection fails at once with the code's errno (port -> ECONNREFUSED,
     * host -> EHOSTUNREACH, net -> ENETUNREACH); a listener's half-open request is dropped for the
     * fatal codes only; a synchronized connection keeps the error for a later timeout. Code 4
     * (fragmentation needed) is path MTU discovery, not done yet.
     */
    public void icmpUnreachable(int srcAddr, int dstAddr, FourTuple quoted, int quotedSeq, int icmpCode,
                                long now) {
        icmpUnreachable(quoted, OptionalInt.of(quotedSeq), icmpCode, now);
    }

    private void icmpUnreachable(FourTuple quoted, OptionalInt quotedSeq, int code, long now) {
        TcpConnection c = host.demux.connection(quoted);
        if (c == null || code < 0 || code >= ICMP_ERRORS.length || code == ICMP_FRAG_NEEDED) {
            return;
        } else if (quotedSeq.isPresent() && !IcmpInput.quotesOurSegment(c, quotedSeq.getAsInt())) {
            return;
        }
        IcmpInput.unreachable(c, ICMP_ERRORS[code], ICMP_FATAL[code]);
    }

    /**
     * An ICMPv6 destination unreachable, time exceeded or parameter problem quoting one of our
     * segments (RFC 4443 §3; RFC 5927 §4.1 for the sequence check), as Linux tcp_v6_err() with
     * icmpv6_err_convert(): the same rules as {@link #icmpUnreachable} with IPv6's errno table.
     */
    public void icmpv6Error(FourTuple quoted, int quotedSeq, int type, int code, long now) {
        TcpConnection c = host.demux.connection(quoted);
        Icmpv6Errno.Entry entry = Icmpv6Errno.of(type, code);
        if (c == null || entry == null || !IcmpInput.quotesOurSegment(c, quotedSeq)) {
            return;
        }
        IcmpInput.unreachable(c, entry.errno(), entry.fatal());
    }

    /**
     * An ICMPv6 packet too big (RFC 4443 §3.2, RFC 8201 §4) quoting one of our segments: the path
     * MTU drops to {@code mtu} (never below 1280, RFC 8200 §5) and the connection's send MSS with
     * it, as Linux tcp_v6_mtu_reduced(); a larger MTU than the current one is ignored.
     */
    public void packetTooBig(FourTuple quoted, int quotedSeq, int mtu, long now) {
        TcpConnection c = host.demux.connection(quoted);
        if (c == null || !IcmpInput.quotesOurSegment(c, quotedSeq) || mtu < IcmpInput.IPV6_MIN_MTU) {
            return;
        }
        IcmpInput.mtuReduced(c, mtu, now);
    }

    /** The connection on this 4-tuple (TIME_WAIT included), or null. */
    public TcpConnection connection(FourTuple tuple) {
        return host.demux.connection(tuple);
    }

    /** Every connection the layer holds, half-open and TIME_WAIT ones included (like ss -tan). */
    public List<TcpConnection> connections() {
        return host.demux.connections();
    }

    /** Every listener the layer holds (like ss -tln). */
    public List<TcpListener> listeners() {
        return host.demux.listeners();
    }

    private FourTuple ephemeral(FourTuple tuple) {
        int low = host.config.ephemeralLow();
        int range = host.config.ephemeralHigh() - low + 1;
        int offset = host.isn.portOffset(tuple.localAddr(), tuple.remoteAddr(), tuple.remotePort()) + ephemeralCursor;
        for (int i = 0; i < range; i++) {
            int port = low + Math.floorMod(offset + i, range);
            FourTuple t = new FourTuple(tuple.localAddr(), port, tuple.remoteAddr(), tuple.remotePort());
            if (!host.demux.inUse(t) && !host.demux.listening(t.localAddr(), port)) {
                ephemeralCursor += i + 1;
                return t;
            }
        }
        throw new TcpException(TcpError.EADDRNOTAVAIL, "no free ephemeral port towards " + tuple);
    }

    private int freePort(IpAddress localAddr, SocketOptions options) {
        int low = host.config.ephemeralLow();
        int range = host.config.ephemeralHigh() - low + 1;
        for (int i = 0; i < range; i++) {
            int port = low + Math.floorMod(ephemeralCursor + i, range);
            if (!host.demux.bindConflict(localAddr, port, options)) {
                ephemeralCursor += i + 1;
                return port;
            }
        }
        throw new TcpException(TcpError.EADDRINUSE, "no free port on " + localAddr);
    }
}
