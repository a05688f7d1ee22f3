package dev.sparkgateway.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * An HTTP/1.1 response read off a bare socket, chunk by chunk, so a test sees exactly what the
 * server sent: every byte before a cut, and whether the body really ended (the terminating chunk,
 * then the trailers). HTTP client libraries hide both (Java's may drop received bytes on an error).
 */
public final class ChunkedResponse implements AutoCloseable {

    /** What the rest of the body held: its data, whether it ended properly, and its trailers. */
    public record End(byte[] data, boolean complete, Map<String, String> trailers) {
        public String text() {
            return new String(data, StandardCharsets.UTF_8);
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final int status;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private int leftInChunk;
    private boolean ended;

    private ChunkedResponse(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        String statusLine = line();
        this.status = Integer.parseInt(statusLine.split(" ")[1]);
        String header;
        while (!(header = line()).isEmpty()) {
            int colon = header.indexOf(':');
            headers.put(header.substring(0, colon).trim().toLowerCase(Locale.ROOT), header.substring(colon + 1).trim());
        }
    }

    /** Sends {@code POST path} with the given headers and body, then reads the status line and headers. */
    public static ChunkedResponse post(int port, String path, Map<String, String> requestHeaders, String body) throws IOException {
        Socket socket = new Socket("127.0.0.1", port);
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder("POST " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n");
        requestHeaders.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        head.append("Content-Length: ").append(bytes.length).append("\r\n\r\n");
        OutputStream out = socket.getOutputStream();
        out.write(head.toString().getBytes(StandardCharsets.UTF_8));
        out.write(bytes);
        out.flush();
        try {
            return new ChunkedResponse(socket);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    public int status() {
        return status;
    }

    public String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    /** Up to {@code max} bytes of body data (fewer only if the body ends or breaks first). */
    public byte[] read(int max) throws IOException {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        while (data.size() < max && !ended) {
            if (leftInChunk == 0 && !nextChunk()) {
                break;
            }
            int n = Math.min(leftInChunk, max - data.size());
            byte[] part = in.readNBytes(n);
            data.writeBytes(part);
            leftInChunk -= part.length;
            if (part.length < n) {
                break;
            }
            if (leftInChunk == 0 && !line().isEmpty()) {
                throw new IOException("chunk not followed by CRLF");
            }
        }
        return data.toByteArray();
    }

    /** Reads to the end of the connection: the data, and whether the terminating chunk came. */
    public End readToEnd() throws IOException {
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        try {
            byte[] part;
            while ((part = read(64 * 1024)).length > 0) {
                data.writeBytes(part);
            }
        } catch (IOException e) {
            // A reset connection: what came before it is the answer.
        }
        Map<String, String> trailers = new LinkedHashMap<>();
        if (ended) {
            String field;
            while (!(field = line()).isEmpty()) {
                int colon = field.indexOf(':');
                trailers.put(field.substring(0, colon).trim().toLowerCase(Locale.ROOT), field.substring(colon + 1).trim());
            }
        }
        return new End(data.toByteArray(), ended, trailers);
    }

    /** Moves to the next chunk; false at the terminating chunk or at the end of the connection. */
    private boolean nextChunk() throws IOException {
        String size = line();
        if (size.isEmpty()) {
            return false;
        }
        leftInChunk = Integer.parseInt(size.split(";")[0].trim(), 16);
        if (leftInChunk == 0) {
            ended = true;
            return false;
        }
        return true;
    }

    private String line() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            if (c != '\r') {
                line.write(c);
            }
        }
        return line.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
