package io.tcpsim.wire;

import io.tcpsim.wire.TcpOption.MaxSegmentSize;
import io.tcpsim.wire.TcpOption.Sack;
import io.tcpsim.wire.TcpOption.SackBlock;
import io.tcpsim.wire.TcpOption.Timestamps;
import io.tcpsim.wire.TcpOption.Unknown;
import io.tcpsim.wire.TcpOption.WindowScale;
import java.lang.foreign.MemorySegment;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/** Generators of valid wire records for the property tests. */
final class WireArbitraries {
    private WireArbitraries() {
    }

    static Arbitrary<Integer> u16() {
        return Arbitraries.integers().between(0, 0xFFFF);
    }

    static Arbitrary<Integer> u8() {
        return Arbitraries.integers().between(0, 0xFF);
    }

    static Arbitrary<byte[]> bytes(int maxLength) {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(maxLength);
    }

    static Arbitrary<Ipv4Repr> ipv4Reprs() {
        Arbitrary<Tuple.Tuple5<Integer, Integer, Integer, Integer, Integer>> addressing = Combinators.combine(
                Arbitraries.integers(), Arbitraries.integers(), u8(), u8(),
                Arbitraries.integers().between(0, 0xFFFF - Ipv4Packet.MIN_HEADER_LENGTH)).as(Tuple::of);
        Arbitrary<Tuple.Tuple6<Integer, Boolean, Boolean, Integer, Integer, Integer>> rest = Combinators.combine(
                u16(), Arbitraries.of(true, false), Arbitraries.of(true, false),
                Arbitraries.integers().between(0, 0x1FFF).map(units -> units * 8),
                Arbitraries.integers().between(0, 63), Arbitraries.integers().between(0, 3)).as(Tuple::of);
        return Combinators.combine(addressing, rest).as((a, r) -> new Ipv4Repr(a.get1(), a.get2(), a.get3(),
                a.get4(), a.get5(), r.get1(), r.get2(), r.get3(), r.get4(), r.get5(), r.get6()));
    }

    /** Any option but End-of-List, which only ends a list. */
    static Arbitrary<TcpOption> tcpOptions() {
        Arbitrary<SackBlock> block = Combinators.combine(Arbitraries.integers(), Arbitraries.integers()).as(SackBlock::new);
        return Arbitraries.oneOf(
                Arbitraries.just(TcpOption.NOP),
                Arbitraries.just(TcpOption.SACK_PERMITTED),
                u16().map(MaxSegmentSize::new),
                u8().map(WindowScale::new),
                Combinators.combine(Arbitraries.integers(), Arbitraries.integers()).as(Timestamps::new),
                block.list().ofMinSize(1).ofMaxSize(Sack.MAX_BLOCKS).map(Sack::new),
                Combinators.combine(u8().filter(kind -> !TcpOption.Unknown.isKnownKind(kind)), bytes(10))
                        .as(Unknown::new));
    }

    /** Option lists that fit the 40-byte area, padded with End-of-List to whole words. */
    static Arbitrary<List<TcpOption>> tcpOptionLists() {
        return tcpOptions().list().ofMaxSize(12).map(TcpOptions::padWithEol)
                .filter(options -> TcpOptions.encodedLength(options) <= TcpOption.MAX_OPTIONS_LENGTH);
    }

    static Arbitrary<TcpRepr> tcpReprs() {
        Arbitrary<Tuple.Tuple5<Integer, Integer, Integer, Integer, Integer>> header = Combinators.combine(
                u16(), u16(), Arbitraries.integers(), Arbitraries.integers(), u8()).as(Tuple::of);
        Arbitrary<Tuple.Tuple4<Integer, Integer, List<TcpOption>, byte[]>> rest = Combinators.combine(
                u16(), u16(), tcpOptionLists(), bytes(300)).as(Tuple::of);
        return Combinators.combine(header, rest).as((h, r) -> new TcpRepr(h.get1(), h.get2(), h.get3(), h.get4(),
                h.get5(), r.get1(), r.get2(), r.get3(), MemorySegment.ofArray(r.get4())));
    }

    static Arbitrary<Icmpv4Repr> icmpv4Reprs() {
        Arbitrary<Integer> otherTypes = u8().filter(type -> type != 0 && type != 3 && type != 8 && type != 11);
        return Arbitraries.oneOf(
                Combinators.combine(u16(), u16(), bytes(100)).as(Icmpv4Repr.EchoRequest::new),
                Combinators.combine(u16(), u16(), bytes(100)).as(Icmpv4Repr.EchoReply::new),
                Combinators.combine(u8(), u16(), bytes(100)).as(Icmpv4Repr.DestinationUnreachable::new),
                Combinators.combine(u8(), bytes(100)).as(Icmpv4Repr.TimeExceeded::new),
                Combinators.combine(otherTypes, u8(), Arbitraries.integers(), bytes(100)).as(Icmpv4Repr.Other::new));
    }
}
