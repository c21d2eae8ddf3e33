package dev.etcdj.cli;

import dev.etcdj.cli.output.GoFormat;
import dev.etcdj.cli.output.Printer;
import dev.etcdj.cli.output.Printer.EpHashKv;
import dev.etcdj.cli.output.Printer.EpHealth;
import dev.etcdj.cli.output.Printer.EpStatus;
import dev.etcdj.client.Bytes;
import dev.etcdj.client.EtcdClient;
import dev.etcdj.client.PermissionDeniedException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ScopeType;

/** etcdctl's endpoint commands (ep_command.go). */
final class EndpointCommand implements RootCommand.Modeled {

    boolean cluster;

    @Override
    public CommandSpec model() {
        Model m = Model.of(this, "endpoint", "Endpoint related commands", "endpoint <subcommand>");
        m.option("cluster", "--cluster").arity("0..1").fallbackValue("true").defaultValue("false").scopeType(ScopeType.INHERIT)
                .description("use all endpoints from the cluster member list");
        return m.args(new CommandArgs()).subcommand(new Health().model()).subcommand(new Status().model()).subcommand(new HashKv().model()).spec();
    }

    /** The inherited --cluster as set on the subcommand's own copy of the option. */
    static boolean clusterFlag(picocli.CommandLine.Model.CommandSpec spec) {
        Object v = spec.findOption("--cluster").getValue();
        return Boolean.TRUE.equals(v);
    }

    /** status and hashkv: one call per endpoint (every member's with --cluster) through one client. */
    abstract static class PerEndpointCommand extends EtcdctlCommand {
        /** Once the client flags are valid, asks each endpoint in turn (see {@link #askEach}) and prints what answered. */
        <T, R> Asked<R> askEndpoints(String failure, BiFunction<EtcdClient, String, CompletableFuture<T>> call,
                                     BiFunction<String, T, R> result, BiConsumer<Printer, List<R>> print) {
            cli().client();
            List<String> endpoints = endpointsFromCluster(clusterFlag(spec));
            EtcdClient c = clientOn(endpoints);
            Asked<R> asked = askEach(endpoints, failure, ep -> call.apply(c, ep), result);
            display(p -> print.accept(p, asked.results()));
            return asked;
        }
    }

    static final class Health extends EtcdctlCommand {
        CommandSpec model() {
            return model("health", "Checks the healthiness of endpoints specified in `--endpoints` flag", "health").spec();
        }

        @Override
        public Integer call() throws InterruptedException {
            Cli cli = cli();
            List<String> endpoints = endpointsFromCluster(clusterFlag(spec));
            cli.client(); // the flags are checked before any endpoint is asked
            // One client per endpoint, all asked at once; results in the order they come, as etcdctl's channel.
            List<EpHealth> results = Collections.synchronizedList(new ArrayList<>());
            List<CompletableFuture<Void>> all = new ArrayList<>();
            for (String ep : endpoints) {
                EtcdClient c = cli.clientFor(List.of(ep), true);
                long start = System.nanoTime();
                CompletableFuture<Void> f = c.kv().get(Bytes.of("health"))
                        .orTimeout(Math.max(1, cli.global.commandTimeout.toMillis()), java.util.concurrent.TimeUnit.MILLISECONDS)
                        .handle((r, e) -> {
                            String took = GoFormat.goDuration(System.nanoTime() - start);
                            Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null
                                    ? e.getCause() : e;
                            // Permission denied still went through consensus: the member is healthy.
                            if (cause == null || cause instanceof PermissionDeniedException) {
                                results.add(new EpHealth(ep, true, took, ""));
                            } else {
                                String msg = cause instanceof java.util.concurrent.TimeoutException
                                        ? "context deadline exceeded" : Cli.errorText(cause);
                                results.add(new EpHealth(ep, false, took, msg));
                            }
                            return null;
                        });
                all.add(f);
            }
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
            List<EpHealth> list = List.copyOf(results);
            display(p -> p.endpointHealth(list));
            if (list.stream().anyMatch(h -> !h.error().isEmpty())) {
                throw new CliException(CliException.EXIT_ERROR, "unhealthy cluster");
            }
            return 0;
        }
    }

    static final class Status extends PerEndpointCommand {
        CommandSpec model() {
            return model("status", "Prints out the status of endpoints specified in `--endpoints` flag", "status")
                    .footer("When --write-out is set to simple, this command prints out comma-separated status lists for each endpoint.",
                            "The items in the lists are endpoint, ID, version, db size, is leader, is learner, raft term, raft index, raft applied index, errors.",
                            "").spec();
        }

        @Override
        public Integer call() {
            Asked<EpStatus> asked = askEndpoints("Failed to get the status of endpoint %s",
                    (c, ep) -> c.maintenance().status(ep), EpStatus::new, Printer::endpointStatus);
            return asked.lastError() != null ? CliException.EXIT_ERROR : 0;
        }
    }

    static final class HashKv extends PerEndpointCommand {
        long rev;

        CommandSpec model() {
            Model m = model("hashkv", "Prints the KV history hash for each endpoint in --endpoints", "hashkv");
            m.option("rev", "--rev").defaultValue("0").description("maximum revision to hash (default: all revisions)");
            return m.spec();
        }

        @Override
        public Integer call() {
            Asked<EpHashKv> asked = askEndpoints("Failed to get the hash of endpoint %s",
                    (c, ep) -> c.maintenance().hashKv(ep, rev), EpHashKv::new, Printer::endpointHashKv);
            if (asked.lastError() != null) {
                throw new CliException(CliException.EXIT_ERROR, asked.lastError());
            }
            return 0;
        }
    }
}
