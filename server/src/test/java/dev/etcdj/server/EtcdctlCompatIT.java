package dev.etcdj.server;

import dev.etcdj.server.internal.storage.Backend;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the real etcdctl against our server and against a real etcd 3.4 with the same script and
 * compares the transcripts (stdout + stderr) after masking ids, ports and timestamps.
 */
class EtcdctlCompatIT {

    /** One etcdctl invocation; "${LEASE}" is replaced by the last granted lease id (hex). */
    private record Step(String stdin, String... args) {
    }

    private static Step run(String... args) {
        return new Step(null, args);
    }

    private static Step txn(String stdin, String... args) {
        return new Step(stdin, args);
    }

    private static final List<Step> SCRIPT = List.of(
            run("get", "foo", "-w", "json"),
            run("put", "foo", "bar"),
            run("put", "foo", "bar2", "-w", "json"),
            run("put", "foo", "bar3", "--prev-kv"),
            run("get", "foo", "-w", "json"),
            run("put", "a", "1"), run("put", "b", "2"), run("put", "c", "3"), run("put", "d", "4"),
            run("get", "a", "e", "--limit", "2", "-w", "json"),
            run("get", "a", "--prefix", "--limit", "1", "-w", "json"),
            run("get", "", "--from-key", "--keys-only"),
            run("get", "a", "e", "--sort-by=VERSION", "--order=DESCEND", "-w", "json"),
            run("get", "a", "e", "--sort-by=MODIFY"),
            run("get", "a", "e", "--count-only", "-w", "json"),
            run("get", "a", "e", "--rev", "3", "-w", "json"),
            run("get", "a", "--rev", "100"),
            run("get", "a", "--print-value-only"),
            run("put", "", "x"),
            run("put", "foo", "--ignore-value"),
            run("put", "zz", "--ignore-value"),
            run("put", "zz", "v", "--ignore-lease"),
            run("put", "zz", "v", "--lease", "123"),
            run("del", "nothing", "-w", "json"),
            run("del", "a", "c", "--prev-kv", "-w", "json"),
            run("del", "", "--from-key", "--prefix"),
            run("get", "a", "--from-key", "-w", "json"),
            txn("mod(\"c\") > \"0\"\nversion(\"zz\") = \"0\"\n\nput x 1\nget x\ndel d\nget d\n\nput y 2\n\n", "txn", "-w", "json"),
            txn("value(\"nope\") = \"0\"\n\nput x 1\n\nput y 2\n\n", "txn"),
            txn("\n\nput k1 a\nput k1 b\n\n", "txn"),
            txn("\n\nput k1 a\ndel k0 k9\n\n", "txn"),
            run("compact", "5"),
            run("compact", "5"),
            run("compact", "500"),
            run("get", "x", "--rev", "4"),
            run("get", "x", "--rev", "5", "-w", "json"),
            run("lease", "grant", "60"),
            run("put", "lk1", "v", "--lease=${LEASE}"),
            run("put", "lk2", "v", "--lease=${LEASE}"),
            run("lease", "timetolive", "${LEASE}", "--keys"),
            run("lease", "keep-alive", "--once", "${LEASE}"),
            run("lease", "list"),
            run("lease", "revoke", "${LEASE}"),
            run("get", "lk", "--prefix", "-w", "json"),
            run("lease", "timetolive", "${LEASE}"),
            run("lease", "keep-alive", "--once", "${LEASE}"),
            run("lease", "grant", "1", "-w", "json"),
            run("lease", "grant", "9000000001"),
            run("lease", "revoke", "777"),
            run("lease", "timetolive", "777", "-w", "json"),
            run("member", "list", "-w", "json"),
            run("member", "remove", "1234"),
            run("alarm", "list"),
            run("alarm", "disarm"),
            run("endpoint", "health"),
            run("watch", "foo", "--rev", "2"),
            run("watch", "--prefix", "x", "--rev", "5"));

    private static String transcript(String endpoint) throws Exception {
        StringBuilder out = new StringBuilder();
        String lease = "0";
        Pattern granted = Pattern.compile("lease ([0-9a-f]+) granted");
        for (Step s : SCRIPT) {
            List<String> args = new ArrayList<>();
            for (String a : s.args()) {
                args.add(a.replace("${LEASE}", lease));
            }
            String o = Etcdctl.run(endpoint, s.stdin(), args);
            Matcher m = granted.matcher(o);
            if (m.find() && args.get(1).equals("grant") && args.get(2).equals("60")) {
                lease = m.group(1);
            }
            out.append("$ etcdctl ").append(String.join(" ", s.args())).append('\n').append(o);
        }
        return normalize(out.toString(), endpoint);
    }

    static String normalize(String s, String endpoint) {
        String port = endpoint.substring(endpoint.lastIndexOf(':') + 1);
        // etcd lists a lease's keys in Go map order: sort them
        s = Pattern.compile("attached keys\\(\\[([^\\]]*)\\]\\)").matcher(s).replaceAll(m -> {
            String[] keys = m.group(1).split(" ");
            java.util.Arrays.sort(keys);
            return Matcher.quoteReplacement("attached keys([" + String.join(" ", keys) + "])");
        });
        return s.replace(port, "PORT")
                .replaceAll("\"(cluster_id|member_id|ID|hash|id)\":[0-9]+", "\"$1\":N")
                .replaceAll("\"ts\":(\"[^\"]*\"|[0-9.]+)", "\"ts\":T")
                .replaceAll("client-[0-9a-f-]+", "client-UUID")
                .replaceAll("\\b[0-9a-f]{16}\\b", "HEXID")
                .replaceAll("remaining\\(\\d+s\\)", "remaining(Ns)")
                .replaceAll("took = [^\\n]*", "took = T")
                .replaceAll("\"ttl\":\\d+,\"granted-ttl\":60", "\"ttl\":N,\"granted-ttl\":60");
    }

    @Test
    void etcdctlSeesTheSameAsWithRealEtcd() throws Exception {
        Etcdctl.requireInstalled();
        String ours = RealEtcd.onOurServer(endpoint -> {
            String transcript = transcript(endpoint);
            assertSnapshotSaveEndsWithItsHash(endpoint);
            return transcript;
        });
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "etcdctl-transcript-etcdj.txt"), ours);
        assertThat(ours).contains("$ etcdctl put foo bar\nOK\n");
        assertThat(ours).contains("Error: etcdserver: duplicate key given in txn request");
        String real = RealEtcd.with(EtcdctlCompatIT::transcript);
        Files.writeString(Path.of("target", "etcdctl-transcript-etcd.txt"), real);
        assertThat(ours).isEqualTo(real);
    }

    /** snapshot save: our blob is a tar of a RocksDB checkpoint, followed by its SHA-256. */
    private static void assertSnapshotSaveEndsWithItsHash(String endpoint) throws Exception {
        Path snapDir = Files.createTempDirectory("etcdj-snap-it-");
        try {
            Path snap = snapDir.resolve("s.db");
            String out = Etcdctl.run(endpoint, null, List.of("snapshot", "save", snap.toString()));
            assertThat(out).contains("Snapshot saved at " + snap);
            byte[] all = Files.readAllBytes(snap);
            byte[] body = java.util.Arrays.copyOf(all, all.length - 32);
            byte[] sha = java.util.Arrays.copyOfRange(all, all.length - 32, all.length);
            assertThat(java.security.MessageDigest.getInstance("SHA-256").digest(body)).isEqualTo(sha);
        } finally {
            Backend.deleteRecursively(snapDir);
        }
    }
}
