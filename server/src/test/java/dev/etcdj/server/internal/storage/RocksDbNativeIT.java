package dev.etcdj.server.internal.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RocksDB's native library in a JVM that is killed with SIGKILL, as the fault and linearizability
 * tests kill servers: nothing is left in the temp dir but the one cached copy, which the next JVM
 * loads again instead of copying.
 */
class RocksDbNativeIT {

    @TempDir
    Path tmp;

    @Test
    void killedJvmsLeaveOnlyTheCachedLibrary() throws Exception {
        Path cache = tmp.resolve("etcdj-rocksdbjni-" + user());
        List<String> first = openAndKill(tmp);
        assertThat(first).contains("OPEN");
        assertThat(tempCopies()).isEmpty();
        Path lib = onlyLibraryIn(cache);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cache))).isEqualTo("rwx------");
        Object inode = Files.readAttributes(lib, "unix:ino").get("ino");

        assertThat(openAndKill(tmp)).contains("OPEN");
        assertThat(tempCopies()).isEmpty();
        assertThat(onlyLibraryIn(cache)).isEqualTo(lib);
        assertThat(Files.readAttributes(lib, "unix:ino").get("ino")).as("loaded again, not copied again").isEqualTo(inode);
    }

    @Test
    void aCacheOthersMayWriteIsNotUsed() throws Exception {
        Path cache = Files.createDirectory(tmp.resolve("etcdj-rocksdbjni-" + user()));
        Files.setPosixFilePermissions(cache, PosixFilePermissions.fromString("rwxrwxrwx"));
        List<String> out = openAndKill(tmp);
        assertThat(out).contains("OPEN");
        assertThat(String.join("\n", out)).contains("only its owner may write");
        try (Stream<Path> s = Files.list(cache)) {
            assertThat(s).isEmpty();
        }
    }

    private static String user() {
        return System.getProperty("user.name").replaceAll("[^A-Za-z0-9._-]", "_");
    }

    /** What RocksDB's own loader leaves in the temp dir: librocksdbjni<random>.so. */
    private List<Path> tempCopies() throws IOException {
        try (Stream<Path> s = Files.list(tmp)) {
            return s.filter(p -> p.getFileName().toString().startsWith("librocksdbjni")).toList();
        }
    }

    private static Path onlyLibraryIn(Path cache) throws IOException {
        try (Stream<Path> s = Files.walk(cache)) {
            List<Path> files = s.filter(Files::isRegularFile).toList();
            assertThat(files).hasSize(1);
            assertThat(files.get(0).getFileName().toString()).startsWith("librocksdbjni").endsWith(".so");
            return files.get(0);
        }
    }

    /** Runs {@link OpenBackend} with {@code tmpDir} as its temp dir until it has opened a store, then SIGKILL. */
    private static List<String> openAndKill(Path tmpDir) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-XX:TieredStopAtLevel=1", "-Djava.io.tmpdir=" + tmpDir,
                "-cp", System.getProperty("java.class.path"), OpenBackend.class.getName(), tmpDir.resolve("db").toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                lines.add(line);
                if (line.equals("OPEN")) {
                    break;
                }
            }
        } finally {
            p.destroyForcibly();
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
        return lines;
    }

    /** Opens a durable store, says so, then waits to be killed. */
    public static final class OpenBackend {
        public static void main(String[] args) throws Exception {
            Backend b = Backend.open(Path.of(args[0]));
            System.out.println("OPEN");
            System.out.flush();
            Thread.sleep(TimeUnit.MINUTES.toMillis(5)); // the test kills this process; the bound only ends a forgotten one
            b.close();
        }
    }
}
