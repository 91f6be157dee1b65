package io.tcpsim.control;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

/** The client end of the control socket ({@link ControlProtocol}), for {@code tcpsim ss}, {@code stats} and {@code nc}. */
public final class ControlClient implements AutoCloseable {
    private static final int BUFFER = 16_384;

    private final SocketChannel ch;

    private ControlClient(SocketChannel ch) {
        this.ch = ch;
    }

    /**
     * Connects to the instance's socket.
     *
     * @throws IOException when there is no socket there or nothing listens on it (no instance)
     */
    public static ControlClient open(Path socket) throws IOException {
        SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            ch.connect(UnixDomainSocketAddress.of(socket));
        } catch (IOException e) {
            ch.close();
            throw e;
        }
        return new ControlClient(ch);
    }

    /**
     * A text request ({@code ss}, {@code stats}): the whole answer, within {@code timeout}.
     *
     * @throws Refused with the instance's error line
     */
    public String ask(String request, Duration timeout) throws IOException, Refused {
        Thread watchdog = Thread.ofVirtual().start(() -> closeAfter(timeout));
        try {
            send(request);
            return new String(Channels.newInputStream(ch).readAllBytes(), StandardCharsets.UTF_8);
        } catch (AsynchronousCloseException e) {
            throw new IOException("the instance did not answer within " + timeout.toSeconds() + " s");
        } finally {
            watchdog.interrupt();
        }
    }

    /**
     * {@code nc}: sends the request, waits for the instance's status (a connect may take as long as
     * the SYN retries), then relays {@code in} to the connection, framed, and the connection to
     * {@code out}. The end of {@code in} is a half-close. It returns, as OpenBSD's nc does, once
     * both the peer's stream and {@code in} have ended (or the relay broke).
     *
     * @throws Refused with the instance's error line (a connect or bind that failed)
     */
    public void relay(String request, InputStream in, OutputStream out) throws IOException, Refused, InterruptedException {
        send(request);
        Thread pump = Thread.ofPlatform().daemon().name("tcpsim-nc-stdin").start(() -> pump(in));
        ByteBuffer b = ByteBuffer.allocate(BUFFER);
        try {
            while (ch.read(b) >= 0) {
                out.write(b.array(), 0, b.position());
                out.flush();
                b.clear();
            }
        } finally {
            pump.join(); // what stdin still holds goes out: the peer may have closed only its half
        }
    }

    private void send(String request) throws IOException, Refused {
        Lines.write(ch, request + "\n");
        String status;
        do {
            status = Lines.read(ch, ControlProtocol.MAX_REQUEST_BYTES);
        } while (status != null && status.isEmpty()); // heartbeats of a waiting nc listen
        if (status == null) {
            throw new IOException("the instance closed the control socket without an answer");
        } else if (status.startsWith(ControlProtocol.ERROR)) {
            throw new Refused(status.substring(ControlProtocol.ERROR.length()));
        } else if (!status.equals(ControlProtocol.OK)) {
            throw new IOException("unexpected answer from the instance: " + status);
        }
    }

    /** Client input as frames; a zero-length frame at its end. */
    private void pump(InputStream in) {
        byte[] buf = new byte[ControlProtocol.MAX_FRAME];
        try {
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                if (n > 0) {
                    frame(buf, n);
                }
            }
            frame(buf, 0);
        } catch (IOException e) {
            // the instance closed the channel: the relay is over
        }
    }

    private void frame(byte[] data, int length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(Integer.BYTES + length).putInt(length).put(data, 0, length).flip();
        Lines.writeFully(ch, b);
    }

    private void closeAfter(Duration timeout) {
        try {
            Thread.sleep(timeout);
            ch.close();
        } catch (InterruptedException e) {
            // the answer came in time
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        ch.close();
    }

    /** The instance answered with an error line. */
    public static final class Refused extends Exception {
        Refused(String message) {
            super(message);
        }
    }
}
