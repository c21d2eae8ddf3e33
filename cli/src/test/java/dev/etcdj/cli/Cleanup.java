package dev.etcdj.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** What a parity test started or wrote: closed (servers, clients) and deleted (temp dirs) after each test. */
final class Cleanup implements AutoCloseable {

    private final List<AutoCloseable> toClose = new ArrayList<>();
    private final List<Path> toDelete = new ArrayList<>();

    <T extends AutoCloseable> T close(T c) {
        toClose.add(c);
        return c;
    }

    /** A temp dir deleted with everything in it. */
    Path tempDir(String prefix) throws Exception {
        Path d = Files.createTempDirectory(prefix);
        toDelete.add(d);
        return d;
    }

    @Override
    public void close() throws Exception {
        for (AutoCloseable c : toClose) {
            c.close();
        }
        toClose.clear();
        for (Path p : toDelete) {
            try (Stream<Path> files = Files.walk(p)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
        toDelete.clear();
    }
}
