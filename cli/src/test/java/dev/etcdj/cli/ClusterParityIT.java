package dev.etcdj.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.etcdj.cli.EtcdctlParityIT.Result;
import dev.etcdj.cli.EtcdctlParityIT.Step;
import dev.etcdj.client.EtcdClient;
import dev.etcdj.client.Member;
import dev.etcdj.client.MemberListResponse;
import dev.etcdj.testing.Await;
import dev.etcdj.testing.EtcdCluster;
import dev.etcdj.testing.FreePorts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Member, endpoint --cluster, defrag --cluster and move-leader through the real etcdctl and through
 * etcdj, each against its own fresh 3-member etcd cluster (one cluster at a time: two cores).
 * Leadership is first moved to member m0 on both, so that "is leader" columns and move-leader agree.
 *
 * <p>Normalised: each cluster's member IDs (hex, padded hex and decimal) become M0, M1, M2 and NEW
 * (the member added), its cluster ID CID, its client and peer ports C0..C2, P0..P2 and NP (the added
 * member's peer ports); raft terms and indexes and database sizes become N; runs of spaces and dashes
 * collapse (table widths follow the IDs' hex lengths); endpoint health lines are compared sorted
 * (etcdctl prints them as the concurrent checks finish).
 */
class ClusterParityIT {

    @Test
    void clusterCommandsMatchEtcdctl() throws Exception {
        List<Result> expected = runScript(true);
        List<Result> actual = runScript(false);
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            assertThat(actual.get(i)).as("step %d", i).isEqualTo(expected.get(i));
        }
    }

    private List<Result> runScript(boolean etcdctl) throws Exception {
        List<Result> results = new ArrayList<>();
        try (EtcdCluster cluster = EtcdCluster.builder().size(3).build()) {
            cluster.start();
            cluster.awaitLeader(Duration.ofSeconds(20));
            List<String> eps = cluster.endpoints();
            long[] ids = new long[3];
            long clusterId;
            try (EtcdClient c = EtcdClient.builder().endpoints(eps).build()) {
                MemberListResponse ml = c.cluster().memberList().join();
                clusterId = ml.header().clusterId();
                for (Member m : ml.members()) {
                    ids[Integer.parseInt(m.name().substring(1))] = m.id();
                }
                if (cluster.leaderIndex() != 0) {
                    c.maintenance().moveLeader(ids[0]).join();
                }
            }
            awaitLeader(cluster, 0);
            int[] newPeer = {FreePorts.next(), FreePorts.next()};
            String newUrl = "http://127.0.0.1:" + newPeer[0];
            String newUrl2 = "http://127.0.0.1:" + newPeer[1];
            List<String> all = List.of("--endpoints", String.join(",", eps));
            List<String> first = List.of("--endpoints", eps.get(0));
            List<String> last = List.of("--endpoints", eps.get(2));
            String[] newId = {""};
            List<Object[]> steps = new ArrayList<>();
            steps.add(new Object[] {first, Step.of("member", "list")});
            steps.add(new Object[] {first, Step.of("member", "list", "-w", "json")});
            steps.add(new Object[] {first, Step.of("member", "list", "-w", "table")});
            steps.add(new Object[] {first, Step.of("member", "list", "-w", "fields")});
            steps.add(new Object[] {first, Step.of("endpoint", "status", "--cluster")});
            steps.add(new Object[] {first, Step.of("endpoint", "status", "--cluster", "-w", "table")});
            steps.add(new Object[] {all, Step.of("endpoint", "status", "-w", "json")});
            steps.add(new Object[] {first, Step.of("endpoint", "hashkv", "--cluster", "-w", "table")});
            steps.add(new Object[] {first, Step.of("endpoint", "health", "--cluster")});
            steps.add(new Object[] {first, Step.of("defrag", "--cluster")});
            steps.add(new Object[] {all, Step.of("move-leader", hex(ids[1]))});
            steps.add(new Object[] {last, Step.of("move-leader", hex(ids[0]))});
            steps.add(new Object[] {all, Step.of("move-leader", hex(ids[1]), "-w", "json")});
            steps.add(new Object[] {first, Step.of("endpoint", "status", "--cluster", "-w", "table")});
            steps.add(new Object[] {first, Step.of("member", "add", "newm", "--peer-urls", newUrl, "--learner")});
            steps.add(new Object[] {first, Step.of("member", "list", "-w", "table")});
            steps.add(new Object[] {first, Step.of("member", "list", "-w", "json")});
            steps.add(new Object[] {first, Step.of("member", "promote", "NEWID")});
            steps.add(new Object[] {first, Step.of("member", "update", "NEWID", "--peer-urls", newUrl2)});
            steps.add(new Object[] {first, Step.of("member", "update", "NEWID", "--peer-urls", newUrl2, "-w", "json")});
            steps.add(new Object[] {first, Step.of("member", "remove", "NEWID")});
            steps.add(new Object[] {first, Step.of("member", "remove", "NEWID")});
            steps.add(new Object[] {first, Step.of("member", "add", "newm", "--peer-urls", newUrl, "-w", "json")});
            steps.add(new Object[] {first, Step.of("member", "remove", "NEWID", "-w", "json")});
            steps.add(new Object[] {first, Step.of("member", "list")});
            for (Object[] st : steps) {
                @SuppressWarnings("unchecked")
                List<String> global = (List<String>) st[0];
                Step s = (Step) st[1];
                String[] args = Arrays.stream(s.args()).map(a -> a.replace("NEWID", newId[0])).toArray(String[]::new);
                Step run = new Step(s.stdin(), args);
                Result r = etcdctl ? AdminRunner.etcdctl(global, run) : AdminRunner.etcdj(global, run);
                Matcher added = Pattern.compile("Member +([0-9a-f]+) added").matcher(r.out());
                if (added.find()) {
                    newId[0] = added.group(1);
                }
                Matcher addedJson = Pattern.compile("\"member\":\\{\"ID\":(\\d+)").matcher(r.out());
                if (addedJson.find()) {
                    newId[0] = Long.toHexString(Long.parseUnsignedLong(addedJson.group(1)));
                }
                results.add(normalise(r, cluster, ids, clusterId, newId[0], newPeer));
            }
        }
        return results;
    }

    private static void awaitLeader(EtcdCluster cluster, int index) {
        Await.until(Duration.ofSeconds(20), "member " + index + " becomes leader",
                () -> cluster.leaderIndex() == index);
    }

    private static String hex(long id) {
        return Long.toHexString(id);
    }

    /**
     * Members come in the order of their random IDs, and --cluster endpoints in that order too, so
     * lines (and the elements of JSON arrays and of member add's ETCD_INITIAL_CLUSTER) are compared sorted.
     */
    private static Result normalise(Result r, EtcdCluster cluster, long[] ids, long clusterId, String newIdHex,
                                    int[] newPeer) {
        return new Result(sorted(normalise(r.out(), cluster, ids, clusterId, newIdHex, newPeer)),
                sorted(normalise(r.err(), cluster, ids, clusterId, newIdHex, newPeer)), r.code());
    }

    private static String sorted(String s) {
        List<String> lines = new ArrayList<>();
        for (String line : s.split("\n")) {
            if (line.startsWith("{") || line.startsWith("[")) {
                // Split the arrays' elements apart and sort them as lines of their own.
                lines.addAll(Arrays.asList(line.replace("[{", "[\n{").replace("},{", "},\n{").replace("}]", "}\n]")
                        .replace("},\n", "}\n").split("\n")));
            } else if (line.startsWith("ETCD_INITIAL_CLUSTER=\"")) {
                String members = line.substring("ETCD_INITIAL_CLUSTER=\"".length(), line.length() - 1);
                lines.add("ETCD_INITIAL_CLUSTER=\"" + String.join(",", Arrays.stream(members.split(",")).sorted().toList()) + "\"");
            } else {
                lines.add(line);
            }
        }
        return String.join("\n", lines.stream().sorted().toList());
    }

    private static String normalise(String s, EtcdCluster cluster, long[] ids, long clusterId, String newIdHex,
                                    int[] newPeer) {
        List<long[]> idNames = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            s = replaceId(s, ids[i], "M" + i);
        }
        if (!newIdHex.isEmpty()) {
            s = replaceId(s, Long.parseUnsignedLong(newIdHex, 16), "NEW");
        }
        s = replaceId(s, clusterId, "CID");
        for (int i = 0; i < 3; i++) {
            s = s.replace(":" + cluster.member(i).clientPort(), ":C" + i).replace(":" + cluster.member(i).peerPort(), ":P" + i);
        }
        s = s.replace(":" + newPeer[0], ":NP0").replace(":" + newPeer[1], ":NP1");
        s = AdminRunner.normaliseTook(s)
                .replaceAll("\"(raftIndex|raftAppliedIndex|dbSize|dbSizeInUse|raftTerm|raft_term|revision)\":\\d+", "\"$1\":N")
                .replaceAll("\"(RaftIndex|RaftAppliedIndex|DBSize|RaftTerm|Revision)\" : \\d+", "\"$1\" : N")
                .replaceAll("(true|false), (true|false), \\d+, \\d+, \\d+, ", "$1, $2, N, N, N, ")
                .replaceAll("\\| +\\d+ \\| +\\d+ \\| +\\d+ \\|", "| N | N | N |")
                .replaceAll("\\| +\\d+ (kB|B|MB) \\|", "| N kB |")
                .replaceAll("\\d+ kB", "N kB");
        // Table widths follow the IDs' hex lengths and the numbers: compare the cells, not the padding.
        return s.replaceAll("-{2,}", "-").replaceAll(" {2,}", " ");
    }

    private static String replaceId(String s, long id, String name) {
        String hex = Long.toHexString(id);
        return s.replace(Long.toUnsignedString(id), name).replaceAll("\\b" + hex + "\\b", name);
    }
}
