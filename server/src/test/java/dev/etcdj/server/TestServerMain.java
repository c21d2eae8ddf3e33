package dev.etcdj.server;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Runs a server in its own JVM for process-level tests: args = dataDir|"mem" [listenUrl]
 * [progressNotifyMillis]. Prints "READY <endpoint>" once serving; exits when stdin closes.
 */
public final class TestServerMain {
    private TestServerMain() {
    }

    public static void main(String[] args) throws Exception {
        EtcdServer.Builder b = EtcdServer.builder();
        if (args[0].equals("mem")) {
            b.inMemory();
        } else {
            b.dataDir(Path.of(args[0]));
        }
        b.listenClientUrls(List.of(args.length > 1 ? args[1] : "http://127.0.0.1:0"));
        if (args.length > 2) {
            b.progressNotifyInterval(Duration.ofMillis(Long.parseLong(args[2])));
        }
        try (EtcdServer server = b.build()) {
            server.start();
            System.out.println("READY " + server.endpoint());
            System.out.flush();
            while (System.in.read() >= 0) {
                // wait for stdin to close
            }
        }
    }
}
