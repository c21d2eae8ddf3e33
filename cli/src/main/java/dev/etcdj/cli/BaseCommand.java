package dev.etcdj.cli;

import dev.etcdj.cli.output.Printer;
import dev.etcdj.client.EtcdClient;
import dev.etcdj.client.Member;
import dev.etcdj.client.MemberListResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * What every command shares: access to the run's {@link Cli}, printing once the client flags are
 * valid, hex member IDs and --cluster's endpoint list. A runnable command class also implements
 * {@code Callable<Integer>} (see {@link EtcdctlCommand}); a command group with {@code @Command}
 * methods as its subcommands extends this class directly, and its methods use the same helpers.
 */
abstract class BaseCommand {

    @Spec
    CommandSpec spec;

    Cli cli() {
        return ((RootCommand) spec.root().userObject()).cli;
    }

    static CliException badArgs(String message) {
        return new CliException(CliException.EXIT_BAD_ARGS, message);
    }

    /** Prints through etcdctl's display for the chosen --write-out, once the client flags are valid. */
    void display(Consumer<Printer> print) {
        Cli cli = cli();
        cli.client(); // validates the format (and the TLS and auth flags) as mustClientFromCmd does
        print.accept(cli.printer());
    }

    /** Waits for the call (as {@link Cli#await}), then prints its response: exit code 0. */
    <T> int show(CompletableFuture<T> call, BiConsumer<Printer, T> print) {
        T r = cli().await(call);
        display(p -> print.accept(p, r));
        return 0;
    }

    /** strconv.ParseUint(s, 16, 64), with Go's error text. */
    static long parseHexId(String s) {
        String goError = "strconv.ParseUint: parsing " + GoValues.quote(s) + ": ";
        if (s.isEmpty() || !s.chars().allMatch(c -> c < 128 && Character.digit(c, 16) >= 0)) {
            throw new GoValues.BadValue(s, goError + "invalid syntax");
        }
        try {
            return Long.parseUnsignedLong(s, 16);
        } catch (NumberFormatException e) {
            throw new GoValues.BadValue(s, goError + "value out of range");
        }
    }

    /** Member commands: a bad ID is an argument error naming the Go error. */
    static long memberIdArg(String s) {
        try {
            return parseHexId(s);
        } catch (GoValues.BadValue e) {
            throw badArgs("bad member ID arg (" + e.getMessage() + "), expecting ID in Hex");
        }
    }

    /**
     * endpointsFromCluster: the --endpoints as given, or with --cluster every member's client URLs,
     * listed by a client without auth (listing members needs none, and a prompt would be needless).
     */
    List<String> endpointsFromCluster(boolean cluster) {
        Cli cli = cli();
        if (!cluster) {
            return cli.endpoints();
        }
        EtcdClient c = cli.clientFor(cli.endpoints(), false);
        MemberListResponse members = cli.await(c.cluster().memberList(), CliException.EXIT_ERROR,
                m -> "failed to fetch endpoints from etcd cluster member list: " + m);
        List<String> urls = new ArrayList<>();
        for (Member m : members.members()) {
            urls.addAll(m.clientUrls());
        }
        return urls;
    }

    /** What {@link #askEach} got: a result per endpoint that answered, and the last failure's message (or null). */
    record Asked<R>(List<R> results, String lastError) {}

    /**
     * Asks each endpoint in turn, as etcdctl's per-endpoint commands do: a failure is printed as
     * {@code <failure with %s the endpoint> (<error>)} on stderr and the next endpoint is asked.
     */
    <T, R> Asked<R> askEach(List<String> endpoints, String failure, Function<String, CompletableFuture<T>> call,
                            BiFunction<String, T, R> result) {
        Cli cli = cli();
        List<R> results = new ArrayList<>();
        String lastError = null;
        for (String ep : endpoints) {
            try {
                results.add(result.apply(ep, cli.await(call.apply(ep))));
            } catch (CliException e) {
                lastError = e.getMessage();
                cli.err.println(failure.replace("%s", ep) + " (" + e.getMessage() + ")");
            }
        }
        return new Asked<>(results, lastError);
    }

    /** A client whose endpoints include {@code endpoints}, for calls aimed at one member each. */
    EtcdClient clientOn(List<String> endpoints) {
        Cli cli = cli();
        if (endpoints.equals(cli.endpoints())) {
            return cli.client();
        }
        return endpoints.isEmpty() ? cli.client() : cli.clientFor(endpoints, true);
    }
}
