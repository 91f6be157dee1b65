package io.tcpsim.socket;

import java.util.ArrayList;
import java.util.List;

/**
 * The descriptor table: lowest free number first, as open(2) promises; 0, 1 and 2 stay free for
 * stdio, so the first socket is 3 as in a C program. {@code limit} is RLIMIT_NOFILE: descriptors
 * are below it, and a full table is EMFILE.
 */
final class FdTable {
    static final int FIRST = 3;

    private final OpenFile[] files;

    FdTable(int limit) {
        if (limit <= FIRST) {
            throw new IllegalArgumentException("descriptor limit " + limit + " leaves no room above stdio");
        }
        files = new OpenFile[limit];
    }

    /** The new descriptor, or -EMFILE. */
    synchronized int allocate(OpenFile file) {
        for (int fd = FIRST; fd < files.length; fd++) {
            if (files[fd] == null) {
                files[fd] = file;
                return fd;
            }
        }
        return -Errno.EMFILE;
    }

    synchronized boolean full() {
        for (int fd = FIRST; fd < files.length; fd++) {
            if (files[fd] == null) {
                return false;
            }
        }
        return true;
    }

    /** The file, or null for a descriptor that is not open (EBADF). */
    synchronized OpenFile get(int fd) {
        return fd >= 0 && fd < files.length ? files[fd] : null;
    }

    /** The open files, in descriptor order. */
    synchronized List<OpenFile> open() {
        List<OpenFile> open = new ArrayList<>();
        for (OpenFile f : files) {
            if (f != null) {
                open.add(f);
            }
        }
        return open;
    }

    /** Removes and returns the file, or null when the descriptor is not open. */
    synchronized OpenFile remove(int fd) {
        OpenFile file = get(fd);
        if (file != null) {
            files[fd] = null;
        }
        return file;
    }
}
