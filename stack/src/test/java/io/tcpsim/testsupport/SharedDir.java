package io.tcpsim.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the project's {@code shared/} directory (captures, packetdrill scripts, guides): the first
 * directory named {@code shared} containing {@code pcaps/}, beside the working directory or one of
 * its ancestors. The repo lives at {@code .../main} with {@code shared/} beside it, locally and in CI.
 */
public final class SharedDir {
    private SharedDir() {
    }

    /** The shared directory; fails with a message naming where it looked. */
    public static Path path() {
        Path start = Path.of("").toAbsolutePath();
        for (Path dir = start; dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared");
            if (Files.isDirectory(candidate.resolve("pcaps"))) {
                return candidate;
            }
        }
        throw new IllegalStateException("no shared/pcaps directory found in " + start
                + " or any of its parents; the repo expects shared/ beside it (e.g. /work/shared next to /work/main)");
    }

    /** {@code shared/pcaps}. */
    public static Path pcaps() {
        return path().resolve("pcaps");
    }
}
