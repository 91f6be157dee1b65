package io.tcpsim.drill;

import java.util.Set;

/**
 * nplab's conditional lines: {@code #ifdef NAME} ... {@code #endif} (no nesting, no #else).
 * Lines outside a defined block are blanked, so that line numbers stay those of the file.
 */
final class Preprocessor {
    /** What nplab's scripts test for by default. */
    static final Set<String> DEFINED = Set.of("STANDARD");

    private Preprocessor() {
    }

    static String apply(String file, String text) {
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
                keep = DEFINED.contains(name) == trimmed.startsWith("#ifdef");
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
