package dev.etcdj.cli;

import dev.etcdj.cli.output.FieldsPrinter;
import dev.etcdj.cli.output.JsonPrinter;
import dev.etcdj.cli.output.Printer;
import dev.etcdj.cli.output.SimplePrinter;
import dev.etcdj.cli.output.TablePrinter;
import dev.etcdj.client.ClientBuilder;
import dev.etcdj.client.EtcdClient;
import dev.etcdj.client.EtcdError;
import dev.etcdj.client.EtcdException;
import dev.etcdj.client.EtcdTimeoutException;
import dev.etcdj.client.EtcdUnavailableException;
import dev.etcdj.client.TlsConfig;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One run of the command line: its streams, environment and global flags, the printer they select and
 * the client, made on first use and closed at the end of the run.
 */
public final class Cli implements AutoCloseable {

    final InputStream in;
    final PrintStream out;
    final PrintStream err;
    final Map<String, String> env;
    final String[] rawArgs;
    final GlobalOptions global;
    /** Completed to end long-running commands (watch, keep-alive) as Ctrl-C would: for tests and shutdown hooks. */
    final CompletableFuture<Void> interrupted;

    /** The long names of the options given on the command line (not from defaults or the environment). */
    final java.util.Set<String> matched = new java.util.HashSet<>();

    /** The command being run, set by {@link Main}: its global flags are what {@code --debug} prints. */
    picocli.CommandLine.Model.CommandSpec command;

    private EtcdClient client;
    private java.util.List<String> endpoints;
    private final java.util.List<EtcdClient> others = new java.util.ArrayList<>();
    /** Read once: a prompted password is asked for once per run. Empty when no --user. */
    private String[] credentials;
    private Printer printer;

    Cli(String[] rawArgs, InputStream in, PrintStream out, PrintStream err, Map<String, String> env,
        GlobalOptions global, CompletableFuture<Void> interrupted) {
        this.rawArgs = rawArgs;
        this.in = in instanceof BufferedInputStream ? in : new BufferedInputStream(in);
        this.out = out;
        this.err = err;
        this.env = env;
        this.global = global;
        this.interrupted = interrupted;
    }

    /** etcdctl's display: picked from --write-out when the client is made (initDisplayFromCmd). */
    Printer printer() {
        if (printer == null) {
            printer = switch (global.writeOut) {
                case "simple" -> new SimplePrinter(out, err, global.hex);
                case "json" -> new JsonPrinter(out);
                case "fields" -> new FieldsPrinter(out);
                case "table" -> new TablePrinter(out);
                case "protobuf" -> throw new CliException(CliException.EXIT_BAD_FEATURE,
                        "protobuf not supported as output format by etcdj (use json or fields)");
                default -> throw new CliException(CliException.EXIT_BAD_FEATURE, "unsupported output format");
            };
        }
        return printer;
    }

    /** mustClientFromCmd: validates the TLS and auth flags, selects the printer, builds the client. */
    EtcdClient client() {
        if (client != null) {
            return client;
        }
        if (global.debug && command != null) {
            DebugLog.printFlags(command, err);
        }
        checkNotEmpty("cert", global.cert);
        checkNotEmpty("key", global.key);
        checkNotEmpty("cacert", global.cacert);
        java.util.List<String> eps = endpoints();
        printer();
        client = build(eps, true);
        return client;
    }

    /** The endpoints: found by --discovery-srv, else --endpoints (etcdctl's endpointsFromCmd); looked up once. */
    java.util.List<String> endpoints() {
        if (endpoints == null) {
            endpoints = SrvEndpoints.resolve(global, env, err);
        }
        return endpoints;
    }

    /**
     * Another client with the same TLS, timeout and (if {@code withAuth}) auth flags for other
     * endpoints, as etcdctl makes for --cluster and per-endpoint commands; closed with this run.
     */
    EtcdClient clientFor(java.util.List<String> endpoints, boolean withAuth) {
        client();
        EtcdClient c = build(endpoints, withAuth);
        others.add(c);
        return c;
    }

    /**
     * A client like {@link #client()} whose calls have no deadline (a year), for commands that wait as
     * long as it takes, as etcdctl's lock and elect do with context.TODO (which also waits out a slow
     * or lost connection); closed with this run.
     */
    EtcdClient clientWithoutDeadline() {
        client();
        java.time.Duration year = java.time.Duration.ofDays(365);
        EtcdClient c = build(endpoints(), true, year, year);
        others.add(c);
        return c;
    }

    private EtcdClient build(java.util.List<String> endpoints, boolean withAuth) {
        return build(endpoints, withAuth, positiveOr(global.dialTimeout, java.time.Duration.ofSeconds(2)),
                positiveOr(global.commandTimeout, java.time.Duration.ofSeconds(5)));
    }

    private EtcdClient build(java.util.List<String> endpoints, boolean withAuth, java.time.Duration dialTimeout,
                             java.time.Duration requestTimeout) {
        ClientBuilder b = EtcdClient.builder()
                .endpoints(endpoints.stream().map(String::trim).toList())
                .dialTimeout(dialTimeout)
                .requestTimeout(requestTimeout)
                .keepAlive(positiveOr(global.keepAliveTime, java.time.Duration.ofSeconds(2)),
                        positiveOr(global.keepAliveTimeout, java.time.Duration.ofSeconds(6)));
        // etcdctl checks the discovery domain as the TLS server name unless --insecure-discovery.
        Optional<String> serverName = global.insecureDiscovery ? Optional.empty()
                : Optional.of(global.discoverySrv).filter(s -> !s.isEmpty());
        if (!global.cert.isEmpty() || !global.key.isEmpty() || !global.cacert.isEmpty() || global.insecureSkipTlsVerify
                || !global.insecureTransport || serverName.isPresent()) {
            TlsConfig tls = new TlsConfig(opt(global.cacert), opt(global.cert), opt(global.key), serverName,
                    global.insecureSkipTlsVerify);
            b.tls(tls);
        }
        if (global.debug) {
            b.eventListener(DebugLog.listener(err));
        }
        String[] auth = withAuth ? credentials() : null;
        if (auth != null) {
            b.credentials(auth[0], auth[1]);
        }
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            throw new CliException(CliException.EXIT_BAD_ARGS, e.getMessage());
        } catch (EtcdException e) {
            throw new CliException(CliException.EXIT_BAD_CONNECTION, errorText(e));
        }
    }

    /** authCfgFromCmd: --user name:password, --user name --password p, or a prompt. */
    private String[] credentials() {
        if (credentials == null) {
            credentials = readCredentials();
        }
        return credentials.length == 0 ? null : credentials;
    }

    private String[] readCredentials() {
        if (global.user.isEmpty()) {
            return new String[0];
        }
        if (!global.password.isEmpty()) {
            return new String[] {global.user, global.password};
        }
        int colon = global.user.indexOf(':');
        if (colon >= 0) {
            return new String[] {global.user.substring(0, colon), global.user.substring(colon + 1)};
        }
        err.print("Password: ");
        err.flush();
        char[] pw = System.console() != null ? System.console().readPassword() : null;
        String password = pw != null ? new String(pw) : readLine();
        return new String[] {global.user, password};
    }

    private String readLine() {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try {
            int c;
            while ((c = in.read()) >= 0 && c != '\n') {
                buf.write(c);
            }
        } catch (IOException e) {
            throw new CliException(CliException.EXIT_ERROR, e.getMessage());
        }
        return buf.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** etcdctl refuses a TLS file flag given explicitly as "". */
    private void checkNotEmpty(String flag, String value) {
        if (value.isEmpty() && matched.contains("--" + flag)) {
            throw new CliException(CliException.EXIT_BAD_ARGS, "empty string is passed to --" + flag + " option");
        }
    }

    private static Optional<Path> opt(String s) {
        return s.isEmpty() ? Optional.empty() : Optional.of(Path.of(s));
    }

    private static java.time.Duration positiveOr(java.time.Duration d, java.time.Duration fallback) {
        return d == null || d.isZero() || d.isNegative() ? fallback : d;
    }

    /**
     * Waits for a call under --command-timeout, as etcdctl's commandCtx does; a failure becomes
     * {@code Error: <prefix(message)>} with the given exit code.
     */
    <T> T await(CompletableFuture<T> f, int exitCode, java.util.function.UnaryOperator<String> wrap) {
        try {
            long ms = Math.max(1, global.commandTimeout.toMillis());
            return f.get(ms, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new CliException(exitCode, wrap.apply("context deadline exceeded"));
        } catch (InterruptedException e) {
            f.cancel(true);
            Thread.currentThread().interrupt();
            throw new CliException(CliException.EXIT_INTERRUPTED, wrap.apply("context canceled"));
        } catch (ExecutionException | CompletionException e) {
            // etcdctl authenticates while making its client, so bad credentials are a connection failure.
            if (e.getCause() instanceof dev.etcdj.client.AuthFailedException) {
                throw new CliException(CliException.EXIT_BAD_CONNECTION, errorText(e.getCause()));
            }
            throw new CliException(exitCode, wrap.apply(errorText(e.getCause())));
        } catch (CancellationException e) {
            throw new CliException(exitCode, wrap.apply("context canceled"));
        }
    }

    <T> T await(CompletableFuture<T> f) {
        return await(f, CliException.EXIT_ERROR, s -> s);
    }

    /**
     * The text etcdctl prints for a failed call: etcd's own message for server errors; for a call that
     * found no server in time, what Go's context says.
     */
    static String errorText(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof EtcdException e) {
            if (e.error() == EtcdError.UNKNOWN
                    && (e instanceof EtcdTimeoutException || e instanceof EtcdUnavailableException
                    || e.code() == EtcdException.Code.DEADLINE_EXCEEDED || e.code() == EtcdException.Code.UNAVAILABLE)) {
                return "context deadline exceeded";
            }
            if (e.code() == EtcdException.Code.CANCELLED && e.error() == EtcdError.UNKNOWN) {
                return "context canceled";
            }
            return e.getMessage();
        }
        return String.valueOf(t.getMessage());
    }

    @Override
    public void close() {
        others.forEach(EtcdClient::close);
        others.clear();
        if (client != null) {
            client.close();
            client = null;
        }
    }
}
