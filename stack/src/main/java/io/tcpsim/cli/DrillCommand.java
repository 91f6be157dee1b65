package io.tcpsim.cli;

import io.tcpsim.drill.DrillResult;
import io.tcpsim.drill.DrillRunner;
import io.tcpsim.drill.ScriptFiles;
import io.tcpsim.drill.Trace;
import io.tcpsim.tcp.Profile;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code tcpsim drill}: runs packetdrill scripts against tcpsim on a virtual clock and says, per
 * script, PASS, FAIL (with {@code file:line:} and the expected and actual lines) or SKIP, then
 * {@code N passed, N failed, N skipped}; exit status 0 only when none failed.
 */
@Command(
        name = "drill",
        mixinStandardHelpOptions = true,
        description = {"Run packetdrill scripts against tcpsim on a virtual clock (no root, no TUN).",
                "A directory runs every *.pkt under it; a file named drill.profile in a script's directory "
                        + "(or a parent) names its profile unless --profile is given.",
                "Example: tcpsim drill --trace drill/handshake/passive-open.pkt"})
final class DrillCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--profile", paramLabel = "P", converter = ProfileConverter.class,
            description = "TCP profile the scripts were written for: linux (default) or freebsd.")
    Profile profile;

    @Option(names = "--trace", description = "Print each event with its virtual time, the packets as written and "
            + "as sent, TCP state changes and timers.")
    boolean trace;

    @Option(names = "--strict", description = "Also fail on outbound packets that no line expects.")
    boolean strict;

    @Option(names = "--pcap", paramLabel = "DIR", description = "Write one pcap per script into DIR.")
    Path pcapDir;

    @Option(names = "--tolerance-usecs", paramLabel = "N", defaultValue = "4000",
            description = "Timing tolerance in microseconds for scripts that set none (packetdrill's "
                    + "--tolerance_usecs; default: ${DEFAULT-VALUE}).")
    long toleranceUsecs;

    @Parameters(paramLabel = "FILE|DIR", arity = "1..*", description = "Scripts, or directories of *.pkt scripts.")
    List<Path> paths;

    @Override
    public Integer call() throws IOException {
        if (toleranceUsecs < 0) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--tolerance-usecs must not be negative: " + toleranceUsecs);
        }
        PrintWriter out = spec.commandLine().getOut();
        int passed = 0;
        int failed = 0;
        int skipped = 0;
        for (Path script : ScriptFiles.expand(paths)) {
            Profile p = profile != null ? profile : ScriptFiles.profileOf(script);
            DrillRunner.Settings settings = new DrillRunner.Settings(p, strict, trace ? Trace.to(out) : Trace.NONE, pcapDir,
                    toleranceUsecs);
            DrillResult r = DrillRunner.run(script, settings);
            switch (r.status()) {
                case PASS -> {
                    passed++;
                    out.println("PASS " + script);
                }
                case FAIL -> {
                    failed++;
                    out.println("FAIL " + script);
                    out.println("  " + r.message().replace("\n", "\n  "));
                }
                case SKIP -> {
                    skipped++;
                    out.println("SKIP " + script + ": " + r.message());
                }
            }
            out.flush();
        }
        out.println(passed + " passed, " + failed + " failed, " + skipped + " skipped");
        return failed == 0 ? 0 : 1;
    }

    /** "linux" or "freebsd"; anything else is a bad argument (exit status 2). */
    static final class ProfileConverter implements CommandLine.ITypeConverter<Profile> {
        @Override
        public Profile convert(String value) {
            try {
                return Profile.named(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
