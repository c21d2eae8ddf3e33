package dev.etcdj.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.etcdj.cli.EtcdctlParityIT.Result;
import dev.etcdj.cli.EtcdctlParityIT.Step;
import dev.etcdj.testing.EtcdjServerTarget;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The etcdctl parity scripts ({@link EtcdctlParityIT}, {@link AdminParityIT}) run through the real
 * {@code /usr/bin/etcdctl} twice: against a fresh real etcd and against a fresh etcdj server
 * ({@link EtcdjServerTarget}). Stdout, stderr and exit code must match at every step after the same
 * normalisation those tests use (IDs, terms, ports, sizes, "took"), plus what server/README.md lists
 * as deliberate differences, each normalised below with its reason.
 */
class ServerParityIT {

    private final Cleanup cleanup = new Cleanup();

    @AfterEach
    void cleanUp() throws Exception {
        cleanup.close();
    }

    /** etcdctl's --endpoints value for each side, host:port like RealEtcd's. */
    private record Endpoints(String etcd, String etcdj) {}

    private Endpoints fresh() throws Exception {
        RealEtcd real = new RealEtcd();
        cleanup.close(real);
        // Our peer URL is only advertised; it is given a loopback port like etcd's so both print alike.
        int peerPort;
        try (ServerSocket s = new ServerSocket(0)) {
            peerPort = s.getLocalPort();
        }
        EtcdjServerTarget ours = new EtcdjServerTarget(
                b -> b.advertisePeerUrls(List.of("http://127.0.0.1:" + peerPort)));
        cleanup.close(ours);
        ours.start();
        return new Endpoints(real.endpoint, ours.endpoint().replaceFirst("^http://", ""));
    }

    private Path tempDir() throws Exception {
        return cleanup.tempDir("etcdj-server-parity");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("dev.etcdj.cli.EtcdctlParityIT#leaseScripts")
    void leaseScriptMatchesEtcd(String what, List<Step> script) throws Exception {
        Endpoints e = fresh();
        EtcdctlParityIT.runWithLeases(script, s -> AdminRunner.etcdctl(List.of("--endpoints", e.etcd()), s),
                s -> AdminRunner.etcdctl(List.of("--endpoints", e.etcdj()), s), "etcdctl → etcdj:");
    }

    @Test
    void adminScript() throws Exception {
        Endpoints e = fresh();
        Path dirA = tempDir();
        Path dirB = tempDir();
        for (Step s : AdminParityIT.adminScript()) {
            Result expected = admin(AdminRunner.etcdctl(List.of("--endpoints", e.etcd()), AdminParityIT.withDir(s, dirA)),
                    e.etcd(), dirA);
            Result actual = admin(AdminRunner.etcdctl(List.of("--endpoints", e.etcdj()), AdminParityIT.withDir(s, dirB)),
                    e.etcdj(), dirB);
            assertThat(actual).as("etcdctl → etcdj: %s (stdin %s)", String.join(" ", s.args()), s.stdin()).isEqualTo(expected);
        }
        // Saved in etcd's format: the real etcdctl reads it (server/README.md "Snapshots").
        Result status = AdminRunner.etcdctl(List.of(), Step.of("snapshot", "status",
                dirB.resolve("snap.db").toString(), "-w", "json"));
        assertThat(status.code()).as(status.err()).isZero();
        assertThat(status.out()).matches("\\{\"hash\":\\d+,\"revision\":\\d+,\"totalKey\":\\d+,\"totalSize\":\\d+}\\s*");
    }

    private static Result admin(Result r, String endpoint, Path dir) {
        return new Result(AdminParityIT.normalise(dbSize(r.out()), endpoint, dir),
                AdminParityIT.normalise(dbSize(r.err()), endpoint, dir), r.code());
    }

    /** dbSize is the size of the RocksDB directory (server/README.md), printed as e.g. "9.8 kB". */
    private static String dbSize(String s) {
        return s.replaceAll("\\b[0-9.]+ (kB|MB|B)\\b", "N kB");
    }

    /**
     * Sorting on a non-key target: ties in version/create/mod/value come out in the order of etcd's
     * unstable sort (Go's pdqsort), which is not key order for more than 12 keys; and with order
     * NONE and a limit etcd sorts only the first limit+1 keys.
     */
    @Test
    void sortsWithTiesAndLimitsLikeEtcd() throws Exception {
        List<Step> steps = new ArrayList<>();
        for (int i = 1; i <= 30; i++) {
            steps.add(Step.of("put", String.format("k%02d", i), "v" + (i % 4)));
        }
        for (int i : new int[] {3, 7, 8, 12, 13, 19, 22, 25, 29, 30, 1}) {
            steps.add(Step.of("put", String.format("k%02d", i), "w"));
        }
        for (String target : List.of("VERSION", "CREATE", "MODIFY", "VALUE", "KEY")) {
            for (String order : List.of("ASCEND", "DESCEND")) {
                steps.add(Step.of("get", "k", "--prefix", "--keys-only", "--sort-by", target, "--order", order));
                steps.add(Step.of("get", "k", "--prefix", "--keys-only", "--sort-by", target, "--order", order,
                        "--limit", "3"));
            }
        }
        steps.add(Step.of("get", "k", "--prefix", "--keys-only", "--limit", "2", "--rev", "30"));
        Endpoints e = fresh();
        for (Step s : steps) {
            Result expected = AdminRunner.etcdctl(List.of("--endpoints", e.etcd()), s);
            Result actual = AdminRunner.etcdctl(List.of("--endpoints", e.etcdj()), s);
            assertThat(actual).as("etcdctl → etcdj: %s", String.join(" ", s.args())).isEqualTo(expected);
        }
    }

    /** Learners on a one-member cluster, and what etcd 3.4.23 says around them. */
    @Test
    void learnerMembershipScript() throws Exception {
        List<Step> steps = List.of(
                Step.of("member", "add", "l1", "--learner", "--peer-urls", "http://127.0.0.1:9"),
                Step.of("member", "list"),
                Step.of("member", "add", "l2", "--learner", "--peer-urls", "http://127.0.0.1:29"),
                // The same URLs again within one second would be "member ID already exist" (the ID hashes
                // the URLs and the second): adding a second URL keeps these steps time-independent.
                Step.of("member", "add", "l3", "--learner", "--peer-urls", "http://127.0.0.1:9,http://127.0.0.1:59"),
                Step.of("member", "add", "v1", "--peer-urls", "http://127.0.0.1:9,http://127.0.0.1:59"),
                Step.of("member", "add", "v1", "--peer-urls", "127.0.0.1:9"),
                Step.of("member", "add", "v1", "--peer-urls", "http://127.0.0.1:9/x"),
                Step.of("member", "promote", "$LEARNER"),
                Step.of("member", "update", "$LEARNER", "--peer-urls", "http://127.0.0.1:19"),
                Step.of("member", "list"),
                Step.of("member", "promote", "$LEARNER"),
                Step.of("member", "add", "l2", "--learner", "--peer-urls", "http://127.0.0.1:29"),
                Step.of("member", "add", "v1", "--peer-urls", "http://127.0.0.1:39"),
                Step.of("endpoint", "health"),
                Step.of("put", "still", "writable"),
                Step.of("member", "remove", "$LEARNER"),
                Step.of("member", "remove", "$LEARNER"),
                Step.of("member", "update", "$LEARNER", "--peer-urls", "http://127.0.0.1:19"),
                Step.of("member", "list"),
                Step.of("member", "add", "l4", "--learner", "--peer-urls", "http://127.0.0.1:49"),
                Step.of("member", "list", "-w", "fields"));
        Endpoints e = fresh();
        String[] learner = {"0", "0"};
        for (Step s : steps) {
            Result expected = members(AdminRunner.etcdctl(List.of("--endpoints", e.etcd()), withLearner(s, learner[0])), e.etcd());
            Result actual = members(AdminRunner.etcdctl(List.of("--endpoints", e.etcdj()), withLearner(s, learner[1])), e.etcdj());
            learner[0] = addedMember(expected, learner[0]);
            learner[1] = addedMember(actual, learner[1]);
            assertThat(normaliseMembers(actual)).as("etcdctl → etcdj: %s", String.join(" ", s.args()))
                    .isEqualTo(normaliseMembers(expected));
        }
    }

    private static Step withLearner(Step s, String id) {
        return new Step(s.stdin(), Arrays.stream(s.args()).map(a -> a.replace("$LEARNER", id)).toArray(String[]::new));
    }

    /** The raw result; IDs are read from it before normalising. */
    private static Result members(Result r, String endpoint) {
        return new Result(r.out().replace(endpoint, "ENDPOINT"), r.err().replace(endpoint, "ENDPOINT"), r.code());
    }

    private static String addedMember(Result r, String previous) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^Member +([0-9a-f]+) added").matcher(r.out());
        return m.find() ? m.group(1) : previous;
    }

    /** member add prints ETCD_INITIAL_CLUSTER in member-ID order. */
    private static String sortInitialCluster(String s) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("ETCD_INITIAL_CLUSTER=\"([^\"]*)\"").matcher(s);
        if (!m.find()) {
            return s;
        }
        List<String> parts = new ArrayList<>(Arrays.asList(m.group(1).split(",")));
        parts.sort(null);
        return s.substring(0, m.start(1)) + String.join(",", parts) + s.substring(m.end(1));
    }

    /** Member IDs are random on both sides, and lists are sorted by ID: compare them as sorted lines. */
    private static Result normaliseMembers(Result r) {
        String out = AdminParityIT.normalise(sortInitialCluster(r.out()), null, null);
        String err = AdminParityIT.normalise(r.err(), null, null);
        List<String> lines = new ArrayList<>(Arrays.asList(out.split("\n", -1)));
        lines.sort(null);
        return new Result(String.join("\n", lines), err, r.code());
    }
}
