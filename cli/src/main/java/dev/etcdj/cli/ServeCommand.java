package dev.etcdj.cli;

import dev.etcdj.server.EtcdServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Runs the embedded etcdj server with etcd's own flags for what it supports; any other flag is refused
 * as unknown. Serves until interrupted (Ctrl-C), then closes the server.
 */
@Command(name = "serve", description = "Runs the embedded etcdj server (etcd's flags)", customSynopsis = "serve [etcd flags]")
final class ServeCommand extends BaseCommand {

    @Option(names = "--name", defaultValue = "default", description = "Human-readable name for this member.")
    String name;

    @Option(names = "--data-dir", defaultValue = "", description = "Path to the data directory (default ${name}.etcd).")
    String dataDir;

    @Option(names = "--listen-client-urls", split = ",", defaultValue = "http://localhost:2379",
            description = "List of URLs to listen on for client traffic.")
    List<String> listenClientUrls = new ArrayList<>();

    @Option(names = "--advertise-client-urls", split = ",", defaultValue = "",
            description = "List of this member's client URLs to advertise to the public.")
    List<String> advertiseClientUrls = new ArrayList<>();

    @Option(names = "--initial-advertise-peer-urls", split = ",", defaultValue = "http://localhost:2380",
            description = "List of this member's peer URLs to advertise to the rest of the cluster (member list shows them; no peer traffic is served).")
    List<String> initialAdvertisePeerUrls = new ArrayList<>();

    @Option(names = "--max-txn-ops", defaultValue = "128", description = "Maximum number of operations permitted in a transaction.")
    long maxTxnOps;

    @Option(names = "--max-request-bytes", defaultValue = "1572864", description = "Maximum client request size in bytes the server will accept.")
    long maxRequestBytes;

    @Option(names = "--quota-backend-bytes", defaultValue = "0", description = "Raise alarms when backend size exceeds the given quota (0 defaults to low space quota).")
    long quotaBackendBytes;

    @Option(names = "--auto-compaction-retention", defaultValue = "0",
            description = "Auto compaction retention length. 0 means disable auto compaction.")
    String autoCompactionRetention;

    @Option(names = "--cert-file", defaultValue = "", description = "Path to the client server TLS cert file.")
    String certFile;

    @Option(names = "--key-file", defaultValue = "", description = "Path to the client server TLS key file.")
    String keyFile;

    @Option(names = "--client-cert-auth", defaultValue = "false", description = "Enable client cert authentication.")
    boolean clientCertAuth;

    @Option(names = "--trusted-ca-file", defaultValue = "", description = "Path to the client server TLS trusted CA file.")
    String trustedCaFile;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "help for serve")
    boolean help;

    @Parameters(hidden = true)
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        Cli cli = cli();
        if (!args.isEmpty()) {
            throw badArgs("serve takes flags only, not " + GoValues.quote(args.get(0)));
        }
        EtcdServer.Builder b = EtcdServer.builder().name(name)
                .dataDir(Path.of(dataDir.isEmpty() ? name + ".etcd" : dataDir))
                .listenClientUrls(listenClientUrls)
                .advertisePeerUrls(initialAdvertisePeerUrls)
                .maxTxnOps(Math.toIntExact(maxTxnOps))
                .maxRequestBytes(Math.toIntExact(maxRequestBytes))
                .autoCompactionRetention(retention(autoCompactionRetention));
        List<String> advertise = advertiseClientUrls.stream().filter(s -> !s.isEmpty()).toList();
        if (!advertise.isEmpty()) {
            b.advertiseClientUrls(advertise);
        }
        if (quotaBackendBytes > 0) {
            b.quotaBackendBytes(quotaBackendBytes);
        }
        tls(b, cli);
        EtcdServer server = b.build();
        server.start();
        Thread hook = new Thread(server::close, "etcdj-serve-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        cli.err.println("etcdj: serving " + name + " on " + String.join(",", server.endpoints()));
        try {
            cli.interrupted.join();
        } finally {
            server.close();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // The hook is running or has run: the server is closed either way.
            }
        }
        return 0;
    }

    /** etcd's client TLS flags; like etcd, http:// URLs ignore them (with a warning) and serve plain text. */
    private void tls(EtcdServer.Builder b, Cli cli) {
        if (certFile.isEmpty() != keyFile.isEmpty()) {
            throw badArgs("--cert-file and --key-file must be given together");
        }
        if (certFile.isEmpty()) {
            return; // an https:// URL is then refused by the server, in etcd's words
        }
        b.tls(Path.of(certFile), Path.of(keyFile));
        if (!trustedCaFile.isEmpty()) {
            b.trustedCaFile(Path.of(trustedCaFile));
        }
        b.clientCertAuth(clientCertAuth);
        for (String url : listenClientUrls) {
            if (url.startsWith("http://")) {
                cli.err.println("etcdj: the scheme of client url " + url
                        + " is HTTP while key/cert files are present; ignored key/cert files for it");
            }
        }
    }

    /** etcd's --auto-compaction-retention: a number of hours, or a Go duration such as 30m. */
    static Duration retention(String v) {
        try {
            return Duration.ofHours(Long.parseLong(v));
        } catch (NumberFormatException e) {
            try {
                return GoValues.parseDuration(v);
            } catch (GoValues.BadValue bad) {
                throw badArgs("invalid --auto-compaction-retention " + GoValues.quote(v) + ": " + bad.getMessage());
            }
        }
    }
}
