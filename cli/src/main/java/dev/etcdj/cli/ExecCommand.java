package dev.etcdj.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/**
 * A command etcdctl runs for the user (watch's and lock's {@code exec-command}): its output copied
 * through our streams, so that it interleaves with ours, and its failure in Go's exec words.
 */
final class ExecCommand {

    private ExecCommand() {}

    /** Runs {@code command} with {@code env} added; null when it exits 0, else Go's error ("exit status 3"). */
    static String run(Cli cli, List<String> command, Map<String, String> env) {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().putAll(env);
        pb.redirectInput(ProcessBuilder.Redirect.INHERIT);
        try {
            Process p = pb.start();
            Thread errCopy = new Thread(() -> copy(p.getErrorStream(), cli.err));
            errCopy.start();
            copy(p.getInputStream(), cli.out);
            errCopy.join();
            int rc = p.waitFor();
            return rc == 0 ? null : "exit status " + rc;
        } catch (IOException e) {
            // Go looks a bare name up in $PATH, and runs a path as it is.
            String name = command.get(0);
            return name.contains("/") ? "fork/exec " + name + ": no such file or directory"
                    : "exec: " + GoValues.quote(name) + ": executable file not found in $PATH";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "signal: interrupt";
        }
    }

    private static void copy(InputStream in, PrintStream out) {
        try {
            byte[] buf = new byte[8192];
            int n;
            while ((n = in.read(buf)) > 0) {
                synchronized (out) {
                    out.write(buf, 0, n);
                    out.flush();
                }
            }
        } catch (IOException e) {
            // The command closed its output (or died): what it wrote so far has been copied, nothing is lost.
        }
    }
}
