/**
 * UDP (RFC 768, RFC 1122 §4.1) as Linux does it: {@link io.tcpsim.udp.UdpLayer} demultiplexes
 * datagrams to {@link io.tcpsim.udp.UdpEndpoint}s by Linux's scoring (an endpoint bound to the
 * exact address before a wildcard one, a connected one before an unconnected one), applies
 * Linux's SO_REUSEADDR / SO_REUSEPORT binding rules, queues datagrams within SO_RCVBUF by their
 * Linux truesize, and turns ICMP errors into a connected endpoint's pending error.
 *
 * <p>Like {@code tcp}, it sees neither IP nor the link: it takes parsed datagrams of either family
 * (addresses as {@link io.tcpsim.wire.IpAddress}) and the time, and sends through
 * {@link io.tcpsim.udp.DatagramOutput}, which the composition root implements over IPv4 and IPv6
 * (and answers "no port" with an ICMP or ICMPv6 port unreachable). Confined to the stack thread.
 * Depends on {@code wire} and {@code java.base} only.
 */
package io.tcpsim.udp;
