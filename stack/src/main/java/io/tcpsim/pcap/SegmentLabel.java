package io.tcpsim.pcap;

import io.tcpsim.wire.TcpOption;
import io.tcpsim.wire.TcpPacket;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/** Short words for a segment: tcpdump's flag letters, relative numbers, option names. */
public final class SegmentLabel {
    /** tcpdump's letters in its table order (FIN first), so SYN+FIN prints "FS" and ACK ".". */
    private static final String FLAG_LETTERS = "FSRP.UEW";

    private SegmentLabel() {
    }

    /** tcpdump's flag letters, e.g. "S.", "P.", "F.", "R", or "none". */
    public static String flags(int flags) {
        StringBuilder letters = new StringBuilder();
        for (int bit = 0; bit < FLAG_LETTERS.length(); bit++) {
            if ((flags & 1 << bit) != 0) {
                letters.append(FLAG_LETTERS.charAt(bit));
            }
        }
        return letters.isEmpty() ? "none" : letters.toString();
    }

    /** Flag names in words, e.g. "SYN+ACK", "FIN+PSH+ACK". */
    public static String flagWords(int flags) {
        String[] names = {"FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR"};
        StringJoiner words = new StringJoiner("+");
        for (int bit : new int[] {1, 0, 2, 3, 5, 6, 7, 4}) {
            if ((flags & 1 << bit) != 0) {
                words.add(names[bit]);
            }
        }
        return words.length() == 0 ? "no flags" : words.toString();
    }

    /**
     * The option kinds present, in order, NOP and EOL left out: "mss", "sackOK", "TS", "wscale",
     * "sack", or "opt-N" for another kind. Values are not part of a kind.
     */
    public static List<String> optionKinds(List<TcpOption> options) {
        List<String> kinds = new ArrayList<>();
        for (TcpOption o : options) {
            switch (o) {
                case TcpOption.NoOperation _, TcpOption.EndOfList _ -> { }
                case TcpOption.MaxSegmentSize _ -> kinds.add("mss");
                case TcpOption.SackPermitted _ -> kinds.add("sackOK");
                case TcpOption.Timestamps _ -> kinds.add("TS");
                case TcpOption.WindowScale _ -> kinds.add("wscale");
                case TcpOption.Sack _ -> kinds.add("sack");
                case TcpOption.Unknown u -> kinds.add("opt-" + u.kind());
            }
        }
        return kinds;
    }

    /** The options with their values, NOP and EOL left out: "mss 1460,sackOK,TS,wscale 7". */
    public static String options(List<TcpOption> options) {
        StringJoiner text = new StringJoiner(",");
        for (TcpOption o : options) {
            switch (o) {
                case TcpOption.NoOperation _, TcpOption.EndOfList _ -> { }
                case TcpOption.MaxSegmentSize m -> text.add("mss " + m.mss());
                case TcpOption.SackPermitted _ -> text.add("sackOK");
                case TcpOption.Timestamps _ -> text.add("TS");
                case TcpOption.WindowScale w -> text.add("wscale " + w.shift());
                case TcpOption.Sack s -> text.add("sack " + s.blocks().size());
                case TcpOption.Unknown u -> text.add("opt-" + u.kind());
            }
        }
        return text.toString();
    }

    /**
     * A compact label with relative numbers: "S seq 0 win 29200 [mss 1460,TS,wscale 6]",
     * "P. seq 1:14 ack 1 win 229 len 13".
     */
    public static String compact(int flags, long relSeq, long relAck, int window, int payloadLength,
                                 List<TcpOption> options) {
        StringBuilder out = new StringBuilder(flags(flags));
        out.append(" seq ").append(relSeq);
        if (payloadLength > 0) {
            out.append(':').append(relSeq + payloadLength);
        }
        if ((flags & TcpPacket.ACK) != 0) {
            out.append(" ack ").append(relAck);
        }
        out.append(" win ").append(window);
        if (payloadLength > 0) {
            out.append(" len ").append(payloadLength);
        }
        String opts = options(options);
        if (!opts.isEmpty()) {
            out.append(" [").append(opts).append(']');
        }
        return out.toString();
    }
}
