package io.tcpsim.app;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A request head (RFC 9112 §2.1, §3, §5): request line and header fields; the body, if any, is
 * skipped by Content-Length. Field names are folded to lower case (RFC 9110 §5.1: case-insensitive).
 */
record HttpRequest(String method, String target, String version, Map<String, String> headers) {
    static final int MAX_LINE = 8 * 1024;
    private static final int MAX_FIELDS = 100;

    /** A request the server answers with 400 and then closes (RFC 9112 §3: malformed request line). */
    static final class BadRequest extends IOException {
        BadRequest(String why) {
            super(why);
        }
    }

    /** Reads one request head; null at a clean EOF before the first byte (the client closed). */
    static HttpRequest read(InputStream in) throws IOException {
        String line = readLine(in);
        while (line != null && line.isEmpty()) {
            line = readLine(in); // RFC 9112 §2.2: ignore at least one empty line before a request
        }
        if (line == null) {
            return null;
        }
        String[] parts = line.split(" ", -1);
        if (parts.length != 3 || !parts[2].startsWith("HTTP/1.")) {
            throw new BadRequest("bad request line");
        }
        return new HttpRequest(parts[0], parts[1], parts[2], readFields(in));
    }

    private static Map<String, String> readFields(InputStream in) throws IOException {
        Map<String, String> fields = new HashMap<>();
        String line;
        while (!(line = require(readLine(in))).isEmpty()) {
            int colon = line.indexOf(':');
            if (colon <= 0 || fields.size() == MAX_FIELDS || Character.isWhitespace(line.charAt(colon - 1))) {
                throw new BadRequest("bad header field"); // RFC 9112 §5.1: no space before the colon
            }
            fields.merge(line.substring(0, colon).toLowerCase(Locale.ROOT), line.substring(colon + 1).strip(),
                    (a, b) -> a + ", " + b);
        }
        return fields;
    }

    /** The target's path: the origin form without its query (RFC 9112 §3.2.1). */
    String path() {
        int query = target.indexOf('?');
        return query < 0 ? target : target.substring(0, query);
    }

    /** HTTP/1.1 persists unless "close"; HTTP/1.0 only with "keep-alive" (RFC 9112 §9.3). */
    boolean keepAlive() {
        String connection = headers.getOrDefault("connection", "").toLowerCase(Locale.ROOT);
        return "HTTP/1.0".equals(version) ? connection.contains("keep-alive") : !connection.contains("close");
    }

    /** The body length from Content-Length; BadRequest for chunked or invalid framing. */
    long bodyLength() throws BadRequest {
        if (headers.containsKey("transfer-encoding")) {
            throw new BadRequest("request bodies with Transfer-Encoding are not supported");
        }
        String length = headers.get("content-length");
        try {
            return length == null ? 0 : Long.parseLong(length);
        } catch (NumberFormatException e) {
            throw new BadRequest("bad Content-Length"); // RFC 9112 §6.3 item 5
        }
    }

    private static String require(String line) throws BadRequest {
        if (line == null) {
            throw new BadRequest("EOF inside the request head");
        }
        return line;
    }

    /** A CRLF- (or bare LF-, RFC 9112 §2.2) terminated line; null at EOF before any byte. */
    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                if (line.isEmpty()) {
                    return null;
                }
                throw new BadRequest("EOF inside a line");
            } else if (line.length() == MAX_LINE) {
                throw new BadRequest("line longer than " + MAX_LINE);
            }
            line.append((char) b); // ISO-8859-1, as RFC 9112 §2.2 reads octets
        }
        int end = line.length();
        return line.substring(0, end > 0 && line.charAt(end - 1) == '\r' ? end - 1 : end);
    }
}
