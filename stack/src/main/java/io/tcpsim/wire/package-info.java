/**
 * Packets on the wire: zero-copy views over one {@link java.lang.foreign.MemorySegment} and
 * validated records built from them.
 *
 * <p>Two levels, as in smoltcp's {@code wire} module:
 * <ul>
 *   <li>a <em>view</em> ({@link io.tcpsim.wire.Ipv4Packet}, {@link io.tcpsim.wire.TcpPacket},
 *       {@link io.tcpsim.wire.UdpPacket}, {@link io.tcpsim.wire.Icmpv4Packet},
 *       {@link io.tcpsim.wire.Ipv6Packet}) reads and writes header fields in place.
 *       {@code checked(segment)} validates the lengths once, so no accessor of a checked view can
 *       fail afterwards; {@code unchecked(segment)} is for the emit path, where the caller sized
 *       the buffer;</li>
 *   <li>a <em>repr</em> record ({@link io.tcpsim.wire.Ipv4Repr}, {@link io.tcpsim.wire.TcpRepr},
 *       {@link io.tcpsim.wire.UdpRepr}, {@link io.tcpsim.wire.Icmpv4Repr},
 *       {@link io.tcpsim.wire.Ipv6Repr}) holds validated field values; {@code parse(view)}
 *       verifies checksums and {@code emit(view)} writes a complete header with its checksum.</li>
 * </ul>
 * The steady state's packet path makes neither per packet (issue 8): it moves one view from packet to
 * packet ({@link io.tcpsim.wire.Ipv4Packet#reusable()}) and reads and writes TCP segments through
 * a reusable {@link io.tcpsim.wire.TcpRepr} (a class, not a record, for that reason), whose
 * options stay bytes and whose payload stays where it lies until something asks for them whole.
 * Every rejection carries a {@link io.tcpsim.wire.Malformed} reason. This package depends on
 * {@code java.base} only.
 */
package io.tcpsim.wire;
