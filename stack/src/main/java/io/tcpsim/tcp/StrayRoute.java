package io.tcpsim.tcp;

import io.tcpsim.wire.IpAddress;
import io.tcpsim.wire.TcpRepr;

/**
 * Where a {@link TcpLayer} sends a segment for which it has no connection, before it treats the
 * segment as a stray (listener or RST, RFC 9293 §3.10.7.1): in a host sharded over the queues of a
 * multi-queue TUN, another shard may own the connection (the kernel delivered the segment to the
 * wrong queue), and a RST would kill a live connection. A SYN that a local listener takes is never
 * offered: the shard the kernel chose for it is the one whose SYN-ACK pins the flow.
 */
@FunctionalInterface
public interface StrayRoute {
    /** A layer that is the whole host: every stray is its own. */
    StrayRoute NONE = (srcAddr, dstAddr, segment) -> false;

    /**
     * Takes {@code segment} (valid only during the call: copy what you keep) to look for its
     * owner elsewhere.
     *
     * @return true when taken; false when the layer handles it as a stray itself
     */
    boolean divert(IpAddress srcAddr, IpAddress dstAddr, TcpRepr segment);
}
