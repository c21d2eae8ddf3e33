package dev.etcdj.server.faults;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Writes a test's record into the module's {@code target/} (Failsafe runs inside target/, Surefire in the module). */
public final class Reports {
    private Reports() {
    }

    public static Path write(String name, List<String> lines) throws IOException {
        Path dir = Files.isDirectory(Path.of("classes")) ? Path.of("") : Path.of("target");
        Files.createDirectories(dir.toAbsolutePath());
        Path file = dir.resolve(name);
        Files.write(file, lines);
        return file;
    }
}
