package io.tcpsim.control;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;

/** Lines and frames on a channel, read one byte at a time so that nothing past the line is taken. */
final class Lines {
    private Lines() {
    }

    /**
     * The next line without its newline; null at end of stream before any byte.
     *
     * @throws IOException when the line is longer than {@code max} bytes or the stream ends inside it
     */
    static String read(ReadableByteChannel ch, int max) throws IOException {
        ByteBuffer one = ByteBuffer.allocate(1);
        byte[] line = new byte[max];
        int n = 0;
        while (true) {
            one.clear();
            if (ch.read(one) < 0) {
                if (n == 0) {
                    return null;
                }
                throw new IOException("the line ended without a newline");
            }
            byte b = one.get(0);
            if (b == '\n') {
                return new String(line, 0, n, StandardCharsets.UTF_8);
            } else if (n == max) {
                throw new TooLong(max);
            }
            line[n++] = b;
        }
    }

    /** A line longer than the reader allows. */
    static final class TooLong extends IOException {
        TooLong(int max) {
            super("line longer than " + max + " bytes");
        }
    }

    /** Reads and drops bytes up to the next newline, at most {@code max} of them. */
    static void skipLine(ReadableByteChannel ch, int max) throws IOException {
        ByteBuffer one = ByteBuffer.allocate(1);
        for (int i = 0; i < max; i++) {
            one.clear();
            if (ch.read(one) < 0 || one.get(0) == '\n') {
                return;
            }
        }
    }

    static void write(WritableByteChannel ch, String text) throws IOException {
        writeFully(ch, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
    }

    static void writeFully(WritableByteChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    /** Fills {@code b} from {@code ch}; false when the stream ends first. */
    static boolean readFully(ReadableByteChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            if (ch.read(b) < 0) {
                return false;
            }
        }
        return true;
    }
}
