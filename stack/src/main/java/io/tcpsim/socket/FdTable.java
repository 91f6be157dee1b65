package io.tcpsim.socket;

import java.util.ArrayList;
import java.util.List;

/**
 * The descriptor table: lowest free number first, as open(2) promises; 0, 1 and 2 stay free for
 * stdio, so the first socket is 3 as in a C program. {@code limit} is RLIMIT_NOFILE: descriptors
 * are below it, and a full table is EMFILE. Every open file is also one of the stack's
 * {@link SystemFiles} (fs.file-max, else ENFILE). As Linux, a descriptor may be reserved first
 * (get_unused_fd_flags()) and the file installed later (fd_install()): accept(2) reserves before
 * it takes a connection off the queue, so a refused accept leaves the connection there.
 */
final class FdTable {
    static final int FIRST = 3;
    /** A reserved descriptor's entry: not open yet, and not free. */
    private static final OpenFile RESERVED = new Epoll();

    private final OpenFile[] files;
    private final SystemFiles system;

    FdTable(int limit, SystemFiles system) {
        if (limit <= FIRST) {
            throw new IllegalArgumentException("descriptor limit " + limit + " leaves no room above stdio");
        }
        files = new OpenFile[limit];
        this.system = system;
    }

    /** The new descriptor, or -EMFILE (this table is full) or -ENFILE (the stack's files are). */
    synchronized int allocate(OpenFile file) {
        int fd = reserve();
        if (fd >= 0) {
            files[fd] = file;
        }
        return fd;
    }

    /**
     * The lowest free descriptor, reserved with one of the stack's files, or -EMFILE / -ENFILE
     * (Linux checks RLIMIT_NOFILE in get_unused_fd_flags() before fs.file-max in alloc_empty_file()).
     */
    synchronized int reserve() {
        for (int fd = FIRST; fd < files.length; fd++) {
            if (files[fd] == null) {
                if (!system.take()) {
                    return -Errno.ENFILE;
                }
                files[fd] = RESERVED;
                return fd;
            }
        }
        system.countEmfile();
        return -Errno.EMFILE;
    }

    /** Installs the file at a descriptor {@link #reserve} gave (Linux fd_install()). */
    synchronized void install(int fd, OpenFile file) {
        if (files[fd] != RESERVED) {
            throw new IllegalStateException("descriptor " + fd + " was not reserved");
        }
        files[fd] = file;
    }

    /** Gives back a reserved descriptor that got no file (Linux put_unused_fd()). */
    synchronized void unreserve(int fd) {
        if (files[fd] == RESERVED) {
            files[fd] = null;
            system.giveBack();
        }
    }

    /** The file, or null for a descriptor that is not open (EBADF); a reserved one is not open yet. */
    synchronized OpenFile get(int fd) {
        OpenFile f = fd >= 0 && fd < files.length ? files[fd] : null;
        return f == RESERVED ? null : f;
    }

    /** The open files, in descriptor order. */
    synchronized List<OpenFile> open() {
        List<OpenFile> open = new ArrayList<>();
        for (OpenFile f : files) {
            if (f != null && f != RESERVED) {
                open.add(f);
            }
        }
        return open;
    }

    /** Removes and returns the file, or null when the descriptor is not open; its system file is given back. */
    synchronized OpenFile remove(int fd) {
        OpenFile file = get(fd);
        if (file != null) {
            files[fd] = null;
            system.giveBack();
        }
        return file;
    }
}
