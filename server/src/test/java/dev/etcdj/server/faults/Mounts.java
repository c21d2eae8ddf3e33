package dev.etcdj.server.faults;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.etcdj.server.TestAwait;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Size-limited tmpfs and loop-mounted ext4 file systems for disk fault tests (root only). */
final class Mounts {
    private Mounts() {
    }

    /** Skips the calling test unless it runs as root with mount(8) at hand. */
    static void assumeRoot() {
        assumeTrue(uid() == 0, "disk fault tests mount tmpfs/loop file systems: they need root (uid 0)");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/mount")) || Files.isExecutable(Path.of("/bin/mount")),
                "mount(8) not installed");
    }

    private static long uid() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException | UnsupportedOperationException e) {
            return -1;
        }
    }

    /** A fresh tmpfs of {@code mib} MiB at a new temp dir. */
    static Path tmpfs(int mib) throws IOException {
        Path dir = Files.createTempDirectory("etcdj-tmpfs-");
        run("mount", "-t", "tmpfs", "-o", "size=" + mib + "m", "tmpfs", dir.toString());
        return dir;
    }

    /** A fresh ext4 file system of {@code mib} MiB in an image file, loop-mounted with errors=remount-ro. */
    static Path ext4(Path image, int mib) throws IOException {
        try (FileChannel ch = FileChannel.open(image, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ch.truncate(0);
            ch.position((long) mib << 20).write(ByteBuffer.wrap(new byte[1]));
        }
        run("mkfs.ext4", "-q", "-F", image.toString());
        Path dir = Files.createTempDirectory("etcdj-ext4-");
        mountExt4(image, dir);
        return dir;
    }

    static void mountExt4(Path image, Path dir) throws IOException {
        run("mount", "-o", "loop,errors=remount-ro", image.toString(), dir.toString());
    }

    /**
     * Makes the ext4 file system at {@code dir} report an error, so that the kernel remounts it
     * read-only while files on it are open (what ext4 does on a failing disk). A plain
     * {@code mount -o remount,ro} is refused with EBUSY while a file is open for writing.
     */
    static void failToReadOnly(Path dir) throws IOException {
        String source = run("findmnt", "-n", "-o", "SOURCE", dir.toString()).trim();
        Path trigger = Path.of("/sys/fs/ext4", Path.of(source).getFileName().toString(), "trigger_fs_error");
        Files.writeString(trigger, "etcdj disk fault test\n", StandardCharsets.UTF_8);
    }

    /** Waits (up to 30 s) until the kernel has made the mount read-only. */
    static void awaitReadOnly(Path dir) throws Exception {
        // The kernel tells nobody: the mount table is polled.
        TestAwait.until(Duration.ofSeconds(30), dir + " turns read-only", () -> readOnly(dir));
    }

    /** True once the kernel has made the mount read-only ({@code ro}, or ext4's {@code emergency_ro}). */
    static boolean readOnly(Path dir) throws IOException {
        List<String> opts = List.of(run("findmnt", "-n", "-o", "OPTIONS", dir.toString()).trim().split(","));
        return opts.contains("ro") || opts.contains("emergency_ro");
    }

    /** Fills the file system holding {@code dir} with {@code file} until it is full. */
    static void fill(Path file) throws IOException {
        ByteBuffer chunk = ByteBuffer.allocate(1 << 16);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            while (true) {
                chunk.clear();
                ch.write(chunk);
            }
        } catch (IOException full) {
            if (!String.valueOf(full.getMessage()).contains("No space left")) {
                throw full;
            }
        }
        // a last partial chunk may still fit
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ch.write(ByteBuffer.allocate(4096));
        } catch (IOException full) {
            // expected: the file system is full, which is the point
            return;
        }
    }

    /** Unmounts (lazily if busy) and removes the mount point. Never throws: it runs in finally blocks. */
    static void umount(Path dir) {
        if (dir == null || !Files.isDirectory(dir)) {
            return;
        }
        try {
            if (runStatus("mountpoint", "-q", dir.toString()) == 0) {
                run("umount", dir.toString());
            }
        } catch (IOException e) {
            try {
                run("umount", "-l", dir.toString());
            } catch (IOException again) {
                System.err.println("cannot unmount " + dir + ": " + again.getMessage());
                return;
            }
        }
        try {
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            System.err.println("cannot remove mount point " + dir + ": " + e.getMessage());
        }
    }

    /** e2fsck -f -y: 0 (clean) and 1 (errors corrected) are both success. */
    static void fsck(Path image) throws IOException {
        int code = runStatus("e2fsck", "-f", "-y", image.toString());
        if (code > 1) {
            throw new IOException("e2fsck " + image + " exited with " + code);
        }
    }

    static int runStatus(String... cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", cmd) + " did not finish");
            }
            return p.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + String.join(" ", cmd), e);
        }
    }

    static String run(String... cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException(String.join(" ", cmd) + " failed: " + out);
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + String.join(" ", cmd), e);
        }
    }
}
