package io.tcpsim.socket;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The open files of one stack, every {@link SocketApi} on it together (a stack is the system its
 * socket APIs, like processes, share): fs.file-max bounds them, and a socket, accepted socket or
 * epoll instance beyond it is ENFILE, as Linux alloc_empty_file() refuses an unprivileged caller
 * (tcpsim's callers are unprivileged, as for SOCK_RAW). Each API's own table keeps RLIMIT_NOFILE
 * (EMFILE, {@link FdTable}), checked first as Linux get_unused_fd_flags() comes before the file.
 * Thread-safe: the calling threads of every API share it.
 */
public final class SystemFiles {
    /** Linux NR_FILE: files_maxfiles_init() never sets fs.file-max below it. */
    static final long NR_FILE = 8192;
    /** Linux files_maxfiles_init(): a file and its inode take about 1 KiB; a tenth of memory goes to files. */
    private static final long BYTES_PER_FILE = 10 * 1024;

    private long max;
    private long open;
    private long emfile;
    private long enfile;

    /** @param max fs.file-max: the open files allowed, all socket APIs of the stack together */
    public SystemFiles(long max) {
        setMax(max);
    }

    /**
     * Linux's default as files_maxfiles_init() computes it from the memory (here the JVM's maximum
     * heap): a tenth of it in 1 KiB files, at least NR_FILE (8192).
     */
    public static SystemFiles forHeap(long heapBytes) {
        return new SystemFiles(Math.max(heapBytes / BYTES_PER_FILE, NR_FILE));
    }

    /** Writes fs.file-max; files already open above it stay open, as in Linux. */
    public synchronized void setMax(long value) {
        if (value < 0) {
            throw new IllegalArgumentException("fs.file-max " + value + " is negative");
        }
        max = value;
    }

    public synchronized long max() {
        return max;
    }

    /** The files open now (fs.file-nr's first field). */
    public synchronized long open() {
        return open;
    }

    /** Takes a file, or counts the refusal and says no (ENFILE). */
    synchronized boolean take() {
        if (open >= max) {
            enfile++;
            return false;
        }
        open++;
        return true;
    }

    /** Gives back a file {@link #take} took. */
    synchronized void giveBack() {
        open--;
    }

    /** Counts an EMFILE: a socket API's own table was full. */
    synchronized void countEmfile() {
        emfile++;
    }

    /**
     * For {@code tcpsim stats}: Files.Open (a gauge), Files.EMFILE and Files.ENFILE (calls refused
     * for a full descriptor table and a full system file table; Linux counts neither, it logs
     * "VFS: file-max limit reached", rate limited).
     */
    public synchronized Map<String, Long> snapshot() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("Files.Open", open);
        m.put("Files.EMFILE", emfile);
        m.put("Files.ENFILE", enfile);
        return m;
    }
}
