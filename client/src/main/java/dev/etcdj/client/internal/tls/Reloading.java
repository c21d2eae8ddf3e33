package dev.etcdj.client.internal.tls;

import dev.etcdj.proto.internal.FileVersions;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Material built from files, rebuilt when one of them changes (see {@link FileVersions}: a stat per
 * file, the contents too just after a load, so a rewrite that keeps size, inode and time stamp
 * counts, as does a file replaced by a rename). Checked at each TLS handshake, which is rare. A
 * rebuild that fails (a half-written file, a key that does not match yet) keeps the material in use
 * and is logged; it is tried again at the next handshake.
 */
final class Reloading<T> {
    private static final Logger LOG = LoggerFactory.getLogger("dev.etcdj.client");
    private final FileVersions versions;
    private final Supplier<T> loader;
    private FileVersions.Seen seen;
    private volatile T current;
    private long generation;

    /** Loads now: bad material fails here, with the loader's IllegalArgumentException. */
    Reloading(List<Path> files, Supplier<T> loader) {
        this.versions = new FileVersions(files);
        this.loader = loader;
        this.seen = versions.look();
        this.current = loader.get();
    }

    /** The material, rebuilt first if a file changed since it was built. */
    synchronized T refresh() {
        if (versions.changedSince(seen)) {
            FileVersions.Seen now = versions.look(); // before reading: a write after it is found next time
            try {
                T fresh = loader.get();
                current = fresh;
                seen = now;
                generation++;
                LOG.atInfo().addKeyValue("files", versions.files()).log("reloaded TLS material");
            } catch (RuntimeException e) {
                LOG.atWarn().addKeyValue("files", versions.files()).addKeyValue("error", e.getMessage())
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
}
