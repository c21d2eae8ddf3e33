package dev.etcdj.tck;

import static org.assertj.core.api.Assertions.assertThat;

import dev.etcdj.server.EtcdServer;
import dev.etcdj.testing.EtcdProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The auth matrix of the /v3 JSON gateway, as {@code security.AuthMatrixIT} is for gRPC: with auth
 * on, every gateway route of the KV, Lease, Cluster, Maintenance and Auth services (and a watch
 * stream) is called with no token, with a token the server does not know (what an expired simple
 * token becomes: etcd deletes it), as a user who may only read {@code a/}, and as root. Real etcd
 * 3.4 and our server must give the same status and body for each of them, and the {@code a/} reader
 * never gets a key outside {@code a/}. Transcripts are left in target/gateway-auth-matrix-*.txt.
 */
class GatewayAuthMatrixIT {

    // Keys in base64, as the gateway takes them: a/1, a/2, b/1, a/ .. a0 (the reader's range).
    private static final String A1 = "YS8x";
    private static final String A3 = "YS8z";
    private static final String B1 = "Yi8x";
    private static final String A_FROM = "YS8=";
    private static final String A_END = "YTA=";
    private static final String LEASE = "7";

    @Test
    void everyGatewayRouteAnswersLikeEtcdForEveryIdentity() throws Exception {
        String etcd;
        try (EtcdProcess real = EtcdProcess.builder().name("etcd0").build()) {
            real.start();
            etcd = matrix(real.endpoint());
        }
        String ours;
        try (EtcdServer server = EtcdServer.builder().name("etcd0").inMemory()
                .listenClientUrls(List.of("http://127.0.0.1:0")).build()) {
            server.start();
            ours = matrix(server.endpoint());
        }
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "gateway-auth-matrix-etcd.txt"), etcd);
        Files.writeString(Path.of("target", "gateway-auth-matrix-etcdj.txt"), ours);
        assertThat(ours).isEqualTo(etcd);

        // The reader's answers: something of a/ is seen, and nothing of b/ (the key is Yi8… in base64).
        List<String> reader = new ArrayList<>();
        boolean inReader = false;
        for (String line : ours.split("\n")) {
            if (line.startsWith("# as ")) {
                inReader = line.equals("# as reader");
            } else if (inReader && line.startsWith("  ")) {
                reader.add(line);
            }
        }
        assertThat(reader).anyMatch(l -> l.contains("\"key\":\"" + A1 + "\"")).noneMatch(l -> l.contains("\"key\":\"Yi8"));
    }

    /** Sets up users, keys and a lease, turns auth on, then calls every route as every identity. */
    private static String matrix(String endpoint) {
        HttpScript s = new HttpScript(endpoint);
        for (String key : List.of(A1, "YS8y", B1)) {
            s.post("/v3/kv/put", "{\"key\":\"" + key + "\",\"value\":\"dg==\"}");
        }
        s.post("/v3/lease/grant", "{\"ID\":\"" + LEASE + "\",\"TTL\":\"600\"}");
        s.post("/v3/auth/user/add", "{\"name\":\"root\",\"password\":\"rootpw\"}");
        s.post("/v3/auth/user/grant", "{\"user\":\"root\",\"role\":\"root\"}");
        s.post("/v3/auth/user/add", "{\"name\":\"alice\",\"password\":\"alicepw\"}");
        s.post("/v3/auth/role/add", "{\"name\":\"reader\"}");
        s.post("/v3/auth/role/grant", "{\"name\":\"reader\",\"perm\":{\"permType\":\"READ\",\"key\":\"" + A_FROM
                + "\",\"range_end\":\"" + A_END + "\"}}");
        s.post("/v3/auth/user/grant", "{\"user\":\"alice\",\"role\":\"reader\"}");
        s.post("/v3/auth/enable", "{}");

        Map<String, String> identities = new LinkedHashMap<>();
        identities.put("no token", null);
        identities.put("unknown token", "bogus.1");
        identities.put("reader", HttpScript.field(s.post("/v3/auth/authenticate",
                "{\"name\":\"alice\",\"password\":\"alicepw\"}"), "token"));
        identities.put("root", HttpScript.field(s.post("/v3/auth/authenticate",
                "{\"name\":\"root\",\"password\":\"rootpw\"}"), "token"));
        StringBuilder out = new StringBuilder(s.transcript());
        int lease = 100;
        for (Map.Entry<String, String> id : identities.entrySet()) {
            HttpScript as = new HttpScript(endpoint);
            as.token(id.getValue());
            routes(as, lease++);
            out.append("# as ").append(id.getKey()).append('\n').append(as.transcript());
        }
        // The remaining TTL of the lease made at set-up depends on when each server was asked.
        return out.toString().replaceAll("\"TTL\":\"59\\d\"", "\"TTL\":\"59x\"");
    }

    /** Each route once; what writes does so to keys and leases of its own, so every identity meets the same state. */
    private static void routes(HttpScript s, int lease) {
        s.post("/v3/kv/range", "{\"key\":\"" + A1 + "\"}");
        s.post("/v3/kv/range", "{\"key\":\"" + A_FROM + "\",\"range_end\":\"" + A_END + "\"}");
        s.post("/v3/kv/range", "{\"key\":\"" + B1 + "\"}");
        s.post("/v3/kv/range", "{\"key\":\"AA==\",\"range_end\":\"AA==\",\"keys_only\":true}");
        s.post("/v3/kv/put", "{\"key\":\"" + A3 + "\",\"value\":\"dg==\"}");
        s.post("/v3/kv/deleterange", "{\"key\":\"Yi9ub25l\"}");
        s.post("/v3/kv/txn", "{\"compare\":[{\"key\":\"" + B1 + "\",\"target\":\"VALUE\",\"value\":\"dg==\"}],"
                + "\"success\":[{\"request_range\":{\"key\":\"" + A1 + "\"}}]}");
        s.post("/v3/kv/txn", "{\"compare\":[{\"key\":\"" + A1 + "\",\"target\":\"VERSION\",\"version\":\"1\"}],"
                + "\"success\":[{\"request_range\":{\"key\":\"" + A1 + "\"}}],"
                + "\"failure\":[{\"request_range\":{\"key\":\"" + B1 + "\"}}]}");
        s.post("/v3/kv/compaction", "{\"revision\":\"2\"}");
        s.post("/v3/lease/grant", "{\"ID\":\"" + lease + "\",\"TTL\":\"600\"}");
        s.post("/v3/lease/timetolive", "{\"ID\":\"" + LEASE + "\"}");
        s.post("/v3/lease/leases", "{}");
        s.post("/v3/lease/revoke", "{\"ID\":\"999\"}");
        s.post("/v3/cluster/member/list", "{}");
        s.post("/v3/maintenance/status", "{}");
        s.post("/v3/maintenance/alarm", "{\"action\":\"GET\"}");
        s.post("/v3/maintenance/hash", "{}");
        s.post("/v3/auth/user/list", "{}");
        s.post("/v3/auth/user/get", "{\"name\":\"alice\"}");
        s.post("/v3/auth/role/list", "{}");
        s.post("/v3/auth/role/get", "{\"role\":\"reader\"}");
        s.post("/v3/auth/role/add", "{\"name\":\"r" + lease + "\"}");
        s.stream("/v3/watch", "{\"create_request\":{\"key\":\"" + B1 + "\"}}", 1, () -> { });
    }
}
