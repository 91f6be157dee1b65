package io.tcpsim.wire;

import static io.tcpsim.wire.NetworkOrder.requireRange;

import io.tcpsim.wire.TcpOption.EndOfList;
import io.tcpsim.wire.TcpOption.MaxSegmentSize;
import io.tcpsim.wire.TcpOption.SackBlock;
import io.tcpsim.wire.TcpOption.Timestamps;
import io.tcpsim.wire.TcpOption.WindowScale;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Collectors;

/**
 * A validated TCP segment (RFC 9293 §3.1): the TCB's input and output, and the template tests
 * compare whole.
 *
 * <p>The options are emitted exactly as listed: their length must be a multiple of 4, or the list
 * must end with {@link EndOfList} (the zero bytes up to the data offset are then padding after
 * it); see {@link TcpOptions#alignLinuxStyle(List)} and {@link TcpOptions#padWithEol(List)}.
 *
 * <p>{@code payload} is not copied: after {@link #parse} it is a slice of the parsed buffer, so
 * copy it ({@link #payloadBytes()}) before that buffer is reused. Equality compares its content.
 *
 * @param seq   raw sequence number
 * @param ack   raw acknowledgment number (meaningful when ACK is set)
 * @param flags control bits, {@link TcpPacket#FIN} .. {@link TcpPacket#CWR}
 */
public record TcpRepr(int srcPort, int dstPort, int seq, int ack, int flags, int window,
                      int urgentPointer, List<TcpOption> options, MemorySegment payload) {
    /** A zero-length payload. */
    public static final MemorySegment NO_PAYLOAD = MemorySegment.ofArray(new byte[0]);

    public TcpRepr {
        requireRange("srcPort", srcPort, 0, 0xFFFF);
        requireRange("dstPort", dstPort, 0, 0xFFFF);
        requireRange("flags", flags, 0, 0xFF);
        requireRange("window", window, 0, 0xFFFF);
        requireRange("urgentPointer", urgentPointer, 0, 0xFFFF);
        options = List.copyOf(options);
        Objects.requireNonNull(payload, "payload");
        int optionsLength = TcpOptions.encodedLength(options);
        requireRange("options length", optionsLength, 0, TcpOption.MAX_OPTIONS_LENGTH);
        boolean endsWithEol = !options.isEmpty() && options.getLast() instanceof EndOfList;
        if (optionsLength % 4 != 0 && !endsWithEol) {
            throw new IllegalArgumentException("options take " + optionsLength
                    + " bytes, not a multiple of 4, and do not end with End-of-List: " + options);
        }
        long maxPayload = 0xFFFF - TcpPacket.MIN_HEADER_LENGTH - (long) roundUp4(optionsLength);
        if (payload.byteSize() > maxPayload) {
            throw new IllegalArgumentException("payload " + payload.byteSize() + " bytes > " + maxPayload);
        }
    }

    /** Parses a segment carried over IPv4, verifying the checksum (RFC 9293 §3.1). */
    public static TcpRepr parse(TcpPacket packet, int srcAddr, int dstAddr) {
        requireValid(packet);
        if (!packet.verifyChecksum(srcAddr, dstAddr)) {
            throw new MalformedPacketException(Malformed.TCP_BAD_CHECKSUM);
        }
        return fromValid(packet);
    }

    /**
     * Parses a segment over IPv4 as Linux's input path does: the header checked and the checksum
     * verified, but malformed options left out instead of refusing the segment
     * ({@link TcpOptions#parseAsLinux}).
     */
    public static TcpRepr parseAsLinux(TcpPacket packet, int srcAddr, int dstAddr) {
        return parseAsLinux(packet, srcAddr, dstAddr, true);
    }

    /**
     * {@link #parseAsLinux(TcpPacket, int, int)}, the checksum verified only when {@code verify}:
     * false for a segment the link vouches for (Linux skb_csum_unnecessary()).
     */
    public static TcpRepr parseAsLinux(TcpPacket packet, int srcAddr, int dstAddr, boolean verify) {
        Malformed problem = TcpPacket.checkHeader(packet.segment());
        if (problem != null) {
            throw new MalformedPacketException(problem);
        } else if (verify && !packet.verifyChecksum(srcAddr, dstAddr)) {
            throw new MalformedPacketException(Malformed.TCP_BAD_CHECKSUM);
        }
        int headerLength = packet.headerLength();
        return new TcpRepr(packet.srcPort(), packet.dstPort(), packet.seqNumber(), packet.ackNumber(),
                packet.flags(), packet.window(), packet.urgentPointer(),
                TcpOptions.parseAsLinux(packet.segment(), TcpPacket.MIN_HEADER_LENGTH,
                        headerLength - TcpPacket.MIN_HEADER_LENGTH), packet.payload());
    }

    /** Parses a segment carried over IPv6 (16-byte addresses), verifying the checksum. */
    public static TcpRepr parse(TcpPacket packet, MemorySegment srcAddr, MemorySegment dstAddr) {
        return parse(packet, srcAddr, dstAddr, true);
    }

    /** {@link #parse(TcpPacket, MemorySegment, MemorySegment)}, the checksum verified only when {@code verify}. */
    public static TcpRepr parse(TcpPacket packet, MemorySegment srcAddr, MemorySegment dstAddr, boolean verify) {
        requireValid(packet);
        if (verify && !packet.verifyChecksum(srcAddr, dstAddr)) {
            throw new MalformedPacketException(Malformed.TCP_BAD_CHECKSUM);
        }
        return fromValid(packet);
    }

    /** Header length: 20 bytes plus the options rounded up to a multiple of 4. */
    public int headerLength() {
        return TcpPacket.MIN_HEADER_LENGTH + roundUp4(TcpOptions.encodedLength(options));
    }

    /** Header plus payload: the TCP length of the pseudo-header. */
    public int bufferLength() {
        return headerLength() + (int) payload.byteSize();
    }

    /** SEG.LEN (RFC 9293 §3.4): payload bytes plus one for SYN and one for FIN. */
    public int segLen() {
        return (int) payload.byteSize() + ((flags & TcpPacket.SYN) != 0 ? 1 : 0)
                + ((flags & TcpPacket.FIN) != 0 ? 1 : 0);
    }

    public boolean hasFlags(int mask) {
        return (flags & mask) == mask;
    }

    /** The MSS option's value (RFC 9293 §3.7.1), if present. */
    public OptionalInt mss() {
        return options.stream().filter(o -> o instanceof MaxSegmentSize)
                .mapToInt(o -> ((MaxSegmentSize) o).mss()).findFirst();
    }

    /** The window scale option's raw shift (RFC 7323 §2.2), if present. */
    public OptionalInt windowScale() {
        return options.stream().filter(o -> o instanceof WindowScale)
                .mapToInt(o -> ((WindowScale) o).shift()).findFirst();
    }

    /** The timestamps option (RFC 7323 §3.2), if present. */
    public Optional<Timestamps> timestamps() {
        return Optional.ofNullable(timestampsOrNull());
    }

    /** {@link #timestamps()} without the Optional, for the receive path, which asks on every segment. */
    public Timestamps timestampsOrNull() {
        for (int i = 0; i < options.size(); i++) {
            if (options.get(i) instanceof Timestamps t) {
                return t;
            }
        }
        return null;
    }

    /** This segment with a payload of its own, for keeping past a {@code SegmentOutput} call. */
    public TcpRepr detached() {
        if (payload.byteSize() == 0) {
            return this;
        }
        return new TcpRepr(srcPort, dstPort, seq, ack, flags, window, urgentPointer, options,
                MemorySegment.ofArray(payload.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE)));
    }

    /** True when a SACK-permitted option is present (RFC 2018 §2). */
    public boolean sackPermitted() {
        return options.stream().anyMatch(o -> o instanceof TcpOption.SackPermitted);
    }

    /** The blocks of the SACK option (RFC 2018 §3), empty when absent. */
    public List<SackBlock> sackBlocks() {
        // A loop, not a stream: asked on every ACK; a segment carries at most one SACK option.
        List<SackBlock> blocks = List.of();
        for (int i = 0; i < options.size(); i++) {
            if (options.get(i) instanceof TcpOption.Sack sack) {
                blocks = blocks.isEmpty() ? sack.blocks() : concat(blocks, sack.blocks());
            }
        }
        return blocks;
    }

    private static List<SackBlock> concat(List<SackBlock> a, List<SackBlock> b) {
        List<SackBlock> all = new java.util.ArrayList<>(a);
        all.addAll(b);
        return List.copyOf(all);
    }

    /** A copy of the payload bytes. */
    public byte[] payloadBytes() {
        return payload.toArray(NetworkOrder.U8);
    }

    /**
     * Writes the segment with its IPv4 checksum into {@code packet}, whose segment must be exactly
     * {@link #bufferLength()} bytes (it is what the checksum covers).
     */
    public void emit(TcpPacket packet, int srcAddr, int dstAddr) {
        writeFields(packet);
        packet.fillChecksum(srcAddr, dstAddr);
    }

    /** Writes the segment with its IPv6 checksum; see {@link #emit(TcpPacket, int, int)}. */
    public void emit(TcpPacket packet, MemorySegment srcAddr, MemorySegment dstAddr) {
        writeFields(packet);
        packet.fillChecksum(srcAddr, dstAddr);
    }

    /**
     * Writes the segment with a partial IPv4 checksum, the pseudo-header sum alone, for a link
     * that completes it (TSO, checksum offload; see {@link TcpPacket#fillPartialChecksum(int, int)}).
     */
    public void emitPartial(TcpPacket packet, int srcAddr, int dstAddr) {
        writeFields(packet);
        packet.fillPartialChecksum(srcAddr, dstAddr);
    }

    /** {@link #emitPartial(TcpPacket, int, int)} with the IPv6 pseudo-header. */
    public void emitPartial(TcpPacket packet, MemorySegment srcAddr, MemorySegment dstAddr) {
        writeFields(packet);
        packet.fillPartialChecksum(srcAddr, dstAddr);
    }

    /** Writes the segment at the start of {@code buffer}; returns a view over exactly it. */
    public TcpPacket emit(MemorySegment buffer, int srcAddr, int dstAddr) {
        int length = bufferLength();
        TcpPacket packet = TcpPacket.unchecked(buffer.byteSize() == length ? buffer : buffer.asSlice(0, length));
        emit(packet, srcAddr, dstAddr);
        return packet;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TcpRepr that
                && srcPort == that.srcPort && dstPort == that.dstPort && seq == that.seq && ack == that.ack
                && flags == that.flags && window == that.window && urgentPointer == that.urgentPointer
                && options.equals(that.options) && payload.byteSize() == that.payload.byteSize()
                && payload.mismatch(that.payload) == -1;
    }

    @Override
    public int hashCode() {
        int hash = Objects.hash(srcPort, dstPort, seq, ack, flags, window, urgentPointer, options);
        for (long i = 0; i < payload.byteSize(); i++) {
            hash = 31 * hash + payload.get(NetworkOrder.U8, i);
        }
        return hash;
    }

    @Override
    public String toString() {
        return "TcpRepr[" + srcPort + " > " + dstPort + ", seq " + Integer.toUnsignedString(seq)
                + ", ack " + Integer.toUnsignedString(ack) + ", flags 0x" + Integer.toHexString(flags)
                + ", win " + window + ", urg " + urgentPointer + ", options "
                + options.stream().map(Object::toString).collect(Collectors.joining(",", "[", "]"))
                + ", payload " + payload.byteSize() + " bytes]";
    }

    private static void requireValid(TcpPacket packet) {
        Malformed problem = TcpPacket.check(packet.segment());
        if (problem != null) {
            throw new MalformedPacketException(problem);
        }
    }

    private static TcpRepr fromValid(TcpPacket packet) {
        return new TcpRepr(packet.srcPort(), packet.dstPort(), packet.seqNumber(), packet.ackNumber(),
                packet.flags(), packet.window(), packet.urgentPointer(),
                TcpOptions.parse(packet.options()), packet.payload());
    }

    private void writeFields(TcpPacket packet) {
        int headerLength = headerLength();
        if (packet.segment().byteSize() != bufferLength()) {
            throw new IllegalArgumentException("segment is " + packet.segment().byteSize()
                    + " bytes, the TCP segment " + bufferLength());
        }
        packet.setSrcPort(srcPort);
        packet.setDstPort(dstPort);
        packet.setSeqNumber(seq);
        packet.setAckNumber(ack);
        packet.setHeaderLength(headerLength);
        packet.setFlags(flags);
        packet.setWindow(window);
        packet.setUrgentPointer(urgentPointer);
        MemorySegment header = packet.segment();
        int end = TcpPacket.MIN_HEADER_LENGTH + TcpOptions.emit(options, header, TcpPacket.MIN_HEADER_LENGTH);
        for (int i = end; i < headerLength; i++) {
            header.set(ValueLayout.JAVA_BYTE, i, (byte) 0);
        }
        MemorySegment.copy(payload, 0, header, headerLength, payload.byteSize());
    }

    private static int roundUp4(int length) {
        return (length + 3) & ~3;
    }
}
