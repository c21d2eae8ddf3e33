package dev.etcdj.cli.serve;

import dev.etcdj.cli.serve.log.Capnslog;
import dev.etcdj.cli.serve.log.LogSink;
import dev.etcdj.cli.serve.log.ZapJson;
import dev.etcdj.server.EtcdServer;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code etcdj serve}: etcd 3.4's {@code etcd} command line (flags, {@code ETCD_*} variables or
 * {@code --config-file}), its checks and messages, its log formats, then the embedded server until
 * interrupted. The flow follows etcdmain: parse, environment or file, validate, set up logging,
 * bootstrap checks, start.
 */
public final class ServeMain {

    private static final Logger LOG = LoggerFactory.getLogger("etcdj.etcdmain.ServeMain");

    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> env;

    private ServeMain(PrintStream out, PrintStream err, Map<String, String> env) {
        this.out = out;
        this.err = err;
        this.env = env;
    }

    /**
     * Runs {@code etcd}'s command line ({@code args} without "serve") until {@code interrupted} completes;
     * returns etcd's exit code (2: flag syntax, 1: refused configuration or failed start).
     */
    public static int run(List<String> args, PrintStream out, PrintStream err, Map<String, String> env,
            CompletableFuture<Void> interrupted) {
        return new ServeMain(out, err, env).serve(args, interrupted);
    }

    private int serve(List<String> args, CompletableFuture<Void> interrupted) {
        FlagValues values = new FlagValues();
        List<String> rest;
        try {
            rest = GoFlagSet.parse(args, values);
        } catch (GoFlagSet.HelpRequested e) {
            err.print(ServeHelp.usage());
            out.print(ServeHelp.flags());
            return 0;
        } catch (GoFlagSet.ParseError e) {
            err.println(e.getMessage());
            err.print(ServeHelp.usage());
            return 2;
        }
        if (!rest.isEmpty()) {
            return verifyFailed(null, "'" + rest.get(0) + "' is not a valid flag");
        }
        if (values.bool("version")) {
            out.println("etcd Version: " + dev.etcdj.server.EtcdServer.VERSION);
            out.println("Git SHA: etcdj");
            out.println("Java Version: " + Runtime.version());
            out.println("OS/Arch: " + System.getProperty("os.name").toLowerCase() + "/" + System.getProperty("os.arch"));
            return 0;
        }
        String configFile = values.string("config-file");
        if (configFile.isEmpty()) {
            configFile = env.getOrDefault("ETCD_CONFIG_FILE", "");
        }
        boolean fromFile = !configFile.isEmpty();
        if (fromFile) {
            FlagValues file = new FlagValues();
            try {
                ConfigFile.load(Path.of(configFile), file);
            } catch (ConfigFile.Bad e) {
                plog('I', "etcdmain", "Loading server configuration from " + dev.etcdj.cli.GoValues.quote(configFile)
                        + ". Other configuration command line flags and environment variables will be ignored if provided.");
                if (e.bare) {
                    err.println(e.getMessage());
                    return 1;
                }
                return verifyFailed(null, e.getMessage());
            }
            values = file;
        } else {
            try {
                GoFlagSet.applyEnv(values, env, (level, msg) -> plog(level, "pkg/flags", msg));
            } catch (GoFlagSet.Conflict e) {
                plog('C', "pkg/flags", e.getMessage());
                return 1;
            } catch (GoFlagSet.Invalid e) {
                return verifyFailed(null, e.getMessage());
            }
        }
        ServePlan plan = new ServePlan(values, fromFile);
        ServePlan.Logging logging;
        try {
            logging = plan.logging();
        } catch (ServePlan.Refused e) {
            return verifyFailed(null, e.getMessage());
        }
        if (logging.zap() && logging.level() == null) {
            err.println("panic: unknown level " + dev.etcdj.cli.GoValues.quote(values.string("log-level")));
            return 2;
        }
        try {
            configureLogging(logging);
        } catch (IOException e) {
            return verifyFailed(null, e.getMessage());
        }
        if (!logging.zap()) {
            err.println("[WARNING] Deprecated '--logger=capnslog' flag is set; use '--logger=zap' flag instead");
        }
        if (fromFile) {
            LOG.atInfo().addKeyValue("path", configFile).log(
                    "loaded server configuration, other configuration command line flags and environment variables will be ignored if provided");
        }
        try {
            plan.verify();
        } catch (ServePlan.Refused e) {
            return verifyFailed(logging, e.getMessage());
        }
        for (Flag f : plan.noOps()) {
            LOG.atInfo().addKeyValue("flag", "--" + f.name()).addKeyValue("value", plan.value(f.name()))
                    .addKeyValue("reason", f.note()).log("flag accepted without effect on a single etcdj member");
        }
        if (plan.autoTlsIgnored()) {
            LoggerFactory.getLogger("etcdj.embed.Config").atWarn().log("ignoring client auto TLS since certs given");
        }
        if (plan.invalidBcryptCost()) {
            LoggerFactory.getLogger("etcdj.auth.store").atWarn().addKeyValue("min-cost", 4).addKeyValue("max-cost", 31)
                    .addKeyValue("default-cost", 10).addKeyValue("given-cost", plan.value("bcrypt-cost"))
                    .log("use default bcrypt cost instead of the invalid given cost");
        }
        EtcdServer server;
        try {
            plan.checkListeners();
            plan.checkBootstrap();
            server = plan.builder().build();
            LOG.atInfo().addKeyValue("name", plan.name()).addKeyValue("data-dir", plan.dataDir().toString())
                    .addKeyValue("listen-client-urls", values.list("listen-client-urls"))
                    .addKeyValue("advertise-client-urls", values.list("advertise-client-urls"))
                    .addKeyValue("initial-advertise-peer-urls", values.list("initial-advertise-peer-urls"))
                    .addKeyValue("listen-metrics-urls", values.list("listen-metrics-urls"))
                    .addKeyValue("auto-compaction-mode", values.string("auto-compaction-mode"))
                    .addKeyValue("auto-compaction-retention", values.string("auto-compaction-retention"))
                    .log("starting an etcd server");
            server.start();
        } catch (ServePlan.Refused | RuntimeException e) {
            return startFailed(logging, e.getMessage() == null ? e.toString() : e.getMessage());
        }
        return runUntilInterrupted(server, plan, values, interrupted);
    }

    private int runUntilInterrupted(EtcdServer server, ServePlan plan, FlagValues values, CompletableFuture<Void> interrupted) {
        Thread hook = new Thread(server::close, "etcdj-serve-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        LOG.atInfo().addKeyValue("local-member-id", Long.toHexString(server.memberId()))
                .addKeyValue("initial-advertise-peer-urls", values.list("initial-advertise-peer-urls"))
                .addKeyValue("advertise-client-urls", server.endpoints())
                .addKeyValue("listen-client-urls", values.list("listen-client-urls"))
                .addKeyValue("listen-metrics-urls", server.metricsEndpoints())
                .log("now serving peer/client/metrics");
        try {
            interrupted.join();
        } finally {
            LOG.atInfo().addKeyValue("name", plan.name()).addKeyValue("data-dir", plan.dataDir().toString())
                    .log("closing etcd server");
            server.close();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // The hook is running or has run: the server is closed either way.
            }
        }
        return 0;
    }

    private void configureLogging(ServePlan.Logging l) throws IOException {
        List<PrintStream> outputs = new ArrayList<>();
        for (String o : l.outputs()) {
            switch (o) {
                case "default", "stderr", "systemd/journal" -> outputs.add(err);
                case "stdout" -> outputs.add(out);
                default -> outputs.add(new PrintStream(new FileOutputStream(o, true), true, StandardCharsets.UTF_8));
            }
        }
        LogSink.configure(l.level(), l.zap() ? new ZapJson() : new Capnslog(), outputs);
    }

    /** etcd's "error verifying flags" (exit 1), in the logger's format once it is set up. */
    private int verifyFailed(ServePlan.Logging logging, String error) {
        if (logging != null && logging.zap()) {
            LogSink.log("etcdmain", LogSink.Level.WARN, "failed to verify flags", fields("error", error));
        } else {
            plog('E', "etcdmain", "error verifying flags, " + error + ". See 'etcd --help'.");
        }
        if (error.startsWith("--advertise-client-urls is required")) {
            if (logging != null && logging.zap()) {
                LogSink.log("etcdmain", LogSink.Level.WARN, "advertise client URLs are not set", fields("error", error));
            } else {
                plog('E', "etcdmain", "When listening on specific address(es), this etcd process must advertise accessible url(s) to each connected client.");
            }
        }
        return 1;
    }

    /** etcd's report of a member that could not start (exit 1). */
    private int startFailed(ServePlan.Logging logging, String error) {
        if (logging.zap()) {
            LogSink.log("etcdmain", LogSink.Level.WARN, "failed to start etcd", fields("error", error));
            LogSink.log("etcdmain", LogSink.Level.FATAL, "discovery failed", fields("error", error));
        } else {
            plog('C', "etcdmain", error);
        }
        return 1;
    }

    private static Map<String, Object> fields(String k, Object v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(k, v);
        return m;
    }

    /** A capnslog line, as etcd writes before its logger is set up (and from pkg/flags). */
    private void plog(char level, String pkg, String msg) {
        String ts = ZonedDateTime.now().format(java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS"));
        err.println(ts + " " + level + " | " + pkg + ": " + msg);
    }
}
