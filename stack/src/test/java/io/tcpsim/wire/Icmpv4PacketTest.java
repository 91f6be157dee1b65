package io.tcpsim.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcpsim.wire.Icmpv4Repr.DestinationUnreachable;
import io.tcpsim.wire.Icmpv4Repr.EchoReply;
import io.tcpsim.wire.Icmpv4Repr.EchoRequest;
import io.tcpsim.wire.Icmpv4Repr.Other;
import io.tcpsim.wire.Icmpv4Repr.TimeExceeded;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class Icmpv4PacketTest {
    /** Echo request id 0x1234 seq 1 with data "abcdefgh", checksum 0x5435. */
    private static final byte[] ECHO = Vectors.bytes("0800 5435 1234 0001 6162 6364 6566 6768");
    private static final EchoRequest ECHO_REPR = new EchoRequest(0x1234, 1, "abcdefgh".getBytes());
    /** The Linux SYN's IP header and first 8 TCP bytes: what an error about it quotes. */
    private static final byte[] QUOTED_SYN = Arrays.copyOf(Vectors.bytes(Vectors.LINUX_SYN), 28);

    @Test
    void deconstructEchoRequestReadsEveryField() {
        Icmpv4Packet icmp = Icmpv4Packet.checked(Vectors.offHeap(ECHO));
        assertEquals(Icmpv4Packet.TYPE_ECHO_REQUEST, icmp.type());
        assertEquals(0, icmp.code());
        assertEquals(0x5435, icmp.checksum());
        assertEquals(0x1234, icmp.identifier());
        assertEquals(1, icmp.sequenceNumber());
        assertArrayEquals("abcdefgh".getBytes(), Vectors.toBytes(icmp.data()));
        assertTrue(icmp.verifyChecksum());
        assertEquals(ECHO_REPR, Icmpv4Repr.parse(icmp));
    }

    @Test
    void emitEchoRequestGivesTheVectorBytes() {
        byte[] out = new byte[ECHO_REPR.bufferLength()];
        ECHO_REPR.emit(Icmpv4Packet.unchecked(MemorySegment.ofArray(out)));
        assertArrayEquals(ECHO, out);
    }

    @Test
    void echoReplyKeepsIdentifierSequenceAndData() {
        EchoReply reply = ECHO_REPR.reply();
        byte[] out = new byte[reply.bufferLength()];
        reply.emit(Icmpv4Packet.unchecked(MemorySegment.ofArray(out)));
        Icmpv4Packet icmp = Icmpv4Packet.checked(MemorySegment.ofArray(out));
        assertEquals(Icmpv4Packet.TYPE_ECHO_REPLY, icmp.type());
        assertEquals(new EchoReply(0x1234, 1, "abcdefgh".getBytes()), Icmpv4Repr.parse(icmp));
    }

    @Test
    void everyPrefixShorterThanEightIsTruncated() {
        for (int length = 0; length < Icmpv4Packet.MIN_LENGTH; length++) {
            MemorySegment prefix = MemorySegment.ofArray(Arrays.copyOf(ECHO, length));
            assertEquals(Malformed.ICMP_TRUNCATED, Icmpv4Packet.check(prefix));
            assertEquals(Malformed.ICMP_TRUNCATED,
                    assertThrows(MalformedPacketException.class, () -> Icmpv4Packet.checked(prefix)).reason());
        }
        assertNull(Icmpv4Packet.check(MemorySegment.ofArray(Arrays.copyOf(ECHO, 8))));
    }

    @Test
    void changedByteFailsTheChecksum() {
        for (int i = 0; i < ECHO.length; i++) {
            byte[] message = ECHO.clone();
            message[i] ^= 0x20;
            Icmpv4Packet icmp = Icmpv4Packet.checked(MemorySegment.ofArray(message));
            assertEquals(Malformed.ICMP_BAD_CHECKSUM,
                    assertThrows(MalformedPacketException.class, () -> Icmpv4Repr.parse(icmp)).reason());
        }
    }

    @Test
    void portUnreachableQuotingTheSynNamesItsConnection() {
        DestinationUnreachable unreachable =
                new DestinationUnreachable(DestinationUnreachable.CODE_PORT_UNREACHABLE, 0, QUOTED_SYN);
        Icmpv4Repr parsed = roundTrip(unreachable);
        assertEquals(unreachable, parsed);
        Icmpv4Quote quote = assertInstanceOf(DestinationUnreachable.class, parsed).parseQuote();
        assertEquals(new Icmpv4Quote(Vectors.LOCALHOST, Vectors.LOCALHOST, Ipv4Packet.PROTO_TCP, 60, 55920, 80,
                928549246), quote);
        assertTrue(quote.isTcp());
    }

    @Test
    void fragmentationNeededCarriesNextHopMtu() {
        DestinationUnreachable needFrag =
                new DestinationUnreachable(DestinationUnreachable.CODE_FRAGMENTATION_NEEDED, 1400, QUOTED_SYN);
        byte[] out = new byte[needFrag.bufferLength()];
        needFrag.emit(Icmpv4Packet.unchecked(MemorySegment.ofArray(out)));
        assertEquals(1400, Icmpv4Packet.checked(MemorySegment.ofArray(out)).nextHopMtu());
        assertEquals(needFrag, Icmpv4Repr.parse(Icmpv4Packet.checked(MemorySegment.ofArray(out))));
    }

    @Test
    void timeExceededAndOtherTypesRoundTrip() {
        assertEquals(new TimeExceeded(0, QUOTED_SYN), roundTrip(new TimeExceeded(0, QUOTED_SYN)));
        Other timestamp = new Other(13, 0, 0x00010002, new byte[12]);
        assertEquals(timestamp, roundTrip(timestamp));
    }

    @Test
    void quoteShorterThanHeaderPlusEightBytesIsRejected() {
        TimeExceeded shortQuote = new TimeExceeded(0, Arrays.copyOf(QUOTED_SYN, 27));
        assertEquals(Malformed.ICMP_QUOTE_TRUNCATED,
                assertThrows(MalformedPacketException.class, shortQuote::parseQuote).reason());
        assertEquals(Malformed.ICMP_QUOTE_TRUNCATED,
                assertThrows(MalformedPacketException.class, () -> Icmpv4Quote.parse(new byte[12])).reason());
    }

    @Test
    void quoteThatIsNotIpv4IsRejected() {
        byte[] quoted = QUOTED_SYN.clone();
        quoted[0] = 0x65;
        assertEquals(Malformed.ICMP_QUOTE_BAD_HEADER,
                assertThrows(MalformedPacketException.class, () -> Icmpv4Quote.parse(quoted)).reason());
    }

    @Test
    void recordsCopyTheirBytes() {
        byte[] data = {1, 2, 3};
        EchoRequest echo = new EchoRequest(1, 2, data);
        data[0] = 9;
        echo.data()[1] = 9;
        assertArrayEquals(new byte[] {1, 2, 3}, echo.data());
    }

    @Test
    void otherRefusesTypesThatHaveTheirOwnRecord() {
        assertThrows(IllegalArgumentException.class, () -> new Other(Icmpv4Packet.TYPE_ECHO_REQUEST, 0, 0, new byte[0]));
    }

    private static Icmpv4Repr roundTrip(Icmpv4Repr repr) {
        byte[] out = new byte[repr.bufferLength()];
        repr.emit(Icmpv4Packet.unchecked(MemorySegment.ofArray(out)));
        return Icmpv4Repr.parse(Icmpv4Packet.checked(MemorySegment.ofArray(out)));
    }
}
