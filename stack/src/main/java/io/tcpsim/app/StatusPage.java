package io.tcpsim.app;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** The HTML status page: one table row per live connection of the sample servers. */
final class StatusPage {

    private StatusPage() {
    }

    static String render(List<LiveConnections.Entry> connections, int requestFd) {
        StringBuilder html = new StringBuilder(256 + 96 * connections.size());
        html.append("<!DOCTYPE html>\n<html><head><title>tcpsim</title></head><body>\n")
                .append("<h1>tcpsim</h1>\n<p>").append(connections.size()).append(" live connection")
                .append(connections.size() == 1 ? "" : "s").append("</p>\n<table>\n")
                .append("<tr><th>fd</th><th>service</th><th>peer</th><th>age</th></tr>\n");
        Instant now = Instant.now();
        for (LiveConnections.Entry c : connections) {
            html.append("<tr><td>").append(c.fd()).append(c.fd() == requestFd ? " (this one)" : "")
                    .append("</td><td>").append(c.service())
                    .append("</td><td>").append(c.peer())
                    .append("</td><td>").append(Duration.between(c.since(), now).toMillis()).append(" ms")
                    .append("</td></tr>\n");
        }
        return html.append("</table>\n</body></html>\n").toString();
    }
}
