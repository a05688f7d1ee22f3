package dev.sparkgateway.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A bare HTTP/1.1 request on a socket, so a test can stop reading, vanish mid-response, or send headers no client would. */
public final class RawHttp implements AutoCloseable {

    private final Socket socket;

    private RawHttp(Socket socket) {
        this.socket = socket;
    }

    public static RawHttp post(int port, String path, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return send(port, ("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: " + contentType
                + "\r\nContent-Length: " + bytes.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1), bytes);
    }

    /** Sends the head (request line and headers, as given) and the body as they are. */
    public static RawHttp send(int port, byte[] head, byte[] body) throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        socket.setReceiveBufferSize(4096);
        OutputStream out = socket.getOutputStream();
        out.write(head);
        out.write(body);
        out.flush();
        return new RawHttp(socket);
    }

    /** One response read whole: a request with {@code Connection: close}, so the body ends with the stream. */
    public record Response(int status, String head, String body) {
    }

    /** Sends a request whose head asks for {@code Connection: close} and reads the whole answer (30 s at most). */
    public static Response exchange(int port, byte[] head, byte[] body) throws IOException {
        return exchange(port, head, body, Integer.MAX_VALUE);
    }

    /** The same, reading at most {@code maxBytes} of the answer (a streamed result may be endless). */
    public static Response exchange(int port, byte[] head, byte[] body, int maxBytes) throws IOException {
        try (RawHttp http = send(port, head, body)) {
            http.socket.setSoTimeout(30_000);
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            InputStream in = http.socket.getInputStream();
            byte[] buffer = new byte[8192];
            int n;
            while (all.size() < maxBytes && (n = in.read(buffer, 0, Math.min(buffer.length, maxBytes - all.size()))) >= 0) {
                all.write(buffer, 0, n);
            }
            String text = all.toString(StandardCharsets.UTF_8);
            int end = text.indexOf("\r\n\r\n");
            String head0 = end < 0 ? text : text.substring(0, end);
            String rest = end < 0 ? "" : text.substring(end + 4);
            String[] statusLine = head0.split(" ", 3);
            int status = statusLine.length > 1 && statusLine[1].matches("\\d{3}") ? Integer.parseInt(statusLine[1]) : -1;
            return new Response(status, head0, rest);
        }
    }

    /** Reads up to the end of the status line. */
    public String statusLine() throws IOException {
        InputStream in = socket.getInputStream();
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            line.append((char) c);
        }
        return line.toString().trim();
    }

    @Override
    public void close() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }
}
