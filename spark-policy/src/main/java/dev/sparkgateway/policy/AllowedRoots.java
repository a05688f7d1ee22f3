package dev.sparkgateway.policy;

import org.apache.hadoop.fs.Path;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The folders a restricted session may read and write by path
 * ({@code spark.sparkgateway.policy.allowedRoots}, comma-separated paths or URIs; empty: none).
 * A path without a scheme means the local file system, for roots and paths alike, so a root
 * {@code /data} never admits {@code hdfs://nn/data}: give roots with their scheme when the
 * default file system is not local.
 */
public record AllowedRoots(List<URI> roots) {

    public AllowedRoots {
        roots = List.copyOf(Objects.requireNonNull(roots, "roots is null"));
    }

    public static AllowedRoots parse(String commaSeparated) {
        List<URI> roots = new ArrayList<>();
        for (String root : commaSeparated == null ? new String[0] : commaSeparated.split(",")) {
            if (!root.isBlank()) {
                roots.add(normalize(root.strip()));
            }
        }
        return new AllowedRoots(roots);
    }

    /** Whether {@code path} (as a user wrote it, or as Hadoop qualified it) lies under a root. */
    public boolean allows(String path) {
        if (path == null || path.isBlank() || roots.isEmpty() || !plain(path)) {
            return false;
        }
        URI candidate = normalize(path.strip());
        for (URI root : roots) {
            if (under(candidate, root)) {
                return true;
            }
        }
        return false;
    }

    /**
     * No ".." segments and no glob braces or escapes: Hadoop expands {@code {a,../../b}} (braces
     * may hold slashes) before it resolves anything, so a prefix check on such text proves nothing.
     * {@code *} and {@code ?} stay allowed: they never cross a slash.
     */
    static boolean plain(String path) {
        if (path.indexOf('{') >= 0 || path.indexOf('}') >= 0 || path.indexOf('\\') >= 0
                || path.indexOf('[') >= 0 || path.indexOf(']') >= 0) {
            return false;
        }
        for (String segment : path.split("/")) {
            if (segment.equals("..")) {
                return false;
            }
        }
        return true;
    }

    static URI normalize(String path) {
        URI uri = new Path(path).toUri();
        String scheme = uri.getScheme() == null ? "file" : uri.getScheme().toLowerCase(Locale.ROOT);
        String authority = uri.getAuthority() == null || uri.getAuthority().isEmpty() ? null
                : uri.getAuthority().toLowerCase(Locale.ROOT);
        String p = uri.getPath() == null || uri.getPath().isEmpty() ? "/" : uri.getPath();
        if (!p.startsWith("/")) {
            // Relative: Spark qualifies it against the driver's working directory.
            p = java.nio.file.Path.of(System.getProperty("user.dir")).resolve(p).toString();
        }
        try {
            return new URI(scheme, authority, p, null, null);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("Not a path: " + path, e);
        }
    }

    private static boolean under(URI path, URI root) {
        if (!path.getScheme().equals(root.getScheme()) || !Objects.equals(path.getAuthority(), root.getAuthority())) {
            return false;
        }
        String rootPath = root.getPath().endsWith("/") ? root.getPath() : root.getPath() + "/";
        return path.getPath().equals(root.getPath()) || (path.getPath() + "/").startsWith(rootPath);
    }
}
