package io.tcpsim.drill;

import io.tcpsim.tcp.Profile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Which scripts a command line names (files, and every {@code *.pkt} under a directory, sorted) and
 * the profile a directory asks for: a file {@code drill.profile} holding "linux" or "freebsd" in
 * the script's directory or the nearest parent that has one.
 */
public final class ScriptFiles {
    /** The name of a directory's profile file. */
    public static final String PROFILE_FILE = "drill.profile";

    private ScriptFiles() {
    }

    /** The scripts {@code paths} name, directories expanded, in order. */
    public static List<Path> expand(List<Path> paths) throws IOException {
        List<Path> scripts = new ArrayList<>();
        for (Path p : paths) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> files = Files.walk(p)) {
                    files.filter(f -> f.toString().endsWith(".pkt") && Files.isRegularFile(f)).sorted().forEach(scripts::add);
                }
            } else {
                scripts.add(p);
            }
        }
        return scripts;
    }

    /** The profile of the nearest {@code drill.profile} above {@code script}; linux when there is none. */
    public static Profile profileOf(Path script) throws IOException {
        for (Path dir = script.toAbsolutePath().getParent(); dir != null; dir = dir.getParent()) {
            Path file = dir.resolve(PROFILE_FILE);
            if (Files.isRegularFile(file)) {
                return Profile.named(Files.readString(file, StandardCharsets.UTF_8));
            }
        }
        return Profile.LINUX;
    }
}
