package dev.etcdj.cli;

import dev.etcdj.client.EtcdClient;
import dev.etcdj.client.GetResponse;
import dev.etcdj.recipes.Mutex;
import dev.etcdj.recipes.Session;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;

/**
 * etcdctl's lock (lock_command.go) on the {@link Mutex} recipe, which keeps Go's key layout, so
 * etcdj and etcdctl (or any Go concurrency.Mutex) queue for the same lock. Without a command it
 * prints the lock's key and holds the lock until interrupted; with one it runs it while holding the
 * lock (ETCD_LOCK_KEY and ETCD_LOCK_REV in its environment) and exits as it did.
 */
final class LockCommand extends SessionCommand implements RootCommand.Modeled {

    long ttl;

    @Override
    public CommandSpec model() {
        Model m = model("lock", "Acquires a named lock",
                "lock <lockname> [exec-command arg1 arg2 ...]");
        m.option("ttl", "--ttl").defaultValue("10")
                .description("timeout for session");
        return m.spec();
    }

    @Override
    public Integer call() {
        if (cmd.args.isEmpty()) {
            throw badArgs("lock takes a lock name argument and an optional command to execute");
        }
        Cli cli = cli();
        EtcdClient client = cli.clientWithoutDeadline();
        // concurrency.WithTTL ignores a TTL that is not positive: the session keeps Go's default.
        Session session = awaitOrInterrupt(
                Session.createAsync(client, ttl > 0 ? ttl : Session.DEFAULT_TTL_SECONDS));
        Mutex mutex = new Mutex(session, cmd.args.get(0));
        awaitOrInterrupt(mutex.lock());
        List<String> exec = cmd.args.subList(1, cmd.args.size());
        if (!exec.isEmpty()) {
            String failure = ExecCommand.run(cli, exec, Map.of("ETCD_LOCK_KEY", mutex.key().toStringUtf8(),
                    "ETCD_LOCK_REV", Long.toString(mutex.header().revision())));
            awaitOrInterrupt(mutex.unlock());
            if (failure != null) {
                throw new CliException(CliException.EXIT_ERROR, failure);
            }
            return 0;
        }
        GetResponse held = awaitOrInterrupt(client.kv().get(mutex.key()));
        if (held.kvs().isEmpty()) {
            throw new CliException(CliException.EXIT_ERROR, "lock lost on init");
        }
        cli.printer().get(held);
        cli.out.flush();
        return untilInterruptedOrEnded(session, mutex::unlock, "session expired");
    }
}
