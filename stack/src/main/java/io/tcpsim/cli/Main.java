package io.tcpsim.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The {@code tcpsim} command line: one picocli subcommand per tool. */
@Command(
        name = "tcpsim",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "A user-space TCP/IP stack on a Linux TUN device.",
        subcommands = {ServeCommand.class, ExecCommand.class, SsCommand.class, StatsCommand.class, NcCommand.class,
            BufexpCommand.class, DrillCommand.class, BenchCommand.class, SimulateCommand.class, SoakCommand.class,
            ShowCommand.class, ReplayCommand.class, CommandLine.HelpCommand.class})
public final class Main {

    /**
     * Debug logging for this run: every dropped packet is logged with its reason, in tcpdump syntax.
     * Set before any logger exists (loggers are created when the stack is), so slf4j-simple sees it.
     */
    @Option(names = "--debug", scope = ScopeType.INHERIT,
            description = "Log every dropped packet with its reason (debug level).")
    void debug(boolean on) {
        if (on) {
            System.setProperty("org.slf4j.simpleLogger.log.io.tcpsim", "debug");
        }
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Parses and runs {@code args}; returns the exit status. */
    public static int run(String... args) {
        return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    /** Parses and runs {@code args} with the given output and error streams. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        return new CommandLine(new Main())
                .setOut(out)
                .setErr(err)
                .setParameterExceptionHandler(Main::badArgument)
                .setExecutionExceptionHandler(Main::failed)
                .execute(args);
    }

    /** A bad command-line value: one line naming the problem, exit status 2. */
    private static int badArgument(CommandLine.ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        cmd.getErr().println("tcpsim: " + e.getMessage() + " (see '" + cmd.getCommandSpec().qualifiedName()
                + " --help')");
        return 2;
    }

    /** A command that failed: one line with the reason, exit status 1. */
    private static int failed(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        cmd.getErr().println("tcpsim " + cmd.getCommandName() + ": " + e.getMessage());
        return 1;
    }
}
