package io.tcpsim.wire;

import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import io.tcpsim.wire.TcpOption.MaxSegmentSize;
import io.tcpsim.wire.TcpOption.Sack;
import io.tcpsim.wire.TcpOption.SackBlock;
import io.tcpsim.wire.TcpOption.Timestamps;
import io.tcpsim.wire.TcpOption.Unknown;
import io.tcpsim.wire.TcpOption.WindowScale;
import java.lang.foreign.MemorySegment;
import java.util.List;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/** QuickTheories generators of valid wire records (and raw values) for the property tests. */
final class WireGenerators {
    private static final int MAX_OPTIONS_IN_A_LIST = 12;

    private WireGenerators() {
    }

    static Gen<Integer> ints() {
        return integers().all();
    }

    static Gen<Integer> u16() {
        return integers().between(0, 0xFFFF);
    }

    static Gen<Integer> u8() {
        return integers().between(0, 0xFF);
    }

    static Gen<Byte> anyByte() {
        return Generate.bytes(Byte.MIN_VALUE, Byte.MAX_VALUE, (byte) 0);
    }

    /** Arrays of 0 to {@code maxLength} arbitrary bytes. */
    static Gen<byte[]> bytes(int maxLength) {
        return Generate.byteArrays(integers().between(0, maxLength), anyByte());
    }

    static Gen<Ipv4Repr> ipv4Reprs() {
        Gen<Integer> payloadLength = integers().between(0, 0xFFFF - Ipv4Packet.MIN_HEADER_LENGTH);
        Gen<Boolean> flag = booleans().all();
        Gen<Integer> fragmentOffset = integers().between(0, 0x1FFF).map(units -> units * 8);
        Gen<Integer> dscp = integers().between(0, 63);
        Gen<Integer> ecn = integers().between(0, 3);
        return in -> new Ipv4Repr(ints().generate(in), ints().generate(in), u8().generate(in), u8().generate(in),
                payloadLength.generate(in), u16().generate(in), flag.generate(in), flag.generate(in),
                fragmentOffset.generate(in), dscp.generate(in), ecn.generate(in));
    }

    /** Any option but End-of-List, which only ends a list. */
    static Gen<TcpOption> tcpOptions() {
        Gen<SackBlock> block = ints().zip(ints(), SackBlock::new);
        Gen<Integer> unknownKinds = u8().assuming(kind -> !Unknown.isKnownKind(kind));
        return Generate.<TcpOption>oneOf(
                Generate.constant(TcpOption.NOP),
                Generate.constant(TcpOption.SACK_PERMITTED),
                u16().map(MaxSegmentSize::new),
                u8().map(WindowScale::new),
                ints().zip(ints(), Timestamps::new),
                lists().of(block).ofSizeBetween(1, Sack.MAX_BLOCKS).map(Sack::new),
                unknownKinds.zip(bytes(10), Unknown::new));
    }

    /** Option lists that fit the 40-byte area, padded with End-of-List to whole words. */
    static Gen<List<TcpOption>> tcpOptionLists() {
        return lists().of(tcpOptions()).ofSizeBetween(0, MAX_OPTIONS_IN_A_LIST).map(TcpOptions::padWithEol)
                .assuming(options -> TcpOptions.encodedLength(options) <= TcpOption.MAX_OPTIONS_LENGTH);
    }

    static Gen<TcpRepr> tcpReprs() {
        Gen<List<TcpOption>> options = tcpOptionLists();
        Gen<byte[]> payload = bytes(300);
        return in -> new TcpRepr(u16().generate(in), u16().generate(in), ints().generate(in), ints().generate(in),
                u8().generate(in), u16().generate(in), u16().generate(in), options.generate(in),
                MemorySegment.ofArray(payload.generate(in)));
    }

    static Gen<UdpRepr> udpReprs() {
        Gen<byte[]> payload = bytes(600);
        return in -> new UdpRepr(u16().generate(in), u16().generate(in), MemorySegment.ofArray(payload.generate(in)));
    }

    static Gen<Icmpv4Repr> icmpv4Reprs() {
        Gen<Integer> otherTypes = u8().assuming(type -> type != 0 && type != 3 && type != 8 && type != 11);
        return Generate.<Icmpv4Repr>oneOf(
                u16().zip(u16(), bytes(100), Icmpv4Repr.EchoRequest::new),
                u16().zip(u16(), bytes(100), Icmpv4Repr.EchoReply::new),
                u8().zip(u16(), bytes(100), Icmpv4Repr.DestinationUnreachable::new),
                u8().zip(bytes(100), Icmpv4Repr.TimeExceeded::new),
                otherTypes.zip(u8(), ints(), bytes(100), Icmpv4Repr.Other::new));
    }
}
