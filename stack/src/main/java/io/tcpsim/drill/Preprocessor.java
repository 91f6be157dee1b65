package io.tcpsim.drill;

import io.tcpsim.tcp.Profile;
import java.util.Set;

/**
 * nplab's conditional lines: {@code #ifdef NAME} ... {@code #endif} (no nesting, no #else).
 * Lines outside a defined block are blanked, so that line numbers stay those of the file.
 */
final class Preprocessor {
    /** What nplab's scripts test for by default: the standard's (RFC) behaviour. */
    static final Set<String> DEFINED = Set.of("STANDARD");

    private Preprocessor() {
    }

    /**
     * The names defined under a profile. The FreeBSD suites write a kernel's own behaviour as the
     * alternative to STANDARD ({@code #ifdef STANDARD} ... {@code #ifdef FreeBSD} ...), so the
     * freebsd profile, which behaves as FreeBSD, defines FreeBSD in its place; Linux: STANDARD.
     */
    static Set<String> definedFor(Profile profile) {
        return switch (profile) {
            case LINUX -> DEFINED;
            case FREEBSD -> Set.of("FreeBSD");
        };
    }

    static String apply(String file, String text) {
        return apply(file, text, DEFINED);
    }

    static String apply(String file, String text, Set<String> defined) {
        String[] lines = text.split("\n", -1);
        StringBuilder out = new StringBuilder(text.length());
        int openedAt = 0;
        boolean keep = true;
        for (int i = 0; i < lines.length; i++) {
            String trimmed = lines[i].trim();
            if (trimmed.startsWith("#ifdef") || trimmed.startsWith("#ifndef")) {
                if (openedAt != 0) {
                    throw new ScriptException(file, i + 1, "nested #ifdef (the one at line " + openedAt + " is open)");
                }
                openedAt = i + 1;
                String name = trimmed.substring(trimmed.indexOf(' ') + 1).trim();
                keep = defined.contains(name) == trimmed.startsWith("#ifdef");
                lines[i] = "";
            } else if (trimmed.startsWith("#endif")) {
                if (openedAt == 0) {
                    throw new ScriptException(file, i + 1, "#endif without #ifdef");
                }
                openedAt = 0;
                keep = true;
                lines[i] = "";
            } else if (trimmed.startsWith("#")) {
                throw new ScriptException(file, i + 1, "unknown directive " + trimmed.split("\\s+")[0]);
            } else if (!keep) {
                lines[i] = "";
            }
            out.append(lines[i]);
            if (i + 1 < lines.length) {
                out.append('\n');
            }
        }
        if (openedAt != 0) {
            throw new ScriptException(file, openedAt, "#ifdef without #endif");
        }
        return out.toString();
    }
}
