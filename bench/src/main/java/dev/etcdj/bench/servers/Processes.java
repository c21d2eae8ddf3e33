package dev.etcdj.bench.servers;

import dev.etcdj.testing.Await;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** What both server launchers share: free ports, waiting for a port to answer, stopping, cleaning up. */
final class Processes {

    private Processes() {}

    static int freePort() {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(false);
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Polls until the port accepts a connection; fails early when the process dies. */
    static void awaitPort(Process p, int port, Duration timeout, Path log) {
        boolean listening = Await.poll(timeout, () -> {
            if (!p.isAlive()) {
                throw new IllegalStateException("server exited with " + p.exitValue() + "; log: " + tail(log));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return true;
            } catch (IOException notYet) {
                return false; // not listening yet: polled again
            }
        });
        if (!listening) {
            stop(p);
            throw new IllegalStateException("server did not listen on " + port + " within " + timeout + "; log: " + tail(log));
        }
    }

    static void stop(Process p) {
        p.destroy();
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException leftover) {
            // Best-effort cleanup: a leftover temp dir is not worth failing a benchmark for.
        }
    }

    static String tail(Path log) {
        try {
            String s = Files.readString(log);
            return s.length() > 2000 ? s.substring(s.length() - 2000) : s;
        } catch (IOException e) {
            return "(no log)";
        }
    }
}
