package dev.etcdj.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Makes sure no process we start outlives the JVM, and no temp dir we create outlives it either.
 *
 * <p>Two nets: a shutdown hook kills every registered process (covers normal exit, failed tests,
 * Ctrl-C), and, where util-linux {@code setpriv} exists, each process is started with a parent
 * death signal so that the kernel kills it even when the JVM itself is SIGKILLed (a timed-out
 * fork, a killed CI job), when no hook runs. Linux sends that signal when the <em>thread</em>
 * that forked the child dies, so all launches happen on one thread that lives as long as the JVM.
 */
final class ProcessReaper {
    private static final Set<Process> PROCESSES = ConcurrentHashMap.newKeySet();
    private static final Set<Path> DIRS = ConcurrentHashMap.newKeySet();
    private static final Path SETPRIV = findSetpriv();

    private static final ExecutorService LAUNCHER = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "etcdj-process-launcher");
        t.setDaemon(true);
        return t;
    });

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ProcessReaper::reapAll, "etcdj-process-reaper"));
    }

    private ProcessReaper() {
    }

    /** Starts the command (with a parent death signal if possible) and registers the process. */
    static Process launch(ProcessBuilder builder) throws IOException {
        if (SETPRIV != null) {
            // setpriv execs the command, so the pid we get is the pid of the command itself.
            List<String> wrapped = new ArrayList<>(List.of(SETPRIV.toString(), "--pdeathsig", "KILL", "--"));
            wrapped.addAll(builder.command());
            builder.command(wrapped);
        }
        Future<Process> started = LAUNCHER.submit(builder::start);
        try {
            Process process = started.get();
            PROCESSES.add(process);
            return process;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting " + builder.command(), e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException("cannot start " + builder.command(), e.getCause());
        }
    }

    static void forget(Process process) {
        PROCESSES.remove(process);
    }

    static void registerDir(Path dir) {
        DIRS.add(dir);
    }

    static void deleteDir(Path dir) {
        DIRS.remove(dir);
        deleteRecursively(dir);
    }

    static void deleteRecursively(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException leftover) {
                    // Best effort: a leftover temp file must not fail a test that passed.
                }
            });
        } catch (IOException unreadable) {
            // Same: best effort.
        }
    }

    private static void reapAll() {
        PROCESSES.forEach(Process::destroyForcibly);
        for (Process p : PROCESSES) {
            try {
                p.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        DIRS.forEach(ProcessReaper::deleteRecursively);
    }

    // --pdeathsig appeared in util-linux 2.33; an older setpriv would make every start fail.
    private static boolean supportsPdeathsig(Path setpriv) {
        try {
            Process help = new ProcessBuilder(setpriv.toString(), "--help").redirectErrorStream(true).start();
            String text = new String(help.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            help.waitFor(5, TimeUnit.SECONDS);
            return text.contains("--pdeathsig");
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static Path findSetpriv() {
        if (Boolean.getBoolean("etcdj.noPdeathsig")) {
            return null;
        }
        for (String candidate : List.of("/usr/bin/setpriv", "/bin/setpriv")) {
            Path p = Path.of(candidate);
            if (Files.isExecutable(p) && supportsPdeathsig(p)) {
                return p;
            }
        }
        return null;
    }
}
