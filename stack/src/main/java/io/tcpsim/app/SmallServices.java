package io.tcpsim.app;

import io.tcpsim.socket.SocketApi;
import io.tcpsim.socket.SocketStreams;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * The small services of inetd, written only against {@link SocketApi}: echo (RFC 862), discard
 * (RFC 863), daytime (RFC 867) and chargen (RFC 864). Over TCP each is one blocking loop, run on a
 * virtual thread per connection; over UDP each is the answer to one datagram ({@link UdpService}).
 */
final class SmallServices {
    private static final int CHUNK = 16 * 1024;
    /** Linux inetd and xinetd answer daytime with ctime(3): "Sat Nov 21 11:40:10 2026\r\n". */
    private static final DateTimeFormatter CTIME =
            DateTimeFormatter.ofPattern("EEE MMM ppd HH:mm:ss yyyy", Locale.ROOT);
    static final int CHARGEN_LINE = 72;
    /** RFC 864: a UDP answer holds 0 to 512 characters. */
    static final int CHARGEN_DATAGRAM_MAX = 512;
    private static final int PRINTABLE = 95;
    private static final byte[] CHARGEN_CYCLE = chargenCycle();

    private SmallServices() {
    }

    /** RFC 862: every byte received is sent back; the peer's FIN ends the connection. */
    static void echo(SocketApi api, int fd) throws IOException {
        byte[] buf = new byte[CHUNK];
        long n;
        while ((n = api.read(fd, buf, 0, buf.length)) > 0) {
            if (SocketStreams.writen(api, fd, buf, 0, (int) n) < 0) {
                throw new IOException("echo write: errno " + SocketApi.errno());
            }
        }
        if (n < 0) {
            throw new IOException("echo read: errno " + SocketApi.errno());
        }
    }

    /** RFC 863: everything received is thrown away until the peer closes. */
    static void discard(SocketApi api, int fd) throws IOException {
        byte[] buf = new byte[CHUNK];
        long n;
        while ((n = api.read(fd, buf, 0, buf.length)) > 0) {
            continue;
        }
        if (n < 0) {
            throw new IOException("discard read: errno " + SocketApi.errno());
        }
    }

    /** RFC 867: one line with the date and time, whatever the peer sends, then close. */
    static ConnectionHandler daytime(Supplier<ZonedDateTime> now) {
        return (api, fd) -> {
            byte[] line = (CTIME.format(now.get()) + "\r\n").getBytes(StandardCharsets.US_ASCII);
            if (SocketStreams.writen(api, fd, line, 0, line.length) < 0) {
                throw new IOException("daytime write: errno " + SocketApi.errno());
            }
        };
    }

    /**
     * RFC 864: 72-character lines of the 95 printable ASCII characters, each line starting one
     * character further on, sent until the peer goes away (the write fails with EPIPE or ECONNRESET).
     */
    static void chargen(SocketApi api, int fd) throws IOException {
        while (SocketStreams.writen(api, fd, CHARGEN_CYCLE, 0, CHARGEN_CYCLE.length) >= 0) {
            continue;
        }
        throw new IOException("chargen write: errno " + SocketApi.errno());
    }

    /** RFC 862 over UDP: the datagram goes back to its sender. */
    static byte[] echoDatagram(byte[] request, int length) {
        return Arrays.copyOf(request, length);
    }

    /** RFC 863 over UDP: no answer. */
    static byte[] discardDatagram(byte[] request, int length) {
        return null;
    }

    /** RFC 867 over UDP: whatever arrives is answered with one datagram holding the date line. */
    static DatagramHandler daytimeDatagram(Supplier<ZonedDateTime> now) {
        return (request, length) -> (CTIME.format(now.get()) + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * RFC 864 over UDP: each datagram is answered with "a random number (between 0 and 512) of
     * characters", here that many of the TCP service's lines from their start (the service keeps
     * no state between datagrams); {@code lengths} draws the number.
     */
    static DatagramHandler chargenDatagram(IntSupplier lengths) {
        return (request, length) -> Arrays.copyOf(CHARGEN_CYCLE, lengths.getAsInt());
    }

    /** The 95 lines after which the pattern repeats. */
    private static byte[] chargenCycle() {
        byte[] cycle = new byte[PRINTABLE * (CHARGEN_LINE + 2)];
        int at = 0;
        for (int line = 0; line < PRINTABLE; line++) {
            for (int i = 0; i < CHARGEN_LINE; i++) {
                cycle[at++] = (byte) (' ' + (line + i) % PRINTABLE);
            }
            cycle[at++] = '\r';
            cycle[at++] = '\n';
        }
        return cycle;
    }
}
