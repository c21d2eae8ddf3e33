package dev.etcdj.cli;

import dev.etcdj.client.EtcdClient;
import dev.etcdj.client.TlsConfig;
import dev.etcdj.recipes.Mirror;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Model.CommandSpec;

/**
 * etcdctl 3.4's make-mirror (make_mirror_command.go): copies the --prefix keys of this cluster to
 * the destination, then follows them live until an error (a compacted revision, a failed write)
 * ends it with exit 1; prints the count of keys and events copied every 30 seconds, as etcdctl
 * does. The work is the {@link Mirror} recipe.
 */
final class MakeMirrorCommand extends EtcdctlCommand implements RootCommand.Modeled {
    String prefix = "";
    String destPrefix = "";
    boolean noDestPrefix;
    String destCert = "";
    String destKey = "";
    String destCacert = "";
    boolean destInsecureTransport;

    @Override
    public CommandSpec model() {
        Model m = model("make-mirror", "Makes a mirror at the destination etcd cluster",
                "make-mirror [options] <destination>");
        m.option("prefix", "--prefix")
                .description("Key-value prefix to mirror");
        m.option("destPrefix", "--dest-prefix")
                .description("destination prefix to mirror a prefix to a different prefix in the destination cluster");
        m.option("noDestPrefix", "--no-dest-prefix")
                .description("mirror key-values to the root of the destination cluster");
        m.option("destCert", "--dest-cert")
                .description("Identify secure client using this TLS certificate file for the destination cluster");
        m.option("destKey", "--dest-key")
                .description("Identify secure client using this TLS key file");
        m.option("destCacert", "--dest-cacert")
                .description("Verify certificates of TLS enabled secure servers using this CA bundle");
        m.option("destInsecureTransport", "--dest-insecure-transport").defaultValue("true")
                .description("Disable transport security for client connections");
        return m.spec();
    }

    @Override
    public Integer call() throws InterruptedException {
        String destination = cmd.one("make-mirror takes one destination argument");
        Cli cli = cli();
        EtcdClient source = cli.client();
        if (noDestPrefix && !destPrefix.isEmpty()) {
            throw new CliException(CliException.EXIT_BAD_ARGS,
                    "`--dest-prefix` and `--no-dest-prefix` cannot be set at the same time, choose one");
        }
        String to = noDestPrefix ? "" : destPrefix.isEmpty() ? prefix : destPrefix;
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "make-mirror-progress");
            t.setDaemon(true);
            return t;
        });
        try (EtcdClient dest = destination(destination); Mirror mirror = Mirror.builder(source, dest)
                .prefix(prefix).destPrefix(to).build()) {
            ticker.scheduleAtFixedRate(() -> {
                cli.out.println(mirror.total());
                cli.out.flush();
            }, 30, 30, TimeUnit.SECONDS);
            // Ctrl-C or SIGTERM ends the mirror, as etcdctl's make-mirror ends on its signal.
            CompletableFuture<Void> done = mirror.start().thenCompose(m -> m.done());
            CompletableFuture.anyOf(done, cli.interrupted).join();
            return 0;
        } catch (CompletionException e) {
            throw new CliException(CliException.EXIT_ERROR, Cli.errorText(e.getCause()));
        } finally {
            ticker.shutdownNow();
        }
    }

    /** The destination client: its own TLS flags, no auth, the global timeouts (etcdctl's clientConfig). */
    private EtcdClient destination(String endpoint) {
        var b = EtcdClient.builder().endpoints(List.of(endpoint.trim())).dialTimeout(Duration.ofSeconds(2));
        if (!destCert.isEmpty() || !destKey.isEmpty() || !destCacert.isEmpty() || !destInsecureTransport) {
            b.tls(new TlsConfig(path(destCacert), path(destCert), path(destKey), Optional.empty(), false));
        }
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new CliException(CliException.EXIT_BAD_ARGS, e.getMessage());
        }
    }

    private static Optional<Path> path(String s) {
        return s.isEmpty() ? Optional.empty() : Optional.of(Path.of(s));
    }
}
