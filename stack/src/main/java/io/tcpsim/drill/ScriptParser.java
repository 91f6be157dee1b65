package io.tcpsim.drill;

import io.tcpsim.drill.Token.Kind;
import io.tcpsim.tcp.Profile;
import io.tcpsim.wire.TcpOption;
import io.tcpsim.wire.TcpPacket;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a script in the subset of the packetdrill language the project guide fixes: options,
 * shell lines, {@code #ifdef}, comments, times (absolute, relative, {@code *}, ranges, blocking
 * {@code ...end}), packet lines, system calls and {@code %{ }%} blocks. A mistake is a
 * {@link ScriptException} ({@code file:line: message}); valid packetdrill outside the subset an
 * {@link UnsupportedException}.
 */
public final class ScriptParser {
    private static final long MICROS_PER_SECOND = 1_000_000;
    private static final String FLAG_CHARS = "SFRP.UEW-";

    private final Lexer lexer;
    private final List<Event> events = new ArrayList<>();
    private final Map<String, String> options = new LinkedHashMap<>();
    private long lastAbsolute = -1;

    private ScriptParser(String file, String text, Set<String> defined) {
        this.lexer = new Lexer(file, Preprocessor.apply(file, text, defined));
    }

    /** Parses the file at {@code path}; errors name it as given. */
    public static Script parse(Path path) throws IOException {
        return parse(path, Profile.LINUX);
    }

    /** Parses the file at {@code path} with the {@code #ifdef} names of {@code profile} ({@link Preprocessor#definedFor}). */
    public static Script parse(Path path, Profile profile) throws IOException {
        return new ScriptParser(path.toString(), Files.readString(path, StandardCharsets.UTF_8),
                Preprocessor.definedFor(profile)).script();
    }

    /** Parses {@code text}; errors name {@code file}. */
    public static Script parse(String file, String text) {
        return new ScriptParser(file, text, Preprocessor.DEFINED).script();
    }

    private Script script() {
        while (lexer.peek().kind() == Kind.OPTION) {
            Token t = lexer.next();
            int eq = t.text().indexOf('=');
            options.put(eq < 0 ? t.text() : t.text().substring(0, eq), eq < 0 ? "" : t.text().substring(eq + 1));
        }
        while (lexer.peek().kind() != Kind.END) {
            events.add(event());
        }
        return new Script(lexer.file(), options, events);
    }

    private Event event() {
        Token first = lexer.peek();
        if (first.kind() == Kind.OPTION) {
            throw lexer.error(first.line(), "option --" + first.text() + " after the first event");
        }
        Timing timing = first.kind() == Kind.SHELL ? new Timing(Timing.Kind.RELATIVE, 0, -1, -1) : timing();
        Token t = lexer.peek();
        Action action;
        if (t.is("<") || t.is(">")) {
            action = packet();
            if (action == null) {
                action = icmp();
            }
        } else if (t.kind() == Kind.SHELL) {
            action = new ShellLine(lexer.next().text().trim());
        } else if (t.kind() == Kind.CODE) {
            action = new CodeBlock(lexer.next().text());
        } else if (t.kind() == Kind.NAME) {
            action = syscall();
        } else {
            throw lexer.error(t.line(), "expected a packet, a system call, a shell command or %{ }% but found " + t);
        }
        if (timing.isBlocking() && !(action instanceof SyscallLine)) {
            throw lexer.error(first.line(), "only a system call can block (...end)");
        } else if (timing.kind() == Timing.Kind.ANY && !(action instanceof PacketLine p && !p.inbound())) {
            throw lexer.error(first.line(), "'*' is only for outbound packets");
        }
        return new Event(first.line(), timing, action);
    }

    private Timing timing() {
        Token t = lexer.peek();
        if (lexer.accept("*")) {
            return Timing.any();
        }
        boolean relative = lexer.accept("+");
        long start = seconds();
        long end = -1;
        long blockEnd = -1;
        if (lexer.accept("~")) {
            end = timeBound(relative, t.line());
        } else if (lexer.peek().kind() == Kind.ELLIPSIS) {
            lexer.next();
            blockEnd = timeBound(relative, t.line());
        }
        if (!relative) {
            if (start < lastAbsolute) {
                throw lexer.error(t.line(), "time goes backward: " + micros(start) + " after " + micros(lastAbsolute));
            }
            lastAbsolute = start;
        }
        if ((end >= 0 && end < start) || (blockEnd >= 0 && blockEnd < start)) {
            throw lexer.error(t.line(), "the end of a time range is before its start");
        }
        return new Timing(relative ? Timing.Kind.RELATIVE : Timing.Kind.ABSOLUTE, start, end, blockEnd);
    }

    /** The end of a range or blocking call: relative when the start is, with or without its own '+'. */
    private long timeBound(boolean relative, int line) {
        boolean plus = lexer.accept("+");
        if (plus && !relative) {
            throw lexer.error(line, "a relative end after an absolute start");
        }
        return seconds();
    }

    private long seconds() {
        Token t = lexer.next();
        if (t.kind() != Kind.NUMBER || t.text().regionMatches(true, 0, "0x", 0, 2)) {
            // found by ScriptParserFuzzTest: "0X" passed the lower-case test and broke BigDecimal
            throw lexer.error(t.line(), "expected a time but found " + t);
        }
        try {
            return new BigDecimal(t.text()).movePointRight(6).longValueExact();
        } catch (ArithmeticException e) {
            throw lexer.error(t.line(), "time " + t.text() + " is finer than a microsecond");
        }
    }

    private static String micros(long usec) {
        return BigDecimal.valueOf(usec).movePointLeft(6).stripTrailingZeros().toPlainString();
    }

    /** A TCP packet line, or null (with nothing consumed but the direction) for an ICMP one. */
    private PacketLine packet() {
        Token dir = lexer.next();
        int line = dir.line();
        boolean inbound = dir.is("<");
        if (lexer.peek().kind() == Kind.NAME && lexer.peek().text().equals("icmp")) {
            if (!inbound) {
                throw new UnsupportedException(line, "outbound ICMP lines");
            }
            return null;
        }
        String word = lexer.rawWord();
        int srcPort = -1;
        int dstPort = -1;
        if (word.matches("\\d+>\\d+")) {
            if (!inbound) {
                throw lexer.error(line, "explicit ports are only for inbound packets");
            }
            srcPort = port(word.substring(0, word.indexOf('>')), line);
            dstPort = port(word.substring(word.indexOf('>') + 1), line);
            word = lexer.rawWord();
        }
        int flags = flags(word, line);
        long start = integer(lexer.next(), "a sequence number");
        lexer.expect(":");
        long end = integer(lexer.next(), "a sequence number");
        lexer.expect("(");
        long length = integer(lexer.next(), "a payload length");
        lexer.expect(")");
        if (length < 0 || length > 0xFFFF || ((end - start) & 0xFFFFFFFFL) != length) {
            throw lexer.error(line, "inconsistent segment: " + start + ":" + end + "(" + length + ")");
        }
        Long ack = null;
        Integer window = null;
        Integer urgent = null;
        List<TcpOption> opts = null;
        boolean anyOptions = false;
        while (true) {
            Token t = lexer.peek();
            if (t.kind() == Kind.NAME && t.text().equals("ack") && ack == null) {
                lexer.next();
                ack = integer(lexer.next(), "an ack number");
            } else if (t.kind() == Kind.NAME && t.text().equals("win") && window == null) {
                lexer.next();
                window = (int) ranged(lexer.next(), "a window", 0xFFFF);
            } else if (t.kind() == Kind.NAME && t.text().equals("urg") && urgent == null) {
                lexer.next();
                urgent = (int) ranged(lexer.next(), "an urgent pointer", 0xFFFF);
            } else if (t.is("<") && opts == null && !anyOptions) {
                lexer.next();
                if (lexer.peek().kind() == Kind.ELLIPSIS) {
                    lexer.next();
                    anyOptions = true;
                } else {
                    opts = options(line);
                }
                lexer.expect(">");
            } else {
                break;
            }
        }
        if (inbound && window == null) {
            throw lexer.error(line, "an inbound packet needs its window (win N)");
        }
        return new PacketLine(inbound, flags, start & 0xFFFFFFFFL, (int) length, ack, window, urgent, opts,
                anyOptions, srcPort, dstPort);
    }

    /** {@code icmp unreachable CODE [mtu N] [start:end(len)]} after the '<'. */
    private IcmpLine icmp() {
        Token icmp = lexer.next();
        Token type = lexer.next();
        if (type.kind() != Kind.NAME || !type.text().equals("unreachable")) {
            throw new UnsupportedException(icmp.line(), "ICMP type " + type + " (only unreachable)");
        }
        Token codeName = lexer.next();
        int code = switch (codeName.text()) {
            case "net_unreachable" -> 0;
            case "host_unreachable" -> 1;
            case "protocol_unreachable" -> 2;
            case "port_unreachable" -> 3;
            case "frag_needed" -> 4;
            case "net_unknown" -> 6;
            case "host_unknown" -> 7;
            case "net_prohibited" -> 9;
            case "host_prohibited" -> 10;
            case "prohibited" -> 13;
            default -> throw new UnsupportedException(codeName.line(), "ICMP code " + codeName);
        };
        int mtu = 0;
        if (lexer.peek().kind() == Kind.NAME && lexer.peek().text().equals("mtu")) {
            lexer.next();
            mtu = (int) ranged(lexer.next(), "an MTU", 0xFFFF);
        }
        lexer.expect("[");
        long start = integer(lexer.next(), "a sequence number");
        lexer.expect(":");
        integer(lexer.next(), "a sequence number");
        lexer.expect("(");
        integer(lexer.next(), "a payload length");
        lexer.expect(")");
        lexer.expect("]");
        return new IcmpLine(code, mtu, start & 0xFFFFFFFFL);
    }

    private int flags(String word, int line) {
        if (word.isEmpty()) {
            throw lexer.error(line, "expected TCP flags");
        }
        int flags = 0;
        for (char c : word.toCharArray()) {
            if (FLAG_CHARS.indexOf(c) < 0) {
                throw lexer.error(line, "unknown TCP flag '" + c + "' in " + word);
            }
            flags |= switch (c) {
                case 'S' -> TcpPacket.SYN;
                case 'F' -> TcpPacket.FIN;
                case 'R' -> TcpPacket.RST;
                case 'P' -> TcpPacket.PSH;
                case '.' -> TcpPacket.ACK;
                case 'U' -> TcpPacket.URG;
                case 'E' -> TcpPacket.ECE;
                case 'W' -> TcpPacket.CWR;
                default -> 0;
            };
        }
        if (word.contains("-") && word.length() > 1) {
            throw lexer.error(line, "'-' (no flags) with other flags: " + word);
        }
        return flags;
    }

    private List<TcpOption> options(int line) {
        List<TcpOption> list = new ArrayList<>();
        do {
            Token name = lexer.next();
            if (name.kind() != Kind.NAME) {
                throw lexer.error(name.line(), "expected a TCP option but found " + name);
            }
            list.add(option(name));
        } while (lexer.accept(","));
        int length = list.stream().mapToInt(TcpOption::length).sum();
        if (length > TcpOption.MAX_OPTIONS_LENGTH) {
            throw lexer.error(line, "options take " + length + " bytes, more than " + TcpOption.MAX_OPTIONS_LENGTH);
        }
        return List.copyOf(list);
    }

    private TcpOption option(Token name) {
        return switch (name.text()) {
            case "nop" -> TcpOption.NOP;
            case "eol" -> TcpOption.EOL;
            case "sackOK" -> TcpOption.SACK_PERMITTED;
            case "mss" -> new TcpOption.MaxSegmentSize((int) ranged(lexer.next(), "an MSS", 0xFFFF));
            case "wscale" -> new TcpOption.WindowScale((int) ranged(lexer.next(), "a window scale", 0xFF));
            case "TS" -> timestamps();
            case "sack" -> sack();
            default -> throw new UnsupportedException(name.line(), "TCP option '" + name.text() + "'");
        };
    }

    private TcpOption timestamps() {
        expectName("val");
        long val = ranged(lexer.next(), "a TS val", 0xFFFFFFFFL);
        expectName("ecr");
        long ecr = ranged(lexer.next(), "a TS ecr", 0xFFFFFFFFL);
        return new TcpOption.Timestamps((int) val, (int) ecr);
    }

    private TcpOption sack() {
        List<TcpOption.SackBlock> blocks = new ArrayList<>();
        while (lexer.peek().kind() == Kind.NUMBER) {
            long left = ranged(lexer.next(), "a SACK edge", 0xFFFFFFFFL);
            lexer.expect(":");
            long right = ranged(lexer.next(), "a SACK edge", 0xFFFFFFFFL);
            blocks.add(new TcpOption.SackBlock((int) left, (int) right));
        }
        if (blocks.isEmpty()) {
            throw lexer.error(lexer.line(), "a sack option needs blocks (left:right)");
        }
        return new TcpOption.Sack(blocks);
    }

    private void expectName(String name) {
        Token t = lexer.next();
        if (t.kind() != Kind.NAME || !t.text().equals(name)) {
            throw lexer.error(t.line(), "expected '" + name + "' but found " + t);
        }
    }

    private SyscallLine syscall() {
        Token name = lexer.next();
        lexer.expect("(");
        List<Expr> args = new ArrayList<>();
        if (!lexer.accept(")")) {
            do {
                args.add(expr());
            } while (lexer.accept(","));
            lexer.expect(")");
        }
        Token eq = lexer.peek();
        if (!eq.is("=")) {
            throw lexer.error(name.line(), "expected '= result' after " + name.text() + "(...) but found " + eq);
        }
        lexer.next();
        Expr expected = expr();
        String errno = null;
        if (lexer.peek().kind() == Kind.NAME && lexer.peek().line() == eq.line()) {
            errno = lexer.next().text();
        }
        String note = null;
        if (lexer.peek().is("(")) {
            int line = lexer.next().line();
            note = lexer.rawParenthesized(line);
        }
        return new SyscallLine(name.text(), args, expected, errno, note);
    }

    private Expr expr() {
        Expr first = term();
        if (!lexer.peek().is("|")) {
            return first;
        }
        List<Expr> parts = new ArrayList<>(List.of(first));
        while (lexer.accept("|")) {
            parts.add(term());
        }
        return new Expr.Or(List.copyOf(parts));
    }

    private Expr term() {
        Token t = lexer.next();
        if (t.kind() == Kind.ELLIPSIS) {
            return new Expr.Ellipsis();
        } else if (t.is("-")) {
            return new Expr.Num(-integer(lexer.next(), "a number"));
        } else if (t.kind() == Kind.NUMBER) {
            return new Expr.Num(integer(t, "a number"));
        } else if (t.kind() == Kind.STRING) {
            return new Expr.Str(t.text());
        } else if (t.kind() == Kind.NAME) {
            if (lexer.peek().is("(")) {
                throw new UnsupportedException(t.line(), "function " + t.text() + "() in an argument");
            }
            return new Expr.Sym(t.text());
        } else if (t.is("[")) {
            List<Expr> items = new ArrayList<>();
            if (!lexer.accept("]")) {
                do {
                    items.add(expr());
                } while (lexer.accept(","));
                lexer.expect("]");
            }
            return new Expr.ListExpr(List.copyOf(items));
        } else if (t.is("{")) {
            return struct();
        }
        throw lexer.error(t.line(), "expected an argument but found " + t);
    }

    private Expr struct() {
        Map<String, Expr> fields = new LinkedHashMap<>();
        if (!lexer.accept("}")) {
            do {
                Token name = lexer.next();
                if (name.kind() != Kind.NAME) {
                    throw lexer.error(name.line(), "expected a field name but found " + name);
                }
                lexer.expect("=");
                fields.put(name.text(), expr());
            } while (lexer.accept(","));
            lexer.expect("}");
        }
        return new Expr.Struct(fields);
    }

    private int port(String digits, int line) {
        long p;
        try {
            p = Long.parseLong(digits);
        } catch (NumberFormatException tooLong) {
            p = Long.MAX_VALUE;
        }
        if (p > 0xFFFF) {
            throw lexer.error(line, "port " + p + " is above 65535");
        }
        return (int) p;
    }

    private long ranged(Token t, String what, long max) {
        long v = integer(t, what);
        if (v < 0 || v > max) {
            throw lexer.error(t.line(), what + " " + v + " is not in 0.." + max);
        }
        return v;
    }

    private long integer(Token t, String what) {
        if (t.kind() != Kind.NUMBER) {
            throw lexer.error(t.line(), "expected " + what + " but found " + t);
        }
        String s = t.text();
        try {
            if (s.startsWith("0x") || s.startsWith("0X")) {
                return Long.parseUnsignedLong(s.substring(2), 16);
            }
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            throw lexer.error(t.line(), "expected " + what + " but found " + t);
        }
    }
}
