package dev.etcdj.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Runs one scripted sequence of commands through the real {@code /usr/bin/etcdctl} against one fresh
 * etcd, and through etcdj's {@link Main} (in-process) against another fresh etcd, and requires the
 * same stdout, stderr and exit code at every step.
 *
 * <p>What is normalised, and why: the two servers have different cluster and member IDs (JSON
 * {@code cluster_id}/{@code member_id}, fields {@code ClusterID}/{@code MemberID}), and lease IDs are
 * chosen by each server (hex in simple output, decimal in JSON and fields); the raft term is
 * normalised too, and so is a lease's remaining TTL (whole seconds left depend on how long each
 * process took to start). etcdctl 3.4 also logs a zap JSON warning line (with a timestamp and a random client
 * ID) before every server error: those lines are dropped from its stderr, etcdj does not print them.
 */
class EtcdctlParityIT {

    private RealEtcd forEtcdctl;
    private RealEtcd forEtcdj;

    @BeforeEach
    void start() throws Exception {
        forEtcdctl = new RealEtcd();
        forEtcdj = new RealEtcd();
    }

    @AfterEach
    void stop() {
        if (forEtcdctl != null) {
            forEtcdctl.close();
        }
        if (forEtcdj != null) {
            forEtcdj.close();
        }
    }

    record Step(String stdin, String... args) {
        static Step of(String... args) {
            return new Step("", args);
        }
    }

    record Result(String out, String err, int code) {}

    /** One tool against one server: what a step prints and exits with there. */
    interface Side {
        Result run(Step s) throws Exception;
    }

    /** The scripts that use leases; ServerParityIT runs the same ones against etcdj's server. */
    static Stream<Arguments> leaseScripts() {
        return Stream.of(Arguments.of("kv, txn and compaction", kvScript()),
                Arguments.of("leases and a cancelled watch", leaseScript()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("leaseScripts")
    void scriptMatchesEtcdctl(String what, List<Step> script) throws Exception {
        runWithLeases(script, this::etcdctl, this::etcdj, "etcdj");
    }

    private static List<Step> kvScript() {
        return List.of(
                Step.of("put", "foo", "bar"),
                Step.of("get", "foo"),
                Step.of("get", "foo", "-w", "json"),
                Step.of("get", "foo", "-w", "fields"),
                Step.of("put", "foo", "bar2", "--prev-kv"),
                Step.of("put", "foo", "bar3", "--prev-kv", "-w", "json"),
                Step.of("put", "foo", "bar4", "--prev-kv", "-w", "fields"),
                new Step("from stdin\n", "put", "stdinkey"),
                new Step("", "put", "stdinkey"),
                Step.of("put", "", "v"),
                Step.of("put", "k", "v", "--lease", "zz"),
                Step.of("put", "k", "v", "--lease", "1234"),
                Step.of("put", "a", "1"), Step.of("put", "b", "2"), Step.of("put", "c", "3"),
                Step.of("put", "quoted", "h\u0001\"\t\\é"),
                Step.of("get", "quoted", "-w", "fields"),
                Step.of("get", "quoted", "--hex"),
                Step.of("get", "a", "c"),
                Step.of("get", "", "--prefix", "--keys-only"),
                Step.of("get", "", "--from-key", "--limit", "2", "-w", "fields"),
                Step.of("get", "", "--prefix", "--sort-by", "value", "--order", "descend", "--print-value-only"),
                Step.of("get", "", "--prefix", "--sort-by", "MODIFY", "-w", "json"),
                Step.of("get", "a", "--rev", "1"),
                Step.of("get", "a", "--rev", "1000"),
                Step.of("get", "nokey", "-w", "json"),
                Step.of("get", "nokey", "-w", "fields"),
                Step.of("get", "a", "--print-value-only", "-w", "json"),
                Step.of("get", "k", "--sort-by", "foo"),
                Step.of("get", "k", "--consistency", "x"),
                Step.of("get", "--prefix", "--from-key", "a"),
                Step.of("get"),
                Step.of("get", "--bogus", "foo"),
                Step.of("get", "foo", "--rev", "abc"),
                Step.of("get", "foo", "-x"),
                Step.of("get", "foo", "-w", "table"),
                Step.of("get", "foo", "-w", "bogus"),
                Step.of("ge", "foo"),
                Step.of("bogus"),
                Step.of("put", "-h"),
                Step.of("del", "a"),
                Step.of("del", "b", "c", "--prev-kv"),
                Step.of("del", "x", "--prefix", "--prev-kv", "-w", "json"),
                Step.of("del", "", "--from-key", "--prev-kv", "-w", "fields"),
                Step.of("del"),
                Step.of("put", "foo", "base"),
                new Step("mod(\"foo\") > \"0\"\n\nput foo bar9\nget foo\ndel nokey\n\nput foo fail\n\n", "txn"),
                new Step("mod(\"foo\") > \"0\"\n\nput foo bar9\nget foo\ndel nokey\n\nput foo fail\n\n", "txn", "-w", "json"),
                new Step("mod(\"foo\") > \"0\"\n\nput foo x --prev-kv\nget foo\n\n\n", "txn", "-w", "fields"),
                new Step("value(\"foo\") = \"nope\"\n\nput foo bar9\n\nput foo fail\nget foo\n\n", "txn", "-i"),
                new Step("", "txn"),
                new Step("bogus\n\n\n", "txn"),
                new Step("ver(\"foo\") = \"x\"\n\n\n", "txn"),
                new Step("mod(foo) > \"0\"\n\n\n", "txn"),
                new Step("\nfoo bar\n\n\n", "txn"),
                new Step("\nput a\n\n\n", "txn"),
                new Step("\nget foo --bogus\n\n\n", "txn"),
                new Step("\nput a b\nput a c\n\n\n", "txn"),
                new Step("\nput \"a b\" \"c d\"\nget \"a b\"\n\n\n", "txn"),
                Step.of("txn", "extra"),
                Step.of("compaction", "3"),
                Step.of("compaction", "3"),
                Step.of("compaction", "1000"),
                Step.of("compaction", "abc"),
                Step.of("compaction"),
                Step.of("compaction", "--physical", "5"),
                Step.of("get", "foo", "--rev", "2"),
                Step.of("version"));
    }

    private static List<Step> leaseScript() {
        return List.of(
                Step.of("lease", "grant", "100"),
                Step.of("put", "lk", "v", "--lease", "$LEASE"),
                Step.of("get", "lk", "-w", "json"),
                Step.of("lease", "timetolive", "$LEASE"),
                Step.of("lease", "timetolive", "$LEASE", "--keys", "-w", "json"),
                Step.of("lease", "timetolive", "$LEASE", "--keys", "-w", "fields"),
                Step.of("lease", "keep-alive", "--once", "$LEASE"),
                Step.of("lease", "keep-alive", "--once", "$LEASE", "-w", "json"),
                Step.of("lease", "list"),
                Step.of("lease", "list", "-w", "fields"),
                Step.of("lease", "revoke", "$LEASE"),
                Step.of("lease", "revoke", "$LEASE"),
                Step.of("lease", "timetolive", "$LEASE"),
                Step.of("lease", "keep-alive", "--once", "$LEASE"),
                Step.of("lease", "grant", "100", "-w", "json"),
                Step.of("lease", "grant", "abc"),
                Step.of("lease", "grant"),
                Step.of("lease", "revoke", "zz"),
                Step.of("lease"),
                Step.of("put", "foo", "1"), Step.of("put", "foo", "2"), Step.of("put", "foo", "3"),
                Step.of("compaction", "4"),
                Step.of("watch", "--rev", "1", "foo"),
                Step.of("watch"),
                Step.of("watch", "a", "b", "--prefix"),
                Step.of("watch", "a", "--"));
    }

    /**
     * Runs every step on both sides and requires the same normalised result; {@code label} starts the
     * failure message. Each server picks its own lease IDs: "$LEASE" stands for the last one granted on
     * that side.
     */
    static void runWithLeases(List<Step> steps, Side expectedSide, Side actualSide, String label) throws Exception {
        String[] lease = {"0", "0"};
        for (Step s : steps) {
            Result expected = expectedSide.run(withLease(s, lease[0]));
            Result actual = actualSide.run(withLease(s, lease[1]));
            lease[0] = grantedLease(expected, lease[0]);
            lease[1] = grantedLease(actual, lease[1]);
            assertThat(normalise(actual)).as("%s %s (stdin %s)", label, String.join(" ", s.args()), s.stdin())
                    .isEqualTo(normalise(expected));
        }
    }

    private static Step withLease(Step s, String lease) {
        return new Step(s.stdin(), java.util.Arrays.stream(s.args()).map(a -> a.replace("$LEASE", lease))
                .toArray(String[]::new));
    }

    private static String grantedLease(Result r, String previous) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^lease ([0-9a-f]{16}) granted").matcher(r.out());
        return m.find() ? m.group(1) : previous;
    }

    private Result etcdctl(Step s) throws Exception {
        return AdminRunner.etcdctl(List.of("--endpoints", forEtcdctl.endpoint), s);
    }

    private Result etcdj(Step s) {
        return AdminRunner.etcdj(List.of("--endpoints", forEtcdj.endpoint), s);
    }

    static Result normalise(Result r) {
        return new Result(normalise(r.out()), normalise(AdminRunner.dropZapLines(r.err())), r.code());
    }

    static String normalise(String s) {
        return s.replaceAll("\"cluster_id\":\\d+", "\"cluster_id\":CLUSTER")
                .replaceAll("\"member_id\":\\d+", "\"member_id\":MEMBER")
                .replaceAll("\"raft_term\":\\d+", "\"raft_term\":TERM")
                .replaceAll("\"(ClusterID|MemberID|RaftTerm)\" : \\d+", "\"$1\" : X")
                .replaceAll("\"(ID|id)\" ?: ?\\d+", "\"$1\":LEASE")
                .replaceAll("\"lease\":\\d+", "\"lease\":LEASE")
                .replaceAll("\"(Lease|PrevLease)\" : [1-9]\\d*", "\"$1\" : LEASE")
                .replaceAll("\\b[0-9a-f]{16}\\b", "LEASEHEX")
                .replaceAll("remaining\\(\\d+s\\)", "remaining(Ns)")
                .replaceAll("\"ttl\":\\d+", "\"ttl\":N")
                .replaceAll("\"TTL\" : \\d+\n\"GrantedTTL\"", "\"TTL\" : N\n\"GrantedTTL\"");
    }
}
