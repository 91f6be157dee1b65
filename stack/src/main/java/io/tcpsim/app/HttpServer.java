package io.tcpsim.app;

import io.tcpsim.socket.SocketApi;
import io.tcpsim.socket.SocketStreams;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * A small HTTP/1.1 server (RFC 9110, RFC 9112) written only against {@link SocketApi}: persistent
 * connections, GET and HEAD of {@code /} (any query), a status page listing the connections every sample
 * server is serving. 404 for other targets, 405 for other methods, 400 (then close) for a
 * malformed request.
 */
final class HttpServer implements ConnectionHandler {
    private static final String SERVER = "tcpsim";

    private final LiveConnections live;

    HttpServer(LiveConnections live) {
        this.live = live;
    }

    @Override
    public void serve(SocketApi api, int fd) throws IOException {
        InputStream in = new BufferedInputStream(SocketStreams.input(api, fd), 4096);
        boolean open = true;
        while (open) {
            HttpRequest request;
            try {
                request = HttpRequest.read(in);
            } catch (HttpRequest.BadRequest e) {
                respond(api, fd, 400, "Bad Request", e.getMessage() + "\n", false, false);
                return;
            }
            if (request == null) {
                return;
            }
            open = answer(api, fd, in, request);
        }
    }

    /** Answers one request; true when the connection stays open for the next. */
    private boolean answer(SocketApi api, int fd, InputStream in, HttpRequest request) throws IOException {
        try {
            in.skipNBytes(request.bodyLength());
        } catch (HttpRequest.BadRequest e) {
            respond(api, fd, 400, "Bad Request", e.getMessage() + "\n", false, false);
            return false;
        }
        boolean keepAlive = request.keepAlive();
        boolean head = "HEAD".equals(request.method());
        if (!head && !"GET".equals(request.method())) {
            respond(api, fd, 405, "Method Not Allowed", "only GET and HEAD\n", head, keepAlive);
        } else if (!"/".equals(request.path())) {
            respond(api, fd, 404, "Not Found", request.target() + " not found\n", head, keepAlive);
        } else {
            respond(api, fd, 200, "OK", StatusPage.render(live.snapshot(), fd), head, keepAlive);
        }
        return keepAlive;
    }

    /** One response in one write (RFC 9112 §6.3: Content-Length frames the body). */
    private static void respond(SocketApi api, int fd, int status, String reason, String body, boolean head,
            boolean keepAlive) throws IOException {
        byte[] content = body.getBytes(StandardCharsets.UTF_8);
        String type = status == 200 ? "text/html; charset=utf-8" : "text/plain; charset=utf-8";
        String headers = "HTTP/1.1 " + status + " " + reason + "\r\n"
                + "Date: " + DateTimeFormatter.RFC_1123_DATE_TIME.format(Instant.now().atZone(ZoneOffset.UTC)) + "\r\n"
                + "Server: " + SERVER + "\r\n"
                + (status == 405 ? "Allow: GET, HEAD\r\n" : "")
                + "Content-Type: " + type + "\r\n"
                + "Content-Length: " + content.length + "\r\n"
                + (keepAlive ? "" : "Connection: close\r\n")
                + "\r\n";
        byte[] headBytes = headers.getBytes(StandardCharsets.US_ASCII);
        byte[] message = new byte[headBytes.length + (head ? 0 : content.length)];
        System.arraycopy(headBytes, 0, message, 0, headBytes.length);
        if (!head) {
            System.arraycopy(content, 0, message, headBytes.length, content.length);
        }
        if (SocketStreams.writen(api, fd, message, 0, message.length) < 0) {
            throw new IOException("http write: errno " + SocketApi.errno());
        }
    }
}
