package io.tcpsim.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Prints benchmark results as a Markdown table (tcpsim, both references, tcpsim's ratio to each)
 * followed by the targets that the results cover, met or missed; or as JSON.
 */
public final class BenchReport {

    private BenchReport() {
    }

    /** A Markdown table of {@code results}, then one line per target they cover. */
    public static String markdown(List<Result> results) {
        StringBuilder out = new StringBuilder();
        out.append("| workload | case | unit | tcpsim | kernel (veth) | raw TUN sink | tcpsim / veth | tcpsim / sink |\n");
        out.append("|---|---|---|---|---|---|---|---|\n");
        for (Result r : results) {
            out.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s | %s | %s | %s |%n", r.workload(), r.what(),
                    r.unit(), figure(r.tcpsim()), figure(r.veth()), figure(r.sink()), ratio(r.ofVeth()),
                    ratio(r.ofSink())));
        }
        List<String> targets = targets(results);
        if (!targets.isEmpty()) {
            out.append('\n');
            targets.forEach(t -> out.append("- ").append(t).append('\n'));
        }
        return out.toString();
    }

    /** {@code {"results":[{...}, ...], "targets":[...]}}; NaN figures are null. */
    public static String json(List<Result> results) {
        StringBuilder out = new StringBuilder("{\"results\":[");
        for (int i = 0; i < results.size(); i++) {
            Result r = results.get(i);
            out.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT,
                    "{\"workload\":%s,\"case\":%s,\"unit\":%s,\"tcpsim\":%s,\"veth\":%s,\"sink\":%s,"
                            + "\"ofVeth\":%s,\"ofSink\":%s}",
                    quote(r.workload()), quote(r.what()), quote(r.unit()), number(r.tcpsim()), number(r.veth()),
                    number(r.sink()), number(r.ofVeth()), number(r.ofSink())));
        }
        out.append("],\"targets\":[");
        List<String> targets = targets(results);
        for (int i = 0; i < targets.size(); i++) {
            out.append(i == 0 ? "" : ",").append(quote(targets.get(i)));
        }
        return out.append("]}\n").toString();
    }

    /** The targets that {@code results} measure, each "met" or "MISSED" with the figure. */
    static List<String> targets(List<Result> results) {
        List<String> lines = new ArrayList<>();
        for (Result r : results) {
            switch (r.what()) {
                case "kernel -> peer, 1 flow, MTU 1500" ->
                        lines.add(verdict("kernel -> tcpsim, 1 flow, MTU 1500, no offloads >= 0.5 of the raw TUN sink",
                                r.ofSink(), 0.5, "x"));
                case "peer -> kernel, 1 flow, MTU 1500" ->
                        lines.add(verdict("tcpsim -> kernel, 1 flow, MTU 1500 >= 0.5 of the kernel over veth (offloads on)",
                                r.ofVeth(), 0.5, "x"));
                case "kernel -> peer, 1 flow, MTU 1500, offloads" ->
                        lines.add(verdict("kernel -> tcpsim, 1 flow, MTU 1500, offloads >= 0.5 of the raw TUN sink with offloads",
                                r.ofSink(), 0.5, "x"));
                case "peer -> kernel, 1 flow, MTU 1500, offloads" ->
                        lines.add(verdict("tcpsim -> kernel, 1 flow, MTU 1500, tcpsim with offloads >= 0.5 of the kernel over veth",
                                r.ofVeth(), 0.5, "x"));
                case "1-byte request/response" ->
                        lines.add(verdict("rr >= 0.5 of the kernel's tps over veth", r.ofVeth(), 0.5, "x"));
                case "heap per connection held (the peer's JVM)" ->
                        lines.add(r.tcpsim() <= 2048
                                ? String.format(Locale.ROOT, "idle heap <= 2 KiB per connection: met (%.0f B)", r.tcpsim())
                                : String.format(Locale.ROOT, "idle heap <= 2 KiB per connection: MISSED (%.0f B)", r.tcpsim()));
                default -> {
                    if (r.workload().equals("concurrent") && r.what().endsWith(" connections echoed once, held open")) {
                        long n = Long.parseLong(r.what().substring(0, r.what().indexOf(' ')));
                        lines.add(String.format(Locale.ROOT, "%,d concurrent connections, each echoed: %s (%.0f of %d)",
                                n, r.tcpsim() == n ? "met" : "MISSED", r.tcpsim(), n));
                    }
                    if (r.workload().equals("connect") && r.unit().equals("conn/s")) {
                        lines.add(verdict("connect >= 20,000 connections per second", r.tcpsim(), 20_000, " conn/s"));
                    }
                }
            }
        }
        return lines;
    }

    private static String verdict(String target, double value, double bar, String unit) {
        String shown = unit.equals("x") ? String.format(Locale.ROOT, "%.2f", value)
                : String.format(Locale.ROOT, "%.0f%s", value, unit);
        return target + ": " + (value >= bar ? "met" : "MISSED") + " (" + shown + ")";
    }

    private static String figure(double v) {
        if (Double.isNaN(v)) {
            return "-";
        }
        return Math.abs(v) >= 100 ? String.format(Locale.ROOT, "%,.0f", v) : String.format(Locale.ROOT, "%.1f", v);
    }

    private static String ratio(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? "-" : String.format(Locale.ROOT, "%.2f", v);
    }

    private static String number(double v) {
        return Double.isNaN(v) || Double.isInfinite(v) ? "null" : String.format(Locale.ROOT, "%.3f", v);
    }

    private static String quote(String s) {
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
