package io.tcpsim.drill;

import io.tcpsim.tcp.Profile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Runs packetdrill scripts against a fresh tcpsim stack each, on a virtual clock (project guide,
 * packetdrill.md): {@link #run(Path, Settings)} parses and plays one script and says whether it
 * passed.
 */
public final class DrillRunner {
    /** packetdrill's default link MTU. */
    public static final int DEFAULT_MTU = 1500;

    private DrillRunner() {
    }

    /**
     * How to run.
     *
     * @param profile the TCP behaviour the script expects
     * @param strict  also fail on outbound packets of the flow that no line expects
     * @param trace   where the step-by-step account goes ({@link Trace#NONE}: nowhere)
     * @param pcapDir where to write one pcap per script, or null
     * @param toleranceUsecs the timing tolerance unless a script sets its own with a
     *                {@code --tolerance_usecs=} line: packetdrill's command-line flag of that name,
     *                with which a suite's runner runs all its scripts; packetdrill's default 4000
     */
    public record Settings(Profile profile, boolean strict, Trace trace, Path pcapDir, long toleranceUsecs) {
        /** packetdrill's default --tolerance_usecs. */
        public static final long DEFAULT_TOLERANCE_USECS = 4_000;

        public Settings {
            if (toleranceUsecs < 0) {
                throw new IllegalArgumentException("negative tolerance " + toleranceUsecs);
            }
        }

        public Settings(Profile profile, boolean strict, Trace trace, Path pcapDir) {
            this(profile, strict, trace, pcapDir, DEFAULT_TOLERANCE_USECS);
        }

        public static Settings of(Profile profile) {
            return new Settings(profile, false, Trace.NONE, null);
        }

        /** The same settings with this default tolerance. */
        public Settings withTolerance(long usecs) {
            return new Settings(profile, strict, trace, pcapDir, usecs);
        }
    }

    /** Parses and runs the script at {@code file}. */
    public static DrillResult run(Path file, Settings settings) {
        Script script;
        try {
            script = ScriptParser.parse(file, settings.profile());
        } catch (ScriptException e) {
            return new DrillResult(file.toString(), DrillResult.Status.FAIL, e.getMessage(), List.of());
        } catch (UnsupportedException e) {
            return skipped(file.toString(), e);
        } catch (IOException e) {
            return new DrillResult(file.toString(), DrillResult.Status.FAIL, file + ": cannot read: " + e.getMessage(),
                    List.of());
        }
        return run(script, settings);
    }

    /** Runs a parsed script. */
    public static DrillResult run(Script script, Settings settings) {
        Path pcap = null;
        if (settings.pcapDir() != null) {
            try {
                Files.createDirectories(settings.pcapDir());
            } catch (IOException e) {
                return new DrillResult(script.file(), DrillResult.Status.FAIL,
                        "cannot create " + settings.pcapDir() + ": " + e.getMessage(), List.of());
            }
            String name = Path.of(script.file()).getFileName().toString().replaceFirst("\\.pkt$", "");
            pcap = settings.pcapDir().resolve(name + ".pcap");
        }
        try (Run run = new Run(script, settings, pcap)) {
            return run.play();
        } catch (UnsupportedException e) {
            return skipped(script.file(), e);
        } catch (IOException e) {
            return new DrillResult(script.file(), DrillResult.Status.FAIL, script.file() + ": " + e.getMessage(), List.of());
        }
    }

    static DrillResult skipped(String file, UnsupportedException e) {
        String where = e.line() > 0 ? file + ":" + e.line() + ": " : file + ": ";
        return new DrillResult(file, DrillResult.Status.SKIP, where + "unsupported: " + e.getMessage(), List.of());
    }
}
