package dev.etcdj.cli;

import dev.etcdj.server.EtcdServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The run the {@code ./etcdj} launcher records its class-data archive from: short commands through
 * {@link Main#run} against an in-memory server on a free loopback port, so that what is recorded has
 * what a command loads when it reaches a server (a command that cannot connect loads about 200 classes
 * fewer: reading a response, printing it). Output is discarded; a failing command is reported on
 * stderr and the launcher still builds the archive from what was loaded.
 *
 * <p>Three ways to run it:
 * <ul>
 *   <li>no arguments: the server in this JVM (the launcher then leaves the server's classes out of the
 *       class list it records);</li>
 *   <li>{@code --serve}: only the server; prints its endpoint ({@code host:port}) on a line of stdout and
 *       stops when stdin ends;</li>
 *   <li>{@code --endpoints=host:port}: only the commands, against that server. A JDK 25 ahead-of-time
 *       cache loads every class it holds at each start, so it is recorded from this JVM alone, whose
 *       class path (etcdj-ctl.jar) has no server in it.</li>
 * </ul>
 */
public final class ArchiveTraining {

    /** Commands users run most; each loads its own printer and response types. */
    static final List<List<String>> COMMANDS = List.of(
            List.of("put", "cds-probe", "v"),
            List.of("get", "cds-probe"),
            List.of("get", "--prefix", "cds", "-w", "json"),
            List.of("del", "cds-probe"),
            List.of("endpoint", "health"),
            List.of("endpoint", "status"),
            List.of("member", "list"),
            List.of("version"));

    private ArchiveTraining() {}

    public static void main(String[] args) throws IOException {
        Main.nettyDefaults(new String[0]);
        if (args.length == 1 && args[0].equals("--serve")) {
            InMemory.serveUntilStdinEnds();
        } else if (args.length == 1 && args[0].startsWith("--endpoints=")) {
            runCommands(args[0].substring("--endpoints=".length()));
        } else {
            InMemory.runCommandsAgainstOwnServer();
        }
    }

    static void runCommands(String endpoints) {
        PrintStream sink = new PrintStream(OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8);
        // Long timeouts: a cold JVM calling a cold server on a loaded machine is slow to answer.
        List<String> global = List.of("--endpoints=" + endpoints, "--dial-timeout=60s", "--command-timeout=60s");
        for (List<String> command : COMMANDS) {
            String[] line = java.util.stream.Stream.concat(global.stream(), command.stream()).toArray(String[]::new);
            int code = Main.run(line, new ByteArrayInputStream(new byte[0]), sink, sink, Map.of());
            if (code != 0) {
                System.err.println("etcdj: archive training: " + String.join(" ", command) + " exited " + code);
            }
        }
    }

    /**
     * Everything that names the server's classes, apart: with {@code --endpoints} this class never loads,
     * so a JVM whose class path has no server runs the commands.
     */
    private static final class InMemory {
        private static EtcdServer start() {
            EtcdServer server = EtcdServer.builder().inMemory().listenClientUrls(List.of("http://127.0.0.1:0")).build();
            server.start();
            return server;
        }

        private static String hostPort(EtcdServer server) {
            return server.endpoint().replaceFirst("^http://", "");
        }

        static void runCommandsAgainstOwnServer() {
            try (EtcdServer server = start()) {
                runCommands(hostPort(server));
            }
        }

        static void serveUntilStdinEnds() throws IOException {
            try (EtcdServer server = start()) {
                System.out.println(hostPort(server));
                System.out.flush();
                while (System.in.read() >= 0) {
                    // the launcher holds stdin open while it trains; its end (or the launcher's) stops the server
                }
            }
        }
    }
}
