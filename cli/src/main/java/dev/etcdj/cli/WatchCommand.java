package dev.etcdj.cli;

import dev.etcdj.cli.output.GoFormat;
import dev.etcdj.cli.output.Printer;
import dev.etcdj.client.Bytes;
import dev.etcdj.client.CompactedException;
import dev.etcdj.client.EtcdClient;
import dev.etcdj.client.EtcdException;
import dev.etcdj.client.Options;
import dev.etcdj.client.ResponseHeader;
import dev.etcdj.client.WatchEvent;
import dev.etcdj.client.WatchListener;
import dev.etcdj.client.WatchOption;
import dev.etcdj.client.WatchResponse;
import dev.etcdj.client.Watcher;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * etcdctl's watch (watch_command.go): a key or range from the arguments or ETCDCTL_WATCH_KEY, events
 * printed as they come, an optional command run per event ({@code watch key -- cmd cmd.args}), and an
 * interactive mode reading "watch ..." and "progress" lines from stdin.
 */
final class WatchCommand extends EtcdctlCommand implements RootCommand.Modeled {

    boolean interactive;
    boolean prefix;
    long rev;
    boolean prevKv;

    /** What the printing loop takes from the watch callbacks. */
    private record Item(WatchResponse response, EtcdException error, List<String> exec) {}

    private static final Object STOP = new Object();

    @Override
    public CommandSpec model() {
        Model m = model("watch", "Watches events stream on keys or prefixes",
                "watch [options] [key or prefix] [range_end] [--] [exec-command arg1 arg2 ...]");
        m.option("interactive", "-i", "--interactive")
                .description("Interactive mode");
        m.option("prefix", "--prefix")
                .description("Watch on a prefix if prefix is set");
        m.option("rev", "--rev").defaultValue("0")
                .description("Revision to start watching");
        m.option("prevKv", "--prev-kv")
                .description("get the previous key-value pair before the event happens");
        return m.spec();
    }

    @Override
    public Integer call() throws InterruptedException {
        Cli cli = cli();
        String envKey = cli.env.getOrDefault("ETCDCTL_WATCH_KEY", "");
        String envRange = cli.env.getOrDefault("ETCDCTL_WATCH_RANGE_END", "");
        if (envKey.isEmpty() && !envRange.isEmpty()) {
            throw badArgs("ETCDCTL_WATCH_KEY is empty but got ETCDCTL_WATCH_RANGE_END=" + GoValues.quote(envRange));
        }
        if (interactive) {
            return interactive(cli, envKey, envRange);
        }
        // The exec command is what follows "--" after "watch" in the raw arguments, as etcdctl finds it.
        List<String> raw = Arrays.asList(cli.rawArgs);
        int w = raw.indexOf("watch");
        List<String> after = w >= 0 ? raw.subList(w + 1, raw.size()) : raw;
        int sep = after.indexOf("--");
        List<String> exec = sep >= 0 ? after.subList(sep + 1, after.size()) : List.of();
        if (sep >= 0 && exec.isEmpty()) {
            throw badArgs("bad number of arguments (found separator --, but no commands)");
        }
        List<String> watchArgs = new ArrayList<>(cmd.args.subList(0, cmd.args.size() - Math.min(exec.size(), cmd.args.size())));
        if (sep < 0 && after.isEmpty() && envKey.isEmpty()) {
            throw badArgs("bad number of arguments");
        }
        if (!envKey.isEmpty() && !watchArgs.isEmpty()) {
            throw badArgs("bad number of arguments (found conflicting environment key)");
        }
        if (!envKey.isEmpty()) {
            watchArgs.add(0, envKey);
            if (!envRange.isEmpty()) {
                watchArgs.add(1, envRange);
            }
        }
        EtcdClient client = cli.client();
        LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
        Watcher watcher = watch(client, watchArgs, prefix, rev, prevKv, queue, exec);
        var stop = cli.interrupted.thenRun(() -> queue.add(STOP));
        try {
            return printLoop(cli, queue, false);
        } finally {
            stop.cancel(false);
            watcher.close();
        }
    }

    /** getWatchChan: checks the arguments, then starts the watch. */
    private static Watcher watch(EtcdClient client, List<String> watchArgs, boolean prefix, long rev, boolean prevKv,
                                 LinkedBlockingQueue<Object> queue, List<String> exec) {
        if (watchArgs.isEmpty()) {
            throw badArgs("bad number of arguments");
        }
        List<WatchOption> opts = new ArrayList<>();
        if (rev != 0) {
            opts.add(Options.revision(rev));
        }
        if (watchArgs.size() == 2) {
            if (prefix) {
                throw badArgs("`range_end` and `--prefix` are mutually exclusive");
            }
            opts.add(Options.range(watchArgs.get(1)));
        }
        if (prefix) {
            opts.add(Options.prefix());
        }
        if (prevKv) {
            opts.add(Options.prevKv());
        }
        return client.watch().watch(Bytes.of(watchArgs.get(0)), new WatchListener() {
            @Override
            public void onNext(WatchResponse response) {
                queue.add(new Item(response, null, exec));
            }

            @Override
            public void onError(EtcdException error) {
                queue.add(new Item(null, error, exec));
            }
        }, opts.toArray(WatchOption[]::new));
    }

    /** printWatchCh, until the watch is cancelled by the server (exit 5) or the user interrupts (exit 130). */
    private static int printLoop(Cli cli, LinkedBlockingQueue<Object> queue, boolean keepGoing) throws InterruptedException {
        Printer printer = cli.printer();
        ResponseHeader last = ResponseHeader.EMPTY;
        while (true) {
            Object o = queue.take();
            if (o == STOP) {
                return 130;
            }
            if (o instanceof CliException e) {
                throw e;
            }
            Item item = (Item) o;
            if (item.error() != null) {
                cli.err.println("watch was canceled (" + Cli.errorText(item.error()) + ")");
                long compactRev = item.error() instanceof CompactedException c ? c.compactRevision() : 0;
                printer.watch(new ResponseHeader(last.clusterId(), last.memberId(), 0, last.raftTerm()), List.of(),
                        compactRev, true);
                cli.out.flush();
                if (keepGoing) {
                    continue;
                }
                throw new CliException(CliException.EXIT_INTERRUPTED, "watch is canceled by the server");
            }
            WatchResponse r = item.response();
            last = r.header();
            if (r.isProgressNotify()) {
                cli.out.println("progress notify: " + r.header().revision());
            }
            printer.watch(r.header(), r.events(), 0, false);
            cli.out.flush();
            for (WatchEvent ev : r.events()) {
                if (!item.exec().isEmpty()) {
                    runExec(cli, item.exec(), r.header().revision(), ev);
                }
            }
        }
    }

    private static void runExec(Cli cli, List<String> exec, long revision, WatchEvent ev) {
        String failure = ExecCommand.run(cli, exec, Map.of(
                "ETCD_WATCH_REVISION", Long.toString(revision),
                "ETCD_WATCH_EVENT_TYPE", GoValues.quote(ev.type().name()),
                "ETCD_WATCH_KEY", GoFormat.quote(ev.kv().key().unsafeArray()),
                "ETCD_WATCH_VALUE", GoFormat.quote(ev.kv().value().unsafeArray())));
        if (failure == null) {
            return;
        }
        StringBuilder q = new StringBuilder("[");
        for (int i = 0; i < exec.size(); i++) {
            q.append(i > 0 ? " " : "").append(GoValues.quote(exec.get(i)));
        }
        cli.err.println("command " + q + "] error (" + failure + ")");
        throw new Main.FatalExit(1);
    }

    /** watchInteractiveFunc: one "watch ..." or "progress" request per stdin line, until stdin ends. */
    private int interactive(Cli cli, String envKey, String envRange) throws InterruptedException {
        EtcdClient client = cli.client();
        LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
        List<Watcher> watchers = new ArrayList<>();
        Thread reader = new Thread(() -> {
            while (true) {
                String l;
                try {
                    l = TxnCommand.readLine(cli.in);
                } catch (CliException e) {
                    queue.add(new CliException(CliException.EXIT_INVALID_INPUT,
                            "Error reading watch request line: " + e.getMessage()));
                    return;
                }
                List<String> a = GoScan.argify(l);
                if (a.isEmpty()) {
                    cli.err.println("Invalid command: " + l + " (watch and progress supported)");
                    continue;
                }
                switch (a.get(0)) {
                    case "watch" -> {
                        if (a.size() < 2 && envKey.isEmpty()) {
                            cli.err.println("Invalid command " + l + " (command type or key is not provided)");
                            continue;
                        }
                        WatchCommand w = new WatchCommand();
                        List<String> rest = a.subList(1, a.size());
                        int sep = rest.indexOf("--");
                        List<String> exec = sep >= 0 ? rest.subList(sep + 1, rest.size()) : List.of();
                        try {
                            CommandLine line = new CommandLine(w.model()).registerConverter(long.class, s -> GoValues.parseInt(s, 10))
                                    .setExpandAtFiles(false);
                            Main.goBoolFlags(line.getCommandSpec());
                            line.parseArgs(rest.toArray(String[]::new));
                        } catch (CommandLine.ParameterException e) {
                            queue.add(new CliException(CliException.EXIT_BAD_ARGS, Main.pflagMessage(e, rest.toArray(String[]::new))));
                            return;
                        }
                        List<String> wargs = new ArrayList<>(w.cmd.args.subList(0, w.cmd.args.size() - exec.size()));
                        if (!envKey.isEmpty()) {
                            wargs.add(0, envKey);
                            if (!envRange.isEmpty()) {
                                wargs.add(1, envRange);
                            }
                        }
                        try {
                            watchers.add(watch(client, wargs, w.prefix, w.rev, w.prevKv, queue, exec));
                        } catch (CliException e) {
                            cli.err.println("Invalid command " + l + " (" + e.getMessage() + ")");
                        }
                    }
                    case "progress" -> client.watch().requestProgress();
                    default -> cli.err.println("Invalid command " + l + " (only support watch)");
                }
            }
        }, "etcdj-watch-stdin");
        reader.setDaemon(true);
        reader.start();
        var stop = cli.interrupted.thenRun(() -> queue.add(STOP));
        try {
            return printLoop(cli, queue, true);
        } finally {
            stop.cancel(false);
            watchers.forEach(Watcher::close);
        }
    }
}
