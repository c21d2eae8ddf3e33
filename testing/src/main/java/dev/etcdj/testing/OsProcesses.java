package dev.etcdj.testing;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/** The operating-system chores of the processes tests start: signals, and the tail of their logs. */
final class OsProcesses {

    private OsProcesses() {
    }

    /** {@code kill -<signal> <pid>}, e.g. STOP and CONT to hang and resume a server. */
    static void signal(long pid, String signal) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid))
                    .redirectErrorStream(true).start();
            String out = new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new EtcdProcessException("kill -" + signal + " " + pid + " failed: " + out.strip());
            }
        } catch (IOException e) {
            throw new EtcdProcessException("kill -" + signal + " " + pid + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EtcdProcessException("interrupted sending SIG" + signal + " to " + pid, e);
        }
    }

    /** The last {@code lines} lines of a log file (read from its last 16 KiB), for failure messages. */
    static String tail(Path file, int lines) {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            long length = f.length();
            int window = (int) Math.min(length, 16 * 1024);
            byte[] bytes = new byte[window];
            f.seek(length - window);
            f.readFully(bytes);
            String[] all = new String(bytes, StandardCharsets.UTF_8).split("\n");
            int from = Math.max(0, all.length - lines);
            return String.join("\n", Arrays.copyOfRange(all, from, all.length));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
