package io.tcpsim.cli;

import io.tcpsim.pcap.CaptureSummary;
import io.tcpsim.pcap.Conversation;
import io.tcpsim.pcap.Ladder;
import io.tcpsim.pcap.PassiveTracker;
import io.tcpsim.pcap.ShowText;
import io.tcpsim.pcap.SvgLadder;
import io.tcpsim.pcap.TextLadder;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code tcpsim show}: the TCP conversations of a capture; one conversation packet by packet in
 * tcpdump's words with both sides' inferred states, as a text ladder, and as an SVG ladder.
 */
@Command(
        name = "show",
        mixinStandardHelpOptions = true,
        description = {"List the TCP conversations of a capture (pcap or pcapng); with --conv, print one packet by",
                "packet as tcpdump does (relative sequence numbers), both sides' TCP state after each packet as a",
                "passive observer infers it, and a text ladder; --ladder also draws it as an SVG sequence diagram.",
                "A capture with one conversation is shown whole without --conv.",
                "Example: tcpsim show pcap-samples/linux-client-close.pcap --conv 1 --ladder /tmp/ladder.svg"})
final class ShowCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "The capture (pcap or pcapng).")
    Path file;

    @Option(names = "--conv", paramLabel = "N", description = "Show conversation N (1 is the first) packet by packet.")
    Integer conversation;

    @Option(names = "--filter", paramLabel = "BPF", description = "Keep only the frames this tcpdump filter accepts.")
    String filter;

    @Option(names = "--ladder", paramLabel = "OUT.svg", description = "Write the conversation's ladder as SVG.")
    Path ladder;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        CaptureSummary capture = CaptureSummary.read(file, filter);
        out.print(ShowText.summary(capture));
        Integer chosen = conversation != null ? conversation : capture.conversations().size() == 1 ? 1 : null;
        if (chosen == null) {
            if (ladder != null) {
                throw new ParameterException(spec.commandLine(), "--ladder needs --conv N: the capture has "
                        + capture.conversations().size() + " TCP conversations");
            }
            out.flush();
            return 0;
        }
        Conversation c;
        try {
            c = capture.conversation(chosen);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--conv: " + e.getMessage());
        }
        out.println();
        out.print(ShowText.packets(c));
        Ladder drawn = Ladder.of(file.getFileName() + ", conversation " + c.number(), c, PassiveTracker.track(c));
        out.println();
        out.print(TextLadder.render(drawn));
        if (ladder != null) {
            Files.writeString(ladder, SvgLadder.render(drawn));
            out.println("ladder written to " + ladder);
        }
        out.flush();
        return 0;
    }
}
