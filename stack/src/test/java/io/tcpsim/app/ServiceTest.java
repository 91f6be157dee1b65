package io.tcpsim.app;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.tcpsim.app.Service.Transport;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The --services syntax with transports, and the UDP answers of the small services. */
class ServiceTest {

    @Test
    void nameAlone_isEveryTransportOnTheWellKnownPort() {
        assertEquals(new Service.On(Service.ECHO, 7, Set.of(Transport.TCP, Transport.UDP)), Service.On.parse("echo"));
        assertEquals(new Service.On(Service.HTTP, 80, Set.of(Transport.TCP)), Service.On.parse("http"));
        assertEquals("chargen 1919/tcp+udp", Service.On.parse("chargen:1919").describe());
    }

    @Test
    void slashPicksOneTransport() {
        assertEquals(new Service.On(Service.DAYTIME, 1313, Set.of(Transport.UDP)), Service.On.parse("daytime/udp:1313"));
        assertEquals("echo 7/tcp", Service.On.parse("echo/tcp").describe());
    }

    @Test
    void transportAServiceLacks_isAOneLineError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Service.On.parse("http/udp"));
        assertEquals("'http/udp': http runs over tcp", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Service.On.parse("echo/sctp"));
    }

    @Test
    void samePortConflictsOnlyOverTheSameTransport() {
        assertFalse(Service.On.anyShareAPort(List.of(Service.On.parse("echo/udp:80"), Service.On.parse("http"))));
        assertTrue(Service.On.anyShareAPort(List.of(Service.On.parse("echo:80"), Service.On.parse("http"))));
        assertTrue(Service.On.anyShareAPort(List.of(Service.On.parse("echo/udp:9"), Service.On.parse("discard"))));
    }

    @Test
    void udpEchoReturnsTheDatagramAndDiscardNothing() {
        byte[] request = "hello, world".getBytes(StandardCharsets.US_ASCII);
        assertArrayEquals("hello".getBytes(StandardCharsets.US_ASCII), SmallServices.echoDatagram(request, 5));
        assertNull(SmallServices.discardDatagram(request, 5));
    }

    @Test
    void udpDaytimeAnswersAnyDatagramWithTheCtimeLine() {
        ZonedDateTime at = ZonedDateTime.of(2026, 11, 21, 11, 40, 10, 0, ZoneOffset.UTC);
        byte[] answer = SmallServices.daytimeDatagram(() -> at).answer(new byte[0], 0);
        assertEquals("Sat Nov 21 11:40:10 2026\r\n", new String(answer, StandardCharsets.US_ASCII));
    }

    @Test
    void udpChargenAnswersWithTheDrawnNumberOfPatternCharacters() {
        String first = " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefg";
        int[] lengths = {0, 512, 80};
        int[] next = {0};
        DatagramHandler chargen = SmallServices.chargenDatagram(() -> lengths[next[0]++]);
        assertEquals(0, chargen.answer(new byte[1], 1).length);
        byte[] full = chargen.answer(new byte[1], 1);
        assertEquals(512, full.length);
        String text = new String(chargen.answer(new byte[1], 1), StandardCharsets.US_ASCII);
        assertEquals(first + "\r\n" + first.substring(1, 7), text);
    }
}
