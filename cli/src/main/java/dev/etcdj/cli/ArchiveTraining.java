package dev.etcdj.cli;

import dev.etcdj.server.EtcdServer;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * The run the {@code ./etcdj} launcher records its class-data archive from: short commands through
 * {@link Main#run}, in this one JVM, against an in-memory server on a free loopback port, so that the
 * class list has what a command loads when it reaches a server (a command that cannot connect loads
 * about 200 classes fewer: reading a response, printing it). The launcher leaves the server's own
 * classes out of the list. Output is discarded; a failing command is reported on stderr and the
 * launcher still builds the archive from what was loaded.
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

    public static void main(String[] args) {
        Main.nettyDefaults(new String[0]);
        PrintStream sink = new PrintStream(OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8);
        try (EtcdServer server = EtcdServer.builder().inMemory()
                .listenClientUrls(List.of("http://127.0.0.1:0")).build()) {
            server.start();
            // Long timeouts: a cold JVM serving and calling itself on a loaded machine is slow to answer.
            List<String> global = List.of("--endpoints=" + server.endpoint().replaceFirst("^http://", ""),
                    "--dial-timeout=60s", "--command-timeout=60s");
            for (List<String> command : COMMANDS) {
                String[] line = java.util.stream.Stream.concat(global.stream(), command.stream()).toArray(String[]::new);
                int code = Main.run(line, new ByteArrayInputStream(new byte[0]), sink, sink, Map.of());
                if (code != 0) {
                    System.err.println("etcdj: archive training: " + String.join(" ", command) + " exited " + code);
                }
            }
        }
    }
}
