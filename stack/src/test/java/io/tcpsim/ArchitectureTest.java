package io.tcpsim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The allowed arrows between packages (docs/architecture.md), checked by scanning the imports of
 * the main sources: a new arrow fails the build until the design says it is allowed.
 */
class ArchitectureTest {

    private static final Path MAIN = Path.of("src/main/java/io/tcpsim");
    private static final Pattern IMPORT = Pattern.compile("^import\\s+(?:static\\s+)?([\\w.]+)", Pattern.MULTILINE);
    private static final String ROOT = "";

    /** Package (relative to io.tcpsim; "" is io.tcpsim itself) to the tcpsim packages it may import. */
    private static final Map<String, Set<String>> ALLOWED = Map.ofEntries(
            Map.entry("wire", Set.of()),
            Map.entry("time", Set.of()),
            Map.entry("link", Set.of("wire", "time")),
            Map.entry("link.tun", Set.of("link", "wire", "time", "tun")),
            Map.entry("ip", Set.of("wire", "link")),
            Map.entry("tcp", Set.of("wire", "time")),
            Map.entry("udp", Set.of("wire")),
            Map.entry("socket", Set.of("wire", "tcp", "udp", "time")),
            Map.entry("pcap", Set.of("wire", "time")),
            Map.entry("replay", Set.of(ROOT, "wire", "time", "link", "tcp", "pcap")),
            Map.entry("app", Set.of("tcp", "time", "socket")),
            Map.entry(ROOT, Set.of("wire", "time", "link", "ip", "tcp", "udp", "socket")),
            Map.entry("sim", Set.of(ROOT, "link", "tcp", "time")),
            Map.entry("control", Set.of(ROOT, "wire", "time", "ip", "tcp", "udp", "socket")),
            Map.entry("drill", Set.of(ROOT, "wire", "time", "link", "tcp", "udp", "socket")),
            Map.entry("bench", Set.of(ROOT, "wire", "time", "link", "link.tun", "tcp", "socket", "app", "control", "tun")),
            Map.entry("cli", Set.of(ROOT, "wire", "time", "link", "link.tun", "ip", "tcp", "udp", "socket", "pcap",
                    "replay", "app", "control", "drill", "sim", "bench")));

    /** Packages whose code may use nothing outside java.base. */
    private static final Set<String> JAVA_BASE_ONLY = Set.of("wire", "time", "tcp", "udp");

    @Test
    void everyPackageImportsOnlyWhatTheDesignAllows() throws IOException {
        List<String> violations = new ArrayList<>();
        try (Stream<Path> files = Files.walk(MAIN)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                violations.addAll(check(file));
            }
        }
        assertEquals(List.of(), violations);
    }

    @Test
    void scanSeesTheSources() throws IOException {
        try (Stream<Path> files = Files.walk(MAIN)) {
            assertTrue(files.filter(f -> f.toString().endsWith(".java")).count() > 10,
                    "the import scan found almost no sources under " + MAIN.toAbsolutePath());
        }
    }

    private static List<String> check(Path file) throws IOException {
        String pkg = packageOf(file);
        if (!ALLOWED.containsKey(pkg)) {
            return List.of(file + ": package io.tcpsim." + pkg + " is not in the design's table");
        }
        List<String> violations = new ArrayList<>();
        Matcher m = IMPORT.matcher(Files.readString(file));
        while (m.find()) {
            String imported = m.group(1);
            String why = violation(pkg, imported);
            if (why != null) {
                violations.add(file.getFileName() + " imports " + imported + ": " + why);
            }
        }
        return violations;
    }

    private static String violation(String pkg, String imported) {
        if (imported.startsWith("io.tcpsim.")) {
            String target = targetPackage(imported);
            boolean ok = target.equals(pkg) || ALLOWED.get(pkg).contains(target);
            return ok ? null : "io.tcpsim." + pkg + " may not depend on io.tcpsim." + target;
        }
        if (JAVA_BASE_ONLY.contains(pkg) && !imported.startsWith("java.")) {
            return "io.tcpsim." + pkg + " uses java.base only";
        }
        return null;
    }

    /** "io.tcpsim.link.tun.TunLink" -> "link.tun"; "io.tcpsim.NetStack" -> "". */
    private static String targetPackage(String imported) {
        String rest = imported.substring("io.tcpsim.".length());
        StringBuilder pkg = new StringBuilder();
        for (String part : rest.split("\\.")) {
            if (Character.isUpperCase(part.charAt(0))) {
                break;
            }
            pkg.append(pkg.isEmpty() ? "" : ".").append(part);
        }
        return pkg.toString();
    }

    private static String packageOf(Path file) {
        Path dir = MAIN.relativize(file).getParent();
        return dir == null ? ROOT : dir.toString().replace('/', '.');
    }
}
