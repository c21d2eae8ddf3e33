package dev.etcdj.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.etcdj.cli.EtcdctlParityIT.Result;
import dev.etcdj.cli.EtcdctlParityIT.Step;
import dev.etcdj.client.EtcdClient;
import dev.etcdj.testing.Await;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * etcdctl's {@code lock} and {@code elect} against etcdj's, on real etcd and on our server: the same
 * output and exit codes (lease IDs and revisions normalised), and, since both sides keep Go's
 * concurrency key layout, one tool waits for the lock or leadership the other holds.
 */
class LockElectParityIT {

    private static final Duration T = Duration.ofSeconds(30);
    @RegisterExtension
    final Background bg = new Background();

    @ParameterizedTest
    @ValueSource(strings = {"etcd", "etcdj"})
    void argumentErrorsHelpAndACommandRunUnderTheLock(String target) throws Exception {
        List<String> global = List.of("--endpoints", bg.server(target));
        String script = "echo key=$ETCD_LOCK_KEY rev=$ETCD_LOCK_REV; echo to-stderr >&2; exit 3";
        for (Step s : List.of(Step.of("lock"), Step.of("elect"), Step.of("elect", "e"), Step.of("elect", "-l", "e", "p"),
                Step.of("elect", "a", "b", "c"), Step.of("lock", "--help"), Step.of("elect", "--help"),
                Step.of("lock", "--ttl", "5", "mylock", "--", "/bin/sh", "-c", script),
                Step.of("lock", "mylock", "--", "/bin/sh", "-c", "exit 0"),
                Step.of("lock", "mylock", "--", "/nonexistent/command"))) {
            Result expected = normalise(AdminRunner.etcdctl(global, s));
            Result actual = normalise(AdminRunner.etcdj(global, s));
            assertThat(actual).as(String.join(" ", s.args())).isEqualTo(expected);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"etcd", "etcdj"})
    void eachToolWaitsForTheLockTheOtherHolds(String target) throws Exception {
        String ep = bg.server(target);
        try (EtcdClient c = EtcdClient.builder().endpoints(ep).build()) {
            // etcdctl holds the lock; etcdj queues behind it and runs its command once etcdctl lets go.
            Background.Bg etcdctl = etcdctl(ep, "lock", "L");
            Await.until(T, "etcdctl holds the lock", () -> etcdctl.out().endsWith("\n\n"));
            Background.InProcess etcdj = etcdj(ep, "lock", "L", "--", "/bin/sh", "-c", "echo acquired");
            Await.until(T, "etcdj queued", () -> c.kv().get("L/", dev.etcdj.client.Options.prefix()).join().count() == 2);
            assertThat(etcdj.code()).isNotDone();
            etcdctl.process().destroy(); // SIGTERM: etcdctl unlocks and exits 0
            assertThat(etcdctl.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(etcdctl.process().exitValue()).isZero();
            assertThat(etcdj.code().get(30, TimeUnit.SECONDS)).isZero();
            assertThat(etcdj.out()).isEqualTo("acquired\n");

            // The other way round; the holders print the same thing.
            Background.InProcess holder = etcdj(ep, "lock", "L");
            Await.until(T, "etcdj holds the lock", () -> holder.out().endsWith("\n\n"));
            assertThat(normalise(holder.out())).isEqualTo(normalise(etcdctl.out())).isEqualTo("L/LEASE\n\n");
            Background.Bg waiter = etcdctl(ep, "lock", "L", "--", "/bin/sh", "-c", "echo acquired");
            Await.until(T, "etcdctl queued", () -> c.kv().get("L/", dev.etcdj.client.Options.prefix()).join().count() == 2);
            assertThat(waiter.process().isAlive()).isTrue();
            holder.interrupted().complete(null); // Ctrl-C: etcdj unlocks and exits 0
            assertThat(holder.code().get(30, TimeUnit.SECONDS)).isZero();
            assertThat(waiter.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(waiter.process().exitValue()).isZero();
            assertThat(waiter.out()).isEqualTo("acquired\n");
            assertThat(c.kv().get("L/", dev.etcdj.client.Options.prefix()).join().count()).isZero();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"etcd", "etcdj"})
    void eachToolObservesTheLeaderTheOtherElects(String target) throws Exception {
        String ep = bg.server(target);
        try (EtcdClient c = EtcdClient.builder().endpoints(ep).build()) {
            Background.Bg etcdctlObserver = etcdctl(ep, "elect", "-l", "E");
            Background.InProcess etcdjObserver = etcdj(ep, "elect", "-l", "E");
            // etcdj leads first, then resigns on Ctrl-C; then etcdctl leads.
            Background.InProcess etcdjLeader = etcdj(ep, "elect", "E", "leader");
            Await.until(T, "etcdj elected", () -> etcdjLeader.out().endsWith("leader\n"));
            Await.until(T, "both observers saw etcdj lead",
                    () -> etcdctlObserver.out().endsWith("leader\n") && etcdjObserver.out().endsWith("leader\n"));
            etcdjLeader.interrupted().complete(null);
            assertThat(etcdjLeader.code().get(30, TimeUnit.SECONDS)).isZero();
            Await.until(T, "etcdj resigned", () -> c.kv().get("E/", dev.etcdj.client.Options.prefix()).join().count() == 0);
            Background.Bg etcdctlLeader = etcdctl(ep, "elect", "E", "leader");
            Await.until(T, "etcdctl elected", () -> etcdctlLeader.out().endsWith("leader\n"));
            Await.until(T, "both observers saw etcdctl lead",
                    () -> count(etcdctlObserver.out(), "leader\n") == 2 && count(etcdjObserver.out(), "leader\n") == 2);
            assertThat(normalise(etcdjLeader.out())).isEqualTo(normalise(etcdctlLeader.out())).isEqualTo("E/LEASE\nleader\n");
            assertThat(normalise(etcdjObserver.out())).isEqualTo(normalise(etcdctlObserver.out()))
                    .isEqualTo("E/LEASE\nleader\nE/LEASE\nleader\n");
            etcdctlLeader.process().destroy();
            assertThat(etcdctlLeader.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(etcdctlLeader.process().exitValue()).isZero();
            etcdjObserver.interrupted().complete(null);
            assertThat(etcdjObserver.code().get(30, TimeUnit.SECONDS)).isZero();
            etcdctlObserver.process().destroy();
            assertThat(etcdctlObserver.process().waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(etcdctlObserver.process().exitValue()).isZero();
        }
    }

    private static int count(String s, String part) {
        return s.split(java.util.regex.Pattern.quote(part), -1).length - 1;
    }

    private Background.Bg etcdctl(String endpoint, String... args) throws Exception {
        return bg.etcdctl(endpoint, args);
    }

    private Background.InProcess etcdj(String endpoint, String... args) {
        return bg.etcdj(endpoint, args);
    }

    /** Lease IDs (the keys' last part) and revisions differ from run to run. */
    private static String normalise(String s) {
        return s.replaceAll("\\b(L|E|mylock)/[0-9a-f]+", "$1/LEASE").replaceAll("rev=\\d+", "rev=REV");
    }

    private static Result normalise(Result r) {
        return new Result(normalise(r.out()), normalise(r.err()), r.code());
    }
}
