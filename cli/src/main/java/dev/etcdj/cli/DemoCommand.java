package dev.etcdj.cli;

import dev.etcdj.client.EtcdClient;
import dev.etcdj.examples.Examples;
import dev.etcdj.server.EtcdServer;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Starts the embedded server in memory on a free port and runs every clientv3 example against it. */
@Command(name = "demo", description = "Runs Go clientv3's documented examples against an embedded etcdj server", customSynopsis = "demo")
final class DemoCommand extends BaseCommand implements Callable<Integer> {

    @Mixin
    HelpOption help;

    @Override
    public Integer call() throws Exception {
        Cli cli = cli();
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path dir = Files.createTempDirectory("etcdj-demo");
        String url = "http://127.0.0.1:" + port;
        int failed;
        try (EtcdServer server = EtcdServer.builder().name("etcdj-demo").dataDir(dir).inMemory()
                .listenClientUrls(List.of(url)).advertiseClientUrls(List.of(url)).build()) {
            server.start();
            cli.out.println("etcdj demo: embedded server on " + url);
            try (EtcdClient client = EtcdClient.builder().endpoints(url).build()) {
                failed = Examples.runAll(client, cli.out);
            }
        } finally {
            Files.deleteIfExists(dir);
        }
        if (failed > 0) {
            throw new CliException(CliException.EXIT_ERROR, failed + " example(s) failed");
        }
        return 0;
    }
}
