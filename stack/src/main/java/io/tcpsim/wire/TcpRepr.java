package io.tcpsim.wire;

import static io.tcpsim.wire.NetworkOrder.requireRange;

import io.tcpsim.wire.TcpOption.EndOfList;
import io.tcpsim.wire.TcpOption.MaxSegmentSize;
import io.tcpsim.wire.TcpOption.SackBlock;
import io.tcpsim.wire.TcpOption.Timestamps;
import io.tcpsim.wire.TcpOption.WindowScale;
import java.lang.foreign.MemorySegment;
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
 * <p>A {@linkplain #reusable() reusable} segment is the steady state's, filled again for every
 * packet so that none allocates (issue 8): the receive path reads each segment into one
 * ({@link #readAsLinux}), the send path writes its data segments and ACKs from one. Its options
 * stay as bytes, where they lie in the packet or as written, and its payload a place in a buffer
 * or in the send queue ({@link PayloadSource}); the option list and the payload slice are made
 * only when asked for. It is valid until it is filled again: a caller that keeps it keeps
 * {@link #detached()}.
 */
public final class TcpRepr {
    /** A zero-length payload. */
    public static final MemorySegment NO_PAYLOAD = MemorySegment.ofArray(new byte[0]);

    /** Where the data of a segment being sent lie: the connection's send queue, copied once, into the packet. */
    public interface PayloadSource {
        /** Copies {@code length} bytes from {@code offset} of the source into {@code dst} at {@code dstOffset}. */
        void copyTo(long offset, MemorySegment dst, long dstOffset, int length);
    }

    /** How the options are held: as a list, as the bytes of a received segment, as bytes written here. */
    private enum OptionForm { LIST, RECEIVED, WRITTEN }

    private static final int LINUX_TIMESTAMPS_LENGTH = 12;
    private static final int TS_VAL = 2;
    private static final int TS_ECR = 6;
    private static final int CHECKSUM = 16;

    private final boolean reusable;
    private final MemorySegment writtenOptions;
    private int srcPort;
    private int dstPort;
    private int seq;
    private int ack;
    private int flags;
    private int window;
    private int urgentPointer;
    private OptionForm optionForm = OptionForm.LIST;
    /** The list; for bytes, made from them when first asked for. */
    private List<TcpOption> options;
    private MemorySegment optionBytes;
    private long optionsAt;
    private int optionsLength;
    /** Where the timestamps option lies in {@link #optionBytes}, -1 for none. */
    private long timestampsAt = -1;
    private MemorySegment payloadBase;
    private PayloadSource payloadSource;
    private long payloadAt;
    private int payloadLength;
    /** The payload as one segment: a slice of {@link #payloadBase}, or a copy from the source, made when asked for. */
    private MemorySegment payload;

    /**
     * @param seq   raw sequence number
     * @param ack   raw acknowledgment number (meaningful when ACK is set)
     * @param flags control bits, {@link TcpPacket#FIN} .. {@link TcpPacket#CWR}
     */
    public TcpRepr(int srcPort, int dstPort, int seq, int ack, int flags, int window, int urgentPointer,
                   List<TcpOption> options, MemorySegment payload) {
        this(false);
        header(srcPort, dstPort, seq, ack, flags, window, urgentPointer);
        setOptions(options);
        Objects.requireNonNull(payload, "payload");
        long maxPayload = 0xFFFF - TcpPacket.MIN_HEADER_LENGTH - (long) roundUp4(optionsEncodedLength());
        if (payload.byteSize() > maxPayload) {
            throw new IllegalArgumentException("payload " + payload.byteSize() + " bytes > " + maxPayload);
        }
        this.payloadBase = payload;
        this.payloadLength = (int) payload.byteSize();
        this.payload = payload;
    }

    private TcpRepr(boolean reusable) {
        this.reusable = reusable;
        this.writtenOptions = reusable ? MemorySegment.ofArray(new byte[TcpOption.MAX_OPTIONS_LENGTH]) : null;
    }

    /** A segment to fill again and again: see the class comment. */
    public static TcpRepr reusable() {
        return new TcpRepr(true);
    }

    /**
     * Fills this reusable segment from the {@code length} bytes at {@code at} in {@code packet},
     * as Linux's tcp_v4_rcv() reads a header: the header's length checked, the options read as
     * {@link TcpOptions#parseAsLinux} reads them, when asked for. No slice or list is made. The
     * checksum is the caller's ({@link TcpPacket#verifyChecksum(MemorySegment, long, int, int, int)}).
     *
     * @return null when read, else why the header is malformed
     */
    public Malformed readAsLinux(MemorySegment packet, long at, int length) {
        requireReusable();
        if (length < TcpPacket.MIN_HEADER_LENGTH) {
            return Malformed.TRUNCATED;
        }
        int headerLength = (NetworkOrder.u8(packet, at + 12) >>> 4) * 4;
        if (headerLength < TcpPacket.MIN_HEADER_LENGTH) {
            return Malformed.TCP_BAD_DATA_OFFSET;
        } else if (headerLength > length) {
            return Malformed.TCP_DATA_OFFSET_PAST_PACKET;
        }
        srcPort = NetworkOrder.u16(packet, at);
        dstPort = NetworkOrder.u16(packet, at + 2);
        seq = NetworkOrder.i32(packet, at + 4);
        ack = NetworkOrder.i32(packet, at + 8);
        flags = NetworkOrder.u8(packet, at + 13);
        window = NetworkOrder.u16(packet, at + 14);
        urgentPointer = NetworkOrder.u16(packet, at + 18);
        optionForm = OptionForm.RECEIVED;
        options = null;
        optionBytes = packet;
        optionsAt = at + TcpPacket.MIN_HEADER_LENGTH;
        optionsLength = headerLength - TcpPacket.MIN_HEADER_LENGTH;
        timestampsAt = TcpOptions.findAsLinux(packet, optionsAt, optionsLength, TcpOption.KIND_TIMESTAMPS);
        setPayload(packet, at + headerLength, length - headerLength);
        return null;
    }

    /** Sets the header fields of a segment to send (a reusable one). */
    public void header(int srcPort, int dstPort, int seq, int ack, int flags, int window, int urgentPointer) {
        this.srcPort = requireRange("srcPort", srcPort, 0, 0xFFFF);
        this.dstPort = requireRange("dstPort", dstPort, 0, 0xFFFF);
        this.seq = seq;
        this.ack = ack;
        this.flags = requireRange("flags", flags, 0, 0xFF);
        this.window = requireRange("window", window, 0, 0xFFFF);
        this.urgentPointer = requireRange("urgentPointer", urgentPointer, 0, 0xFFFF);
    }

    /** The options of a segment to send, as a list (checked as the constructor checks them). */
    public void setOptions(List<TcpOption> list) {
        List<TcpOption> copy = List.copyOf(list);
        int optionsLength = TcpOptions.encodedLength(copy);
        requireRange("options length", optionsLength, 0, TcpOption.MAX_OPTIONS_LENGTH);
        boolean endsWithEol = !copy.isEmpty() && copy.getLast() instanceof EndOfList;
        if (optionsLength % 4 != 0 && !endsWithEol) {
            throw new IllegalArgumentException("options take " + optionsLength
                    + " bytes, not a multiple of 4, and do not end with End-of-List: " + copy);
        }
        optionForm = OptionForm.LIST;
        options = copy;
        optionBytes = null;
        timestampsAt = -1;
    }

    /**
     * The options of a reusable segment to send: NOP, NOP, timestamps, the 12 bytes Linux's
     * tcp_options_write() puts on every segment after the handshake (RFC 7323 §3.2), written
     * here without an option list.
     */
    public void setLinuxTimestamps(int tsVal, int tsEcr) {
        requireReusable();
        NetworkOrder.set8(writtenOptions, 0, TcpOption.KIND_NO_OPERATION);
        NetworkOrder.set8(writtenOptions, 1, TcpOption.KIND_NO_OPERATION);
        NetworkOrder.set8(writtenOptions, 2, TcpOption.KIND_TIMESTAMPS);
        NetworkOrder.set8(writtenOptions, 3, LINUX_TIMESTAMPS_LENGTH - 2);
        NetworkOrder.set32(writtenOptions, 2 + TS_VAL, tsVal);
        NetworkOrder.set32(writtenOptions, 2 + TS_ECR, tsEcr);
        optionForm = OptionForm.WRITTEN;
        options = null;
        optionBytes = writtenOptions;
        optionsAt = 0;
        optionsLength = LINUX_TIMESTAMPS_LENGTH;
        timestampsAt = 2;
    }

    /** The payload of a reusable segment: {@code length} bytes at {@code at} in {@code base}, not copied. */
    public void setPayload(MemorySegment base, long at, int length) {
        payloadIn(base, null, at, length);
    }

    /** The payload of a reusable segment: {@code length} bytes at {@code at} in {@code source}, copied when emitted. */
    public void setPayload(PayloadSource source, long at, int length) {
        payloadIn(null, source, at, length);
    }

    /** The payload where it lies: in {@code base} or, when that is null, in {@code source}. */
    private void payloadIn(MemorySegment base, PayloadSource source, long at, int length) {
        requireReusable();
        requirePayloadFits(length);
        payloadBase = base;
        payloadSource = source;
        payloadAt = at;
        payloadLength = length;
        payload = null;
    }

    public int srcPort() {
        return srcPort;
    }

    public int dstPort() {
        return dstPort;
    }

    /** Raw sequence number. */
    public int seq() {
        return seq;
    }

    /** Raw acknowledgment number (meaningful when ACK is set). */
    public int ack() {
        return ack;
    }

    /** Control bits, {@link TcpPacket#FIN} .. {@link TcpPacket#CWR}. */
    public int flags() {
        return flags;
    }

    public int window() {
        return window;
    }

    public int urgentPointer() {
        return urgentPointer;
    }

    /** The options, in order; of a reusable segment, made from its bytes (a list) when first asked for. */
    public List<TcpOption> options() {
        if (options == null) {
            options = TcpOptions.parseAsLinux(optionBytes, optionsAt, optionsLength);
        }
        return options;
    }

    /** The payload as one segment; of a reusable segment, a slice or a copy made when first asked for. */
    public MemorySegment payload() {
        if (payload == null) {
            payload = payloadSource != null ? MemorySegment.ofArray(payloadBytes())
                    : payloadBase.asSlice(payloadAt, payloadLength);
        }
        return payload;
    }

    /** The payload's length in bytes. */
    public int payloadLength() {
        return payloadLength;
    }

    /** A segment the payload lies in, at {@link #payloadOffset()}: no slice made for a received segment. */
    public MemorySegment payloadSegment() {
        return payloadSource != null ? payload() : payloadBase;
    }

    /** Where the payload starts in {@link #payloadSegment()}. */
    public long payloadOffset() {
        return payloadSource != null ? 0 : payloadAt;
    }

    /** Copies the payload into {@code dst} at {@code dstOffset}: the one copy of the send path. */
    public void copyPayload(MemorySegment dst, long dstOffset) {
        if (payloadSource != null) {
            payloadSource.copyTo(payloadAt, dst, dstOffset, payloadLength);
        } else {
            MemorySegment.copy(payloadBase, payloadAt, dst, dstOffset, payloadLength);
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
     * Parses a segment over IPv4 as Linux's input path does, into a whole segment: the header
     * checked, the checksum verified when {@code verify} (false for a segment the link vouches
     * for, Linux skb_csum_unnecessary()), and malformed options left out instead of refusing the
     * segment ({@link TcpOptions#parseAsLinux}). The stack reads into a reusable one instead
     * ({@link #readAsLinux}), which must agree with this.
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
        return TcpPacket.MIN_HEADER_LENGTH + roundUp4(optionsEncodedLength());
    }

    /** Header plus payload: the TCP length of the pseudo-header. */
    public int bufferLength() {
        return headerLength() + payloadLength;
    }

    /** SEG.LEN (RFC 9293 §3.4): payload bytes plus one for SYN and one for FIN. */
    public int segLen() {
        return payloadLength + ((flags & TcpPacket.SYN) != 0 ? 1 : 0) + ((flags & TcpPacket.FIN) != 0 ? 1 : 0);
    }

    public boolean hasFlags(int mask) {
        return (flags & mask) == mask;
    }

    /** The MSS option's value (RFC 9293 §3.7.1), if present. */
    public OptionalInt mss() {
        return options().stream().filter(o -> o instanceof MaxSegmentSize)
                .mapToInt(o -> ((MaxSegmentSize) o).mss()).findFirst();
    }

    /** The window scale option's raw shift (RFC 7323 §2.2), if present. */
    public OptionalInt windowScale() {
        return options().stream().filter(o -> o instanceof WindowScale)
                .mapToInt(o -> ((WindowScale) o).shift()).findFirst();
    }

    /** The timestamps option (RFC 7323 §3.2), if present. */
    public Optional<Timestamps> timestamps() {
        return Optional.ofNullable(timestampsOrNull());
    }

    /** {@link #timestamps()} without the Optional. */
    public Timestamps timestampsOrNull() {
        if (optionForm != OptionForm.LIST) {
            return timestampsAt < 0 ? null : new Timestamps(tsVal(), tsEcr());
        }
        for (int i = 0; i < options.size(); i++) {
            if (options.get(i) instanceof Timestamps t) {
                return t;
            }
        }
        return null;
    }

    /** Whether the timestamps option is present: for the receive path, which asks on every segment, without an object. */
    public boolean hasTimestamps() {
        return optionForm != OptionForm.LIST ? timestampsAt >= 0 : timestampsOrNull() != null;
    }

    /** TSval of the timestamps option, which must be present ({@link #hasTimestamps()}). */
    public int tsVal() {
        return optionForm != OptionForm.LIST ? NetworkOrder.i32(optionBytes, timestampsAt + TS_VAL)
                : requireTimestamps().tsVal();
    }

    /** TSecr of the timestamps option, which must be present ({@link #hasTimestamps()}). */
    public int tsEcr() {
        return optionForm != OptionForm.LIST ? NetworkOrder.i32(optionBytes, timestampsAt + TS_ECR)
                : requireTimestamps().tsEcr();
    }

    private Timestamps requireTimestamps() {
        Timestamps t = timestampsOrNull();
        if (t == null) {
            throw new IllegalStateException("no timestamps option: " + this);
        }
        return t;
    }

    /**
     * This segment with a payload of its own, for keeping past a {@code SegmentOutput} call or
     * past the input of a reusable one: of a reusable segment, a whole copy.
     */
    public TcpRepr detached() {
        if (reusable) {
            return new TcpRepr(srcPort, dstPort, seq, ack, flags, window, urgentPointer, options(),
                    payloadLength == 0 ? NO_PAYLOAD : MemorySegment.ofArray(payloadBytes()));
        } else if (payloadLength == 0) {
            return this;
        }
        return new TcpRepr(srcPort, dstPort, seq, ack, flags, window, urgentPointer, options,
                MemorySegment.ofArray(payloadBytes()));
    }

    /** True when a SACK-permitted option is present (RFC 2018 §2). */
    public boolean sackPermitted() {
        return options().stream().anyMatch(o -> o instanceof TcpOption.SackPermitted);
    }

    /** The blocks of the SACK option (RFC 2018 §3), empty when absent. */
    public List<SackBlock> sackBlocks() {
        if (optionForm == OptionForm.WRITTEN || optionForm == OptionForm.RECEIVED
                && TcpOptions.findAsLinux(optionBytes, optionsAt, optionsLength, TcpOption.KIND_SACK) < 0) {
            return List.of(); // asked on every ACK: no list made from the bytes of one without SACK
        }
        List<TcpOption> all = options();
        // A loop, not a stream: asked on every ACK; a segment carries at most one SACK option.
        List<SackBlock> blocks = List.of();
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i) instanceof TcpOption.Sack sack) {
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
        byte[] copy = new byte[payloadLength];
        copyPayload(MemorySegment.ofArray(copy), 0);
        return copy;
    }

    /**
     * Writes the segment with its IPv4 checksum into {@code packet}, whose segment must be exactly
     * {@link #bufferLength()} bytes (it is what the checksum covers).
     */
    public void emit(TcpPacket packet, int srcAddr, int dstAddr) {
        requireExactly(packet.segment());
        write(packet.segment(), srcAddr, dstAddr);
    }

    /** Writes the segment with its IPv6 checksum; see {@link #emit(TcpPacket, int, int)}. */
    public void emit(TcpPacket packet, MemorySegment srcAddr, MemorySegment dstAddr) {
        requireExactly(packet.segment());
        writeFields(packet.segment());
        packet.fillChecksum(srcAddr, dstAddr);
    }

    /**
     * Writes the segment with a partial IPv4 checksum, the pseudo-header sum alone, for a link
     * that completes it (TSO, checksum offload; see {@link TcpPacket#fillPartialChecksum(int, int)}).
     */
    public void emitPartial(TcpPacket packet, int srcAddr, int dstAddr) {
        requireExactly(packet.segment());
        writePartial(packet.segment(), srcAddr, dstAddr);
    }

    /** {@link #emitPartial(TcpPacket, int, int)} with the IPv6 pseudo-header. */
    public void emitPartial(TcpPacket packet, MemorySegment srcAddr, MemorySegment dstAddr) {
        requireExactly(packet.segment());
        writeFields(packet.segment());
        packet.fillPartialChecksum(srcAddr, dstAddr);
    }

    /** Writes the segment at the start of {@code buffer}; returns a view over exactly it. */
    public TcpPacket emit(MemorySegment buffer, int srcAddr, int dstAddr) {
        int length = bufferLength();
        TcpPacket packet = TcpPacket.unchecked(buffer.byteSize() == length ? buffer : buffer.asSlice(0, length));
        emit(packet, srcAddr, dstAddr);
        return packet;
    }

    /**
     * Writes the segment with its IPv4 checksum at the start of {@code buffer}, which must hold
     * {@link #bufferLength()} bytes: the send path's, without a view or a slice.
     */
    public void write(MemorySegment buffer, int srcAddr, int dstAddr) {
        int length = writeFields(buffer);
        NetworkOrder.set16(buffer, CHECKSUM, 0);
        int sum = Checksum.ones16(buffer, 0, length,
                Checksum.pseudoHeaderIpv4(srcAddr, dstAddr, Ipv4Packet.PROTO_TCP, length));
        NetworkOrder.set16(buffer, CHECKSUM, Checksum.finish(sum));
    }

    /** {@link #write} with the partial checksum of {@link #emitPartial(TcpPacket, int, int)}. */
    public void writePartial(MemorySegment buffer, int srcAddr, int dstAddr) {
        int length = writeFields(buffer);
        NetworkOrder.set16(buffer, CHECKSUM, Checksum.pseudoHeaderIpv4(srcAddr, dstAddr, Ipv4Packet.PROTO_TCP, length));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TcpRepr that
                && srcPort == that.srcPort && dstPort == that.dstPort && seq == that.seq && ack == that.ack
                && flags == that.flags && window == that.window && urgentPointer == that.urgentPointer
                && options().equals(that.options()) && payloadLength == that.payloadLength
                && payload().mismatch(that.payload()) == -1;
    }

    @Override
    public int hashCode() {
        int hash = Objects.hash(srcPort, dstPort, seq, ack, flags, window, urgentPointer, options());
        MemorySegment bytes = payload();
        for (long i = 0; i < payloadLength; i++) {
            hash = 31 * hash + bytes.get(NetworkOrder.U8, i);
        }
        return hash;
    }

    @Override
    public String toString() {
        return "TcpRepr[" + srcPort + " > " + dstPort + ", seq " + Integer.toUnsignedString(seq)
                + ", ack " + Integer.toUnsignedString(ack) + ", flags 0x" + Integer.toHexString(flags)
                + ", win " + window + ", urg " + urgentPointer + ", options "
                + options().stream().map(Object::toString).collect(Collectors.joining(",", "[", "]"))
                + ", payload " + payloadLength + " bytes]";
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

    /** Writes header, options and payload at the start of {@code buffer}, the checksum field left; returns the TCP length. */
    private int writeFields(MemorySegment buffer) {
        int headerLength = headerLength();
        int length = headerLength + payloadLength;
        NetworkOrder.set16(buffer, 0, srcPort);
        NetworkOrder.set16(buffer, 2, dstPort);
        NetworkOrder.set32(buffer, 4, seq);
        NetworkOrder.set32(buffer, 8, ack);
        NetworkOrder.set8(buffer, 12, headerLength / 4 << 4);
        NetworkOrder.set8(buffer, 13, flags);
        NetworkOrder.set16(buffer, 14, window);
        NetworkOrder.set16(buffer, 18, urgentPointer);
        int end = TcpPacket.MIN_HEADER_LENGTH;
        if (optionForm == OptionForm.WRITTEN) {
            MemorySegment.copy(optionBytes, optionsAt, buffer, end, optionsLength);
            end += optionsLength;
        } else {
            end += TcpOptions.emit(options(), buffer, end);
        }
        for (int i = end; i < headerLength; i++) {
            NetworkOrder.set8(buffer, i, 0);
        }
        copyPayload(buffer, headerLength);
        return length;
    }

    private int optionsEncodedLength() {
        return optionForm == OptionForm.WRITTEN ? optionsLength : TcpOptions.encodedLength(options());
    }

    private void requireExactly(MemorySegment segment) {
        if (segment.byteSize() != bufferLength()) {
            throw new IllegalArgumentException("segment is " + segment.byteSize()
                    + " bytes, the TCP segment " + bufferLength());
        }
    }

    private void requireReusable() {
        if (!reusable) {
            throw new IllegalStateException("a segment made whole is not filled again; TcpRepr.reusable() is");
        }
    }

    private static void requirePayloadFits(long length) {
        long maxPayload = 0xFFFF - TcpPacket.MIN_HEADER_LENGTH;
        if (length < 0 || length > maxPayload) {
            throw new IllegalArgumentException("payload " + length + " bytes > " + maxPayload);
        }
    }

    private static int roundUp4(int length) {
        return (length + 3) & ~3;
    }
}
