package dev.etcdj.testing;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where the etcd binary is: what {@link EtcdProcess#configuredBinary()} answers, kept apart from the process. */
final class EtcdBinary {

    private EtcdBinary() {}

    /** The system property {@code etcd.binary}, then {@code ETCD_BINARY}, then {@code etcd} on {@code PATH}, then the fallback. */
    static Path configured(Path fallback) {
        String prop = System.getProperty("etcd.binary");
        if (prop != null && !prop.isBlank()) {
            return Path.of(prop);
        }
        String env = System.getenv("ETCD_BINARY");
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(File.pathSeparator)) {
                if (!dir.isEmpty()) {
                    Path candidate = Path.of(dir, "etcd");
                    if (Files.isExecutable(candidate) && !Files.isDirectory(candidate)) {
                        return candidate;
                    }
                }
            }
        }
        return fallback;
    }
}
