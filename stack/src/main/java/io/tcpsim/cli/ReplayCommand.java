package io.tcpsim.cli;

import io.tcpsim.pcap.CaptureSummary;
import io.tcpsim.pcap.Conversation;
import io.tcpsim.replay.ReplayHtml;
import io.tcpsim.replay.ReplayJson;
import io.tcpsim.replay.ReplayOptions;
import io.tcpsim.replay.ReplayResult;
import io.tcpsim.replay.ReplayText;
import io.tcpsim.replay.Replayer;
import io.tcpsim.replay.Role;
import io.tcpsim.tcp.Profile;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code tcpsim replay}: tcpsim takes the captured side's place in a capture's TCP conversations
 * on a virtual clock and its segments are compared with the captured ones.
 */
@Command(
        name = "replay",
        mixinStandardHelpOptions = true,
        description = {"Replay a capture through tcpsim: tcpsim takes the place of one side (the server by default),",
                "the other side's packets are injected at their captured times with addresses, ISNs and checksums",
                "rewritten, the application's calls are played from the capture, and tcpsim's segments are compared",
                "with the captured ones (flags, relative seq and ack, length, which options; --window adds the",
                "window). Prints a verdict per packet, 'N matched, N differ' and the first divergence in words.",
                "Example: tcpsim replay pcap-samples/linux-client-close.pcap --as server --report /tmp/replay.html"})
final class ReplayCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "The capture (pcap or pcapng).")
    Path file;

    @Option(names = "--conv", paramLabel = "N", description = "Replay only conversation N (see tcpsim show).")
    Integer conversation;

    @Option(names = "--filter", paramLabel = "BPF", description = "Replay the conversations in the frames this "
            + "tcpdump filter accepts, e.g. \"tcp port 80\".")
    String filter;

    @Option(names = "--as", paramLabel = "server|client", converter = RoleConverter.class,
            description = "The side tcpsim plays (default: the server, or the client where the server sent nothing).")
    Role role;

    @Option(names = "--profile", paramLabel = "linux|freebsd", defaultValue = "linux",
            converter = DrillCommand.ProfileConverter.class,
            description = "The stack behaviour to replay with, as for drill: linux or freebsd (default: ${DEFAULT-VALUE}).")
    Profile profile;

    @Option(names = "--window", description = "Compare the window field too.")
    boolean window;

    @Option(names = "--json", description = "Print the result as JSON instead of text.")
    boolean json;

    @Option(names = "--report", paramLabel = "OUT.html", description = "Also write an HTML report with the ladder.")
    Path report;

    @Option(names = "--pcap", paramLabel = "FILE",
            description = "Record the replay (injected and tcpsim's packets, virtual time) to FILE (pcap, raw IP).")
    Path pcap;

    @Override
    public Integer call() throws Exception {
        if (conversation != null && filter != null) {
            throw new ParameterException(spec.commandLine(), "--conv and --filter exclude each other");
        }
        PrintWriter out = spec.commandLine().getOut();
        CaptureSummary capture = CaptureSummary.read(file, filter);
        List<Conversation> chosen;
        try {
            chosen = conversation == null ? capture.conversations() : List.of(capture.conversation(conversation));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--conv: " + e.getMessage());
        }
        if (chosen.isEmpty()) {
            throw new IllegalStateException("no TCP conversation in " + file + (filter == null ? "" : " for that filter"));
        }
        ReplayOptions options = new ReplayOptions(Optional.ofNullable(role), profile, window, Optional.ofNullable(pcap));
        ReplayResult result = Replayer.replay(capture, chosen, options);
        out.print(json ? ReplayJson.render(result) : ReplayText.render(result));
        if (report != null) {
            Files.writeString(report, ReplayHtml.render(result));
            if (!json) {
                out.println("report written to " + report);
            }
        }
        out.flush();
        return 0;
    }

    /** "server" or "client". */
    static final class RoleConverter implements ITypeConverter<Role> {
        @Override
        public Role convert(String value) {
            return switch (value) {
                case "server" -> Role.SERVER;
                case "client" -> Role.CLIENT;
                default -> throw new TypeConversionException(
                        "expected server or client, got '" + value + "'");
            };
        }
    }
}
