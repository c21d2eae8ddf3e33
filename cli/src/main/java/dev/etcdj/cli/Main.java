package dev.etcdj.cli;

import dev.etcdj.cli.output.Printer;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * {@code etcdj}: etcdctl v3's commands, flags, output, error lines and exit codes. {@link #run} is the
 * whole program without {@code System.exit}, so tests can run it in-process.
 */
public final class Main {

    /*
     * Go's syntax for numbers, bools and durations, as classes rather than lambdas: the launcher's
     * class-data archive leaves out lambdas that implement a picocli interface, so each run would spin
     * those anew (a generated class each), while these classes come from the archive.
     */
    private static final CommandLine.ITypeConverter<Long> GO_INT = new GoInt();
    private static final CommandLine.ITypeConverter<Boolean> GO_BOOL = new GoBool();
    private static final CommandLine.ITypeConverter<java.time.Duration> GO_DURATION = new GoDuration();

    private Main() {}

    public static void main(String[] args) {
        nettyDefaults(args);
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        CompletableFuture<Void> interrupted = new CompletableFuture<>();
        CompletableFuture<Integer> exitCode = new CompletableFuture<>();
        // Ctrl-C or SIGTERM, as etcdctl's signal handlers: a holding command (lock, elect, watch, serve) is
        // told and given a moment to let go (unlock, resign). The exit status stays the signal's (130, 143):
        // halting with the command's own code would skip the other shutdown hooks.
        Runtime.getRuntime().addShutdownHook(new Thread(new Interrupter(interrupted, exitCode), "etcdj-interrupt"));
        int code = run(args, System.in, out, err, System.getenv(), interrupted);
        out.flush();
        err.flush();
        exitCode.complete(code);
        System.exit(code);
    }

    /**
     * System properties for the client's (shaded) Netty and picocli, set before they load unless the
     * command line (java -D) set them; {@link ArchiveTraining} sets the same, so the archive has the classes they select.
     */
    static void nettyDefaults(String[] args) {
        String netty = "dev.etcdj.client.internal.shaded.io.grpc.netty.shaded.io.netty.";
        // Netty registers its buffer-allocator JFR event classes at start-up when JFR is available:
        // about a tenth of a second of a short command's life, for events nobody records here.
        defaultProperty(netty + "jfr.enabled", "false");
        if (args.length == 0 || !(args[0].equals("bench") || args[0].equals("serve"))) {
            // etcdctl's commands (bench and serve keep Netty's defaults): the client connects with NIO
            // always, so Netty need not look for its native epoll library (a dozen classes, a search of
            // the whole jar). Netty's default allocator is made with the first channel although gRPC
            // hands each channel its own pooled one: unpooled, it skips building pools it never uses.
            defaultProperty(netty + "transport.noNative", "true");
            defaultProperty(netty + "allocator.type", "unpooled");
        }
        // Each picocli CommandLine (one per command in the model) registers converters for java.sql and
        // java.time types by reflection (Class.forName, getDeclaredMethod: the java.sql module's classes
        // and the methods of every java.time class). No flag here has such a type; Duration flags
        // have their own converter (GoDuration).
        defaultProperty("picocli.converters.excludes", "java\\.(sql|time)\\..*");
    }

    /** Sets a system property unless the command line (java -D) already did. */
    private static void defaultProperty(String name, String value) {
        if (System.getProperty(name) == null) {
            System.setProperty(name, value);
        }
    }

    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err, Map<String, String> env) {
        return run(args, in, out, err, env, new CompletableFuture<>());
    }

    /**
     * Runs one command line. {@code interrupted}, once completed, ends a running watch or keep-alive the
     * way Ctrl-C ends etcdctl's.
     */
    public static int run(String[] args, InputStream in, PrintStream out, PrintStream err, Map<String, String> env,
                          CompletableFuture<Void> interrupted) {
        if (args.length > 0 && args[0].equals("bench")) {
            // bench takes etcd's benchmark-tool flags, not etcdctl's: it runs as its own command line.
            return new CommandLine(new dev.etcdj.bench.BenchCommand())
                    .setOut(new java.io.PrintWriter(out, true)).setErr(new java.io.PrintWriter(err, true))
                    .execute(java.util.Arrays.copyOfRange(args, 1, args.length));
        }
        if (args.length > 0 && args[0].equals("serve")) {
            // serve takes etcd's command line (Go flag syntax, ETCD_* variables, --config-file), which
            // etcdctl's inherited global flags (--debug, --cert, ...) would clash with under picocli.
            return dev.etcdj.cli.serve.ServeMain.run(java.util.Arrays.asList(args).subList(1, args.length), out, err, env,
                    interrupted);
        }
        RootCommand root = new RootCommand();
        CommandLine cl = commandLine(root.model());
        withCommands(cl, commandsNamedIn(cl, args));
        Cli cli = new Cli(args, in, out, err, env, root.global, interrupted);
        root.cli = cli;
        try {
            ParseResult pr;
            try {
                pr = cl.parseArgs(args);
            } catch (ParameterException e) {
                return flagError(e, args, cli);
            }
            List<ParseResult> chain = new ArrayList<>();
            for (ParseResult p = pr; p != null; p = p.subcommand()) {
                chain.add(p);
                for (OptionSpec o : p.matchedOptions()) {
                    cli.matched.add(o.longestName());
                }
            }
            ParseResult leaf = chain.get(chain.size() - 1);
            CommandSpec spec = leaf.commandSpec();
            if (leaf.isUsageHelpRequested() || !Usage.isRunnable(spec)) {
                out.print(Usage.of(spec));
                return 0;
            }
            try {
                cli.command = spec;
                applyEnvironment(cli, spec);
                return call(pr, spec);
            } catch (FatalExit e) {
                return e.exitCode();
            } catch (CliException e) {
                err.println("Error: " + e.getMessage());
                return e.exitCode();
            } catch (Printer.Unsupported e) {
                err.println("Error: " + e.getMessage());
                return CliException.EXIT_BAD_FEATURE;
            } catch (GoPanic | Printer.Panic e) {
                out.flush();
                err.println("panic: " + e.getMessage());
                err.println();
                err.println("goroutine 1 [running]:");
                return 2;
            } catch (Exception e) {
                err.println("Error: " + Cli.errorText(e));
                return CliException.EXIT_ERROR;
            }
        } finally {
            out.flush();
            cli.close();
            err.flush();
        }
    }

    /**
     * Runs the parsed command: a command class's {@code call()}, or a {@code @Command} method of its
     * group, which picocli invokes with the parsed flags and arguments (its failure unwrapped).
     */
    private static int call(ParseResult pr, CommandSpec leaf) throws Exception {
        if (leaf.userObject() instanceof Callable<?> command) {
            return (Integer) command.call();
        }
        try {
            new CommandLine.RunLast().execute(pr);
        } catch (CommandLine.ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
        return leaf.commandLine().getExecutionResult();
    }

    /** {@code root} (a model, or an annotated object and the subcommands its annotation names) with cobra's parsing rules. */
    static CommandLine commandLine(Object root) {
        return configure(new CommandLine(root));
    }

    /**
     * {@code cl} with {@code subcommands} added under its root, and cobra's parsing rules applied again:
     * picocli applies them only to the commands present when they are set.
     */
    static CommandLine withCommands(CommandLine cl, List<RootCommand.Sub> subcommands) {
        for (RootCommand.Sub sub : subcommands) {
            cl.addSubcommand(sub.name(), sub.command());
        }
        return configure(cl);
    }

    private static CommandLine configure(CommandLine cl) {
        cl.setAbbreviatedSubcommandsAllowed(true); // cobra.EnablePrefixMatching
        cl.setExpandAtFiles(false); // "@file" is a value like any other for etcdctl
        cl.setOverwrittenOptionsAllowed(true); // pflag: the last one wins
        cl.setPosixClusteredShortOptionsAllowed(true);
        cl.setUnmatchedOptionsArePositionalParams(false);
        cl.setCaseInsensitiveEnumValuesAllowed(false);
        cl.registerConverter(long.class, GO_INT);
        cl.registerConverter(Long.class, GO_INT);
        cl.registerConverter(boolean.class, GO_BOOL);
        cl.registerConverter(Boolean.class, GO_BOOL);
        cl.registerConverter(java.time.Duration.class, GO_DURATION);
        goBoolFlags(cl.getCommandSpec());
        return cl;
    }

    private static final class GoInt implements CommandLine.ITypeConverter<Long> {
        @Override
        public Long convert(String value) {
            return GoValues.parseInt(value, 10);
        }
    }

    private static final class GoBool implements CommandLine.ITypeConverter<Boolean> {
        @Override
        public Boolean convert(String value) {
            return GoValues.parseBool(value);
        }
    }

    private static final class GoDuration implements CommandLine.ITypeConverter<java.time.Duration> {
        @Override
        public java.time.Duration convert(String value) {
            return GoValues.parseDuration(value);
        }
    }

    /**
     * pflag's bool flags: a boolean option takes an optional value ("--prefix", "--prefix=false") and
     * is false unless its declaration gives another default, so commands declare only name and text.
     * (An option subcommands inherit, such as the global flags, declares its arity itself: picocli
     * copies it into each subcommand. So does a parameter of a {@code @Command} method: picocli
     * hands the method its options in the order they were declared.)
     */
    static void goBoolFlags(CommandSpec spec) {
        for (CommandLine sub : spec.subcommands().values()) { // a loop: a lambda here would be spun at each run
            goBoolFlags(sub.getCommandSpec());
        }
        if (spec.userObject() instanceof java.lang.reflect.Method) {
            return;
        }
        for (OptionSpec o : List.copyOf(spec.options())) {
            boolean bool = o.type() == boolean.class || o.type() == Boolean.class;
            boolean inherits = o.inherited() || o.scopeType() == CommandLine.ScopeType.INHERIT;
            if (bool && !inherits && !o.usageHelp() && !o.versionHelp() && o.arity().max() == 0) {
                spec.remove(o);
                spec.addOption(o.toBuilder().arity("0..1").fallbackValue("true")
                        .defaultValue(o.defaultValue() == null ? "false" : o.defaultValue()).build());
            }
        }
    }

    /**
     * The commands a command line may name. Building the model of every command (picocli reflects over
     * the flags of those it builds from annotations) costs about a quarter of a second; so the
     * global flags are parsed first, by {@code root} alone (the model that then gets the commands, so
     * the root's is built once), and the first word after them picks the commands whose names it
     * begins (cobra's prefix matching). Anything else (no command, help, a bad global flag, a word that
     * matches no command) gets every command, so its usage and errors are as before.
     */
    static List<RootCommand.Sub> commandsNamedIn(CommandLine root, String[] args) {
        List<String> rest;
        root.setStopAtUnmatched(true);
        root.setUnmatchedArgumentsAllowed(true);
        try {
            root.parseArgs(args);
            rest = root.getUnmatchedArguments();
        } catch (ParameterException e) {
            return RootCommand.COMMANDS;
        } finally {
            root.setStopAtUnmatched(false);
            root.setUnmatchedArgumentsAllowed(false);
        }
        if (rest.isEmpty() || rest.get(0).startsWith("-")) {
            return RootCommand.COMMANDS;
        }
        String word = rest.get(0);
        List<RootCommand.Sub> named = RootCommand.COMMANDS.stream().filter(c -> c.name().startsWith(word)).toList();
        return named.isEmpty() ? RootCommand.COMMANDS : named;
    }

    /**
     * cobra's reaction to a bad flag: the command's usage on stdout, the error on stderr, then etcdctl's
     * own "Error:" line again; exit 1. An unknown command gets cobra's hint instead of the usage.
     */
    private static int flagError(ParameterException e, String[] args, Cli cli) {
        String msg = pflagMessage(e, args);
        CommandSpec where = e.getCommandLine().getCommandSpec();
        if (msg.startsWith("unknown command")) {
            cli.err.println("Error: " + msg);
            cli.err.println("Run '" + where.qualifiedName(" ") + " --help' for usage.");
            cli.err.println("Error: " + msg);
            return 1;
        }
        cli.out.print(Usage.of(where));
        cli.err.println("Error: " + msg);
        cli.err.println();
        cli.err.println("Error: " + msg);
        return 1;
    }

    /** The error pflag (or cobra) would report for what picocli refused. */
    static String pflagMessage(ParameterException e, String[] args) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof GoValues.BadValue bad && e.getArgSpec() instanceof OptionSpec o) {
                return "invalid argument " + GoValues.quote(bad.value) + " for " + GoValues.quote(flagDisplay(o, args))
                        + " flag: " + bad.getMessage();
            }
        }
        if (e instanceof CommandLine.UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
            String arg = u.getUnmatched().get(0);
            if (arg.startsWith("--")) {
                int eq = arg.indexOf('=');
                return "unknown flag: " + (eq > 0 ? arg.substring(0, eq) : arg);
            }
            if (arg.startsWith("-") && arg.length() > 1) {
                CommandSpec spec = e.getCommandLine().getCommandSpec();
                for (int i = 1; i < arg.length(); i++) {
                    if (spec.findOption(arg.charAt(i)) == null) {
                        return "unknown shorthand flag: '" + arg.charAt(i) + "' in " + arg;
                    }
                }
                return "unknown shorthand flag: '" + arg.charAt(1) + "' in " + arg;
            }
            return "unknown command " + GoValues.quote(arg) + " for " + GoValues.quote(e.getCommandLine().getCommandSpec().qualifiedName(" "));
        }
        if (e instanceof CommandLine.MissingParameterException m && !m.getMissing().isEmpty()
                && m.getMissing().get(0) instanceof OptionSpec o) {
            String last = args.length > 0 ? args[args.length - 1] : "";
            for (String n : o.names()) {
                if (n.length() == 2 && last.equals(n)) {
                    return "flag needs an argument: '" + n.charAt(1) + "' in " + n;
                }
            }
            return "flag needs an argument: " + o.longestName();
        }
        return e.getMessage();
    }

    private static String flagDisplay(OptionSpec o, String[] args) {
        for (String n : o.names()) {
            if (n.length() == 2) {
                for (String a : args) {
                    if (a.startsWith(n) && !a.startsWith("--")) {
                        return "-" + n.charAt(1) + ", " + o.longestName();
                    }
                }
            }
        }
        return o.longestName();
    }

    /**
     * etcdctl's flags.SetPflagsFromEnv("ETCDCTL", ...): a global flag not given on the command line takes
     * ETCDCTL_<FLAG>; one given both ways is fatal; unknown ETCDCTL_ variables get a warning.
     */
    private static void applyEnvironment(Cli cli, CommandSpec spec) {
        List<String> known = new ArrayList<>(List.of("ETCDCTL_API"));
        if (spec.name().equals("watch")) {
            known.add("ETCDCTL_WATCH_KEY");
            known.add("ETCDCTL_WATCH_RANGE_END");
        }
        for (OptionSpec o : spec.options()) {
            if (!o.inherited() && spec.parent() != null) {
                continue;
            }
            String envName = "ETCDCTL_" + Usage.longName(o).toUpperCase().replace('-', '_');
            known.add(envName);
            String value = cli.env.get(envName);
            if (value == null || value.isEmpty()) {
                continue;
            }
            if (cli.matched.contains(o.longestName())) {
                log(cli, 'C', "conflicting environment variable " + GoValues.quote(envName)
                        + " is shadowed by corresponding command-line flag (either unset environment variable or disable flag)");
                throw new FatalExit(1);
            }
            try {
                Object v = convert(o, value);
                o.setValue(v);
            } catch (RuntimeException invalidValue) {
                // etcdctl drops the error of pflag's Set for an environment variable: it keeps the default, silently.
            }
        }
        cli.env.keySet().stream().filter(k -> k.startsWith("ETCDCTL_") && !known.contains(k)).sorted()
                .forEach(k -> log(cli, 'W', "unrecognized environment variable " + k + "=" + cli.env.get(k)));
    }

    private static Object convert(OptionSpec o, String value) {
        Class<?> t = o.type();
        if (t == boolean.class || t == Boolean.class) {
            return GoValues.parseBool(value);
        }
        if (t == java.time.Duration.class) {
            return GoValues.parseDuration(value);
        }
        if (List.class.isAssignableFrom(t)) {
            List<String> l = new ArrayList<>();
            for (String s : value.split(",")) {
                l.add(s);
            }
            return l;
        }
        return value;
    }

    /** capnslog's line format, as etcdctl's pkg/flags logs. */
    private static void log(Cli cli, char level, String msg) {
        String ts = ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS"));
        cli.err.println(ts + " " + level + " | pkg/flags: " + msg);
    }

    /**
     * The shutdown hook of Ctrl-C or SIGTERM: tells a holding command, then waits (up to 10 s) for it
     * to end. A class rather than a lambda: the launcher's archive is recorded from {@link #run} alone,
     * so a lambda of {@link #main} would be spun anew by every run; a class just loads.
     */
    private static final class Interrupter implements Runnable {
        private final CompletableFuture<Void> interrupted;
        private final CompletableFuture<Integer> exitCode;

        Interrupter(CompletableFuture<Void> interrupted, CompletableFuture<Integer> exitCode) {
            this.interrupted = interrupted;
            this.exitCode = exitCode;
        }

        @Override
        public void run() {
            interrupted.complete(null);
            try {
                exitCode.get(10, java.util.concurrent.TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                // The command did not end in time: exit without it, as the signal asked.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Ends the run with this exit code and nothing more printed. */
    static final class FatalExit extends CliException {
        FatalExit(int code) {
            super(code, "");
        }
    }

    /** What etcdctl does with a panic: message on stderr, exit code 2. */
    static final class GoPanic extends RuntimeException {
        GoPanic(String message) {
            super(message, null, false, false);
        }
    }
}
