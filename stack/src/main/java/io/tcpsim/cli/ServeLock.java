package io.tcpsim.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One {@code tcpsim serve} per namespace: an exclusive lock on {@code /run/tcpsim/NS.lock}, and
 * beside it the instance's control socket {@code NS.sock} ({@link #socketPath}). The
 * kernel releases the lock when the process dies, so a crashed serve never blocks the next one;
 * the file itself, left behind only by a serve that did not exit cleanly, tells the next one that
 * the namespace it finds is stale.
 */
final class ServeLock implements AutoCloseable {

    private static final Path DIRECTORY = Path.of("/run/tcpsim");

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;
    private final boolean leftByCrashedServe;

    private ServeLock(Path file, FileChannel channel, FileLock lock, boolean leftByCrashedServe) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
        this.leftByCrashedServe = leftByCrashedServe;
    }

    /** The control socket of the serve on {@code namespace}, beside its lock. */
    static Path socketPath(String namespace) {
        return DIRECTORY.resolve(namespace + ".sock");
    }

    /** Takes the lock for {@code namespace}, or fails naming the serve that holds it. */
    static ServeLock acquire(String namespace) throws IOException {
        Files.createDirectories(DIRECTORY);
        Path file = DIRECTORY.resolve(namespace + ".lock");
        boolean existed = Files.exists(file);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        FileLock lock = channel.tryLock();
        if (lock == null) {
            String holder = Files.readString(file, StandardCharsets.UTF_8).strip();
            channel.close();
            throw new IllegalStateException("tcpsim serve is already running on namespace '" + namespace
                    + "' (pid " + holder + "): stop it first, or pick another --ns");
        }
        channel.truncate(0);
        channel.write(ByteBuffer.wrap(Long.toString(ProcessHandle.current().pid())
                .getBytes(StandardCharsets.UTF_8)));
        channel.force(true);
        return new ServeLock(file, channel, lock, existed);
    }

    /** True when a previous serve on this namespace died without cleaning up. */
    boolean leftByCrashedServe() {
        return leftByCrashedServe;
    }

    @Override
    public void close() throws IOException {
        Files.deleteIfExists(file);
        lock.release();
        channel.close();
    }
}
