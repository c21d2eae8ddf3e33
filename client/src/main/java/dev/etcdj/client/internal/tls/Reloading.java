package dev.etcdj.client.internal.tls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Material built from files, rebuilt when one of them changes (modification time, size or file key:
 * a file replaced by a rename counts). Checked at each TLS handshake, which is rare, so a stat per file
 * is all it costs. A rebuild that fails (a half-written file, a key that does not match yet) keeps the
 * material in use and is logged; it is tried again at the next handshake.
 */
final class Reloading<T> {
    private static final Logger LOG = LoggerFactory.getLogger("dev.etcdj.client");
    private final List<Path> files;
    private final Supplier<T> loader;
    private List<Object> stamps;
    private volatile T current;
    private long generation;

    /** Loads now: bad material fails here, with the loader's IllegalArgumentException. */
    Reloading(List<Path> files, Supplier<T> loader) {
        this.files = List.copyOf(files);
        this.loader = loader;
        this.stamps = stamps();
        this.current = loader.get();
    }

    /** The material, rebuilt first if a file changed since it was built. */
    synchronized T refresh() {
        List<Object> now = stamps();
        if (!now.equals(stamps)) {
            try {
                T fresh = loader.get();
                current = fresh;
                stamps = now;
                generation++;
                LOG.atInfo().addKeyValue("files", files).log("reloaded TLS material");
            } catch (RuntimeException e) {
                LOG.atWarn().addKeyValue("files", files).addKeyValue("error", e.getMessage())
                        .log("TLS files changed but cannot be loaded; keeping the material in use");
            }
        }
        return current;
    }

    /** Reloads if a file changed; counts the successful reloads. */
    synchronized long generation() {
        refresh();
        return generation;
    }

    /** The material last built, without looking at the files. */
    T current() {
        return current;
    }

    private List<Object> stamps() {
        return files.stream().map(Reloading::stamp).toList();
    }

    private static Object stamp(Path p) {
        try {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
            return List.of(a.lastModifiedTime(), a.size(), Objects.requireNonNullElse(a.fileKey(), ""));
        } catch (IOException e) {
            // a file being replaced may be missing for a moment: a distinct stamp, so it is looked at again
            return e.getClass().getSimpleName();
        }
    }
}
