package io.tcpsim.drill;

import io.tcpsim.tcp.TcpConfig;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * The well-known sysctl shell lines of public scripts, mapped onto the stack's settings before
 * it starts: {@code sysctl -w net.ipv4.tcp_syn_retries=2}, {@code sysctl -q
 * net.inet.tcp.recvspace=65536}, and the suites' well-known defaults file ({@code
 * `../common/defaults.sh`}, {@code `./defaults.sh`}), read as the sysctl lines it holds
 * ({@link #DEFAULTS_SH}). Anything else is ignored (the runner runs no shell).
 */
final class Sysctls {
    /**
     * The sysctl lines of gtests/net/common/defaults.sh in google/packetdrill, which the Linux
     * selftests copy as tools/testing/selftests/net/packetdrill/defaults.sh: "standard production
     * config values" the suites' scripts were written for (those with no tcpsim setting left out:
     * tcp_frto, tcp_fack, tcp_reordering, tcp_slow_start_after_idle, tcp_early_retrans,
     * tcp_recovery, tcp_tso_win_divisor, tcp_ecn, pacing ratios, tcp_notsent_lowat, tcp_fastopen,
     * tcp_syncookies, mptcp). Its 15 MB tcp_rmem maximum is why those scripts expect window scale 8.
     */
    static final List<String> DEFAULTS_SH = List.of(
            "sysctl -q net.ipv4.tcp_rmem=\"4096 540000 15728640\"",
            "sysctl -q net.ipv4.tcp_wmem=\"4096 262144 4194304\"",
            "sysctl -q net.ipv4.tcp_timestamps=1",
            "sysctl -q net.ipv4.tcp_syn_retries=5",
            "sysctl -q net.ipv4.tcp_synack_retries=5",
            "sysctl -q net.ipv4.tcp_sack=1",
            "sysctl -q net.ipv4.tcp_dsack=1",
            "sysctl -q net.ipv4.tcp_congestion_control=cubic");
    /** Linux net.core.rmem_max's default: tcp_select_initial_window() scales for max(tcp_rmem[2], this). */
    private static final int RMEM_MAX = 212_992;

    private static final Map<String, BiFunction<TcpConfig, String, TcpConfig>> KNOWN = Map.ofEntries(
            Map.entry("net.ipv4.tcp_syn_retries", (c, v) -> c.withSynRetries(integer(v))),
            Map.entry("net.ipv4.tcp_synack_retries", (c, v) -> c.withSynAckRetries(integer(v))),
            Map.entry("net.ipv4.tcp_sack", (c, v) -> c.withSack(integer(v) != 0)),
            Map.entry("net.ipv4.tcp_dsack", (c, v) -> c.withDsack(integer(v) != 0)),
            Map.entry("kern.ipc.maxsockbuf", (c, v) -> c.withWindowScale(TcpConfig.bsdWindowScaleFor(integer(v)))),
            Map.entry("net.ipv4.tcp_timestamps", (c, v) -> c.withTimestamps(integer(v) != 0)),
            Map.entry("net.ipv4.tcp_rmem", Sysctls::tcpRmem),
            Map.entry("net.ipv4.tcp_wmem", (c, v) -> c.withTcpWmem(triple(v))),
            Map.entry("net.ipv4.tcp_moderate_rcvbuf", (c, v) -> c.withModerateRcvbuf(integer(v) != 0)),
            Map.entry("net.ipv4.tcp_fin_timeout", (c, v) -> c.withFinTimeout(Duration.ofSeconds(integer(v)))),
            Map.entry("net.ipv4.tcp_abort_on_overflow", (c, v) -> c.withAbortOnOverflow(integer(v) != 0)),
            Map.entry("net.core.somaxconn", (c, v) -> c.withSomaxconn(integer(v))),
            Map.entry("net.ipv4.tcp_max_syn_backlog", (c, v) -> c.withMaxSynBacklog(integer(v))),
            Map.entry("net.ipv4.tcp_rfc1337", (c, v) -> c.withRfc1337(integer(v) != 0)),
            Map.entry("net.ipv4.tcp_congestion_control", (c, v) -> c.withCongestionControl(v)),
            Map.entry("net.ipv4.tcp_mem", (c, v) -> c.withTcpMem(new TcpConfig.TcpMem(field(v, 0), field(v, 1),
                    field(v, 2)))),
            Map.entry("net.ipv4.tcp_syncookies", (c, v) -> c.withSyncookies(integer(v))),
            Map.entry("net.ipv4.tcp_max_orphans", (c, v) -> c.withMaxOrphans(integer(v))),
            Map.entry("net.ipv4.tcp_max_tw_buckets", (c, v) -> c.withMaxTwBuckets(integer(v))),
            Map.entry("net.ipv4.tcp_challenge_ack_limit", (c, v) -> c.withChallengeAckLimit(integer(v))),
            Map.entry("net.ipv4.tcp_orphan_retries", (c, v) -> c.withFinRetries(integer(v), c.retries2())),
            Map.entry("net.ipv4.tcp_retries2", (c, v) -> c.withFinRetries(c.orphanRetries(), integer(v))),
            Map.entry("net.inet.tcp.rfc1323", (c, v) -> c.withTimestamps(integer(v) != 0)),
            Map.entry("net.inet.tcp.recvspace", (c, v) -> c.withBuffers(integer(v), c.sendBuffer())),
            Map.entry("net.inet.tcp.sendspace", (c, v) -> c.withBuffers(c.receiveBuffer(), integer(v))),
            Map.entry("net.inet.tcp.rexmit_initial", (c, v) -> c.withInitialRto(Duration.ofMillis(integer(v)))),
            Map.entry("net.inet.tcp.drop_synfin", (c, v) -> c.withDropSynFin(integer(v) != 0)),
            Map.entry("net.inet.tcp.msl", (c, v) -> c.withTimeWait(Duration.ofMillis(2L * integer(v)))));

    private Sysctls() {
    }

    /** What a shell line did: the settings after it, and a word for the trace. */
    record Outcome(TcpConfig config, String note) {
    }

    /**
     * Maps {@code command} onto {@code config} when it sets a known sysctl or runs the suites'
     * defaults file; else leaves it.
     */
    static Outcome apply(String command, TcpConfig config) {
        String program = command.trim().split("\\s+")[0];
        if (program.equals("defaults.sh") || program.endsWith("/defaults.sh")) {
            TcpConfig c = config;
            for (String line : DEFAULTS_SH) {
                c = apply(line, c).config();
            }
            return new Outcome(c, "mapped as the sysctl lines of the suites' defaults.sh");
        }
        return applySysctl(command, config);
    }

    private static Outcome applySysctl(String command, TcpConfig config) {
        String[] words = command.trim().replace("\"", "").replace("'", "").split("\\s+");
        if (words.length < 2 || !words[0].equals("sysctl")) {
            return new Outcome(config, "ignored (not a sysctl)");
        }
        int i = 1;
        while (i < words.length && words[i].startsWith("-")) {
            i++;
        }
        if (i >= words.length || !words[i].contains("=")) {
            return new Outcome(config, "ignored (reads a sysctl)");
        }
        String name = words[i].substring(0, words[i].indexOf('='));
        StringBuilder value = new StringBuilder(words[i].substring(words[i].indexOf('=') + 1));
        for (int j = i + 1; j < words.length && !words[j].startsWith("|") && !words[j].startsWith(">"); j++) {
            value.append(' ').append(words[j]);
        }
        BiFunction<TcpConfig, String, TcpConfig> mapping = KNOWN.get(name);
        if (mapping == null) {
            return new Outcome(config, "ignored (" + name + " has no tcpsim setting)");
        }
        try {
            return new Outcome(mapping.apply(config, value.toString().trim()), "mapped " + name + "=" + value.toString().trim());
        } catch (IllegalArgumentException e) {
            return new Outcome(config, "ignored (" + name + "=" + value + ": " + e.getMessage() + ")");
        }
    }

    /**
     * tcp_rmem "min default max": the default is a fresh socket's SO_RCVBUF, of which the
     * connection's buffer holds what the buffer rules say (half on Linux), the max what
     * autotuning grows it to; the window scale is the one tcp_select_initial_window() derives
     * from max(tcp_rmem[2], rmem_max).
     */
    private static TcpConfig tcpRmem(TcpConfig c, String v) {
        int scale = TcpConfig.windowScaleFor(Math.max((long) field(v, 2), RMEM_MAX));
        return c.withTcpRmem(triple(v)).withWindowScale(scale);
    }

    /** tcp_rmem or tcp_wmem "min default max"; a single number stands for all three. */
    private static TcpConfig.SocketMem triple(String v) {
        return new TcpConfig.SocketMem(field(v, 0), field(v, 1), field(v, 2));
    }

    private static int integer(String v) {
        return Integer.parseInt(v.trim());
    }

    private static int field(String v, int index) {
        String[] parts = v.trim().split("\\s+");
        return Integer.parseInt(parts[Math.min(index, parts.length - 1)]);
    }
}
