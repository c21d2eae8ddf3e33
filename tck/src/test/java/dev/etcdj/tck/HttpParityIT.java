package dev.etcdj.tck;

import dev.etcdj.server.EtcdServer;
import dev.etcdj.testing.EtcdProcess;
import dev.etcdj.testing.FreePorts;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The HTTP side of a server, against real etcd 3.4 and against ours: /health, /version, the metrics
 * listener, and the /v3 JSON gateway (kv, txn, watch streams, leases, compaction, cluster,
 * maintenance incl. NOSPACE, auth with the bare token in Authorization, and errors). Same requests,
 * identical status, content type and body required; ids, terms, tokens and storage-engine values
 * masked. Transcripts are left in target/http-parity-*.txt.
 */
class HttpParityIT {

    @Test
    void sameHttpAnswersAsRealEtcd() throws Exception {
        String real;
        int metricsPort = FreePorts.next();
        try (EtcdProcess etcd = EtcdProcess.builder().name("etcd0")
                .args("--listen-metrics-urls=http://127.0.0.1:" + metricsPort).build()) {
            etcd.start();
            real = script(etcd.endpoint(), "http://127.0.0.1:" + metricsPort);
        }
        String ours;
        try (EtcdServer server = EtcdServer.builder().name("etcd0").inMemory()
                .listenClientUrls(List.of("http://127.0.0.1:0"))
                .listenMetricsUrls(List.of("http://127.0.0.1:0")).build()) {
            server.start();
            ours = script(server.endpoint(), server.metricsEndpoints().get(0));
        }
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "http-parity-etcd.txt"), real);
        Files.writeString(Path.of("target", "http-parity-etcdj.txt"), ours);
        assertThat(ours).isEqualTo(real);
    }

    private static String script(String client, String metrics) {
        HttpScript s = new HttpScript(client);
        plainEndpoints(s, client, metrics);
        kv(s);
        watch(s);
        leases(s);
        compaction(s);
        maintenance(s, client, metrics);
        auth(s);
        return s.transcript().replaceAll("\"TTL\":\"(59|60)\"", "\"TTL\":\"60\"")
                .replaceAll("\"TTL\":\"(29|30)\"", "\"TTL\":\"30\"");
    }

    private static void plainEndpoints(HttpScript s, String client, String metrics) {
        s.get(client + "/health");
        s.get(client + "/health?exclude=NOSPACE");
        s.get(client + "/version");
        s.method("POST", client + "/health");
        s.method("PUT", client + "/version");
        s.get(client + "/nope");
        s.status(client + "/metrics");
        s.get(metrics + "/health");
        s.get(metrics + "/version");
        s.status(metrics + "/metrics");
        s.get(client + "/v3/kv/range");
        s.post("/v3/kv/nope", "{}");
        s.post("/v3/nope", "{}");
    }

    private static void kv(HttpScript s) {
        s.postEach("/v3/kv/put",
                "{\"key\":\"Zm9v\",\"value\":\"YmFy\"}",
                "{\"key\":\"Zm9v\",\"value\":\"YmF6\",\"prev_kv\":true}",
                "{\"key\":\"Zm9vMQ==\",\"value\":\"MQ==\"}",
                "{\"key\":\"Zm9vMg==\",\"value\":\"Mg==\"}");
        s.postEach("/v3/kv/range",
                "{\"key\":\"Zm9v\"}",
                "{\"key\":\"Zm9v\",\"range_end\":\"Zm9w\",\"sort_order\":\"DESCEND\",\"sort_target\":\"MOD\"}",
                "{\"key\":\"Zm9v\",\"rangeEnd\":\"Zm9w\",\"keys_only\":true,\"limit\":2}",
                "{\"key\":\"Zm9v\",\"range_end\":\"Zm9w\",\"count_only\":true}",
                "{\"key\":\"bm9uZQ==\"}",
                "{\"key\":\"Zm9v\",\"revision\":\"2\"}",
                "{\"key\":\"Zm9v\",\"unknown_field\":1}",
                "",
                "{\"key\":\"Zm9v\",\"revision\":\"100\"}",
                "{\"key\":",
                "{\"key\":\"Zm9v\",\"sort_order\":\"SIDEWAYS\"}");
        s.post("/v3/kv/txn", "{\"compare\":[{\"key\":\"Zm9v\",\"target\":\"VALUE\",\"result\":\"EQUAL\",\"value\":\"YmF6\"}],"
                + "\"success\":[{\"request_put\":{\"key\":\"dHg=\",\"value\":\"MQ==\"}},{\"request_range\":{\"key\":\"Zm9v\"}}],"
                + "\"failure\":[{\"request_delete_range\":{\"key\":\"Zm9v\"}}]}");
        s.post("/v3/kv/txn", "{\"compare\":[{\"key\":\"Zm9v\",\"target\":\"VERSION\",\"result\":\"GREATER\",\"version\":\"10\"}],"
                + "\"failure\":[{\"request_txn\":{\"success\":[{\"request_range\":{\"key\":\"dHg=\"}}]}}]}");
        s.post("/v3/kv/txn", "{\"success\":[{\"request_put\":{\"key\":\"dHg=\",\"value\":\"MQ==\"}},"
                + "{\"request_put\":{\"key\":\"dHg=\",\"value\":\"Mg==\"}}]}");
        s.post("/v3/kv/deleterange", "{\"key\":\"Zm9vMg==\",\"prev_kv\":true}");
        s.post("/v3/kv/deleterange", "{\"key\":\"bm9uZQ==\"}");
    }

    private static void watch(HttpScript s) {
        s.stream("/v3/watch", "{\"create_request\":{\"key\":\"Zm9v\",\"range_end\":\"Zm9w\",\"start_revision\":\"2\"}}", 2,
                () -> { });
        s.stream("/v3/watch", "{\"create_request\":{\"key\":\"d2E=\",\"prev_kv\":true}}", 3, () -> {
            s.post("/v3/kv/put", "{\"key\":\"d2E=\",\"value\":\"MQ==\"}");
            s.post("/v3/kv/put", "{\"key\":\"d2E=\",\"value\":\"Mg==\"}");
        });
    }

    private static void leases(HttpScript s) {
        s.postEach("/v3/lease/grant",
                "{\"TTL\":\"60\",\"ID\":\"1000\"}",
                "{\"TTL\":30,\"ID\":2000}",
                "{\"TTL\":\"60\",\"ID\":\"1000\"}");
        s.post("/v3/kv/put", "{\"key\":\"bGs=\",\"value\":\"MQ==\",\"lease\":\"1000\"}");
        s.post("/v3/kv/put", "{\"key\":\"bGs=\",\"value\":\"MQ==\",\"lease\":\"999\"}");
        s.post("/v3/lease/timetolive", "{\"ID\":\"1000\",\"keys\":true}");
        s.post("/v3/kv/lease/timetolive", "{\"ID\":\"2000\"}");
        s.post("/v3/lease/leases", "{}");
        s.stream("/v3/lease/keepalive", "{\"ID\":\"1000\"}", 1, () -> { });
        s.stream("/v3/lease/keepalive", "{\"ID\":\"5\"}", 1, () -> { });
        s.post("/v3/lease/revoke", "{\"ID\":\"2000\"}");
        s.post("/v3/kv/lease/revoke", "{\"ID\":\"2000\"}");
    }

    private static void compaction(HttpScript s) {
        s.postEach("/v3/kv/compaction",
                "{\"revision\":\"4\"}",
                "{\"revision\":\"4\"}",
                "{\"revision\":\"1000\"}");
        s.post("/v3/kv/range", "{\"key\":\"Zm9v\",\"revision\":\"3\"}");
        s.stream("/v3/watch", "{\"create_request\":{\"key\":\"Zm9v\",\"start_revision\":\"2\"}}", 2, () -> { });
    }

    private static void maintenance(HttpScript s, String client, String metrics) {
        s.post("/v3/cluster/member/list", "{}");
        HttpResponse<String> status = s.post("/v3/maintenance/status", "{}");
        String member = HttpScript.field(status, "member_id");
        s.post("/v3/maintenance/alarm", "{}");
        s.post("/v3/maintenance/alarm", "{\"action\":\"ACTIVATE\",\"memberID\":\"" + member + "\",\"alarm\":\"NOSPACE\"}");
        s.get(client + "/health");
        s.get(metrics + "/health");
        s.get(client + "/health?exclude=NOSPACE");
        s.post("/v3/kv/put", "{\"key\":\"eA==\",\"value\":\"MQ==\"}");
        s.post("/v3/maintenance/alarm", "{\"action\":\"GET\"}");
        s.post("/v3/maintenance/alarm", "{\"action\":\"DEACTIVATE\",\"memberID\":\"" + member + "\",\"alarm\":\"NOSPACE\"}");
        s.get(client + "/health");
        s.post("/v3/maintenance/defragment", "{}");
        s.post("/v3/maintenance/hash", "{}");
        s.stream("/v3/maintenance/snapshot", "{}", 1, () -> { });
    }

    private static void auth(HttpScript s) {
        s.post("/v3/auth/user/add", "{\"name\":\"root\",\"password\":\"pw\"}");
        s.post("/v3/auth/enable", "{}");
        s.post("/v3/auth/role/add", "{\"name\":\"root\"}");
        s.post("/v3/auth/user/grant", "{\"user\":\"root\",\"role\":\"root\"}");
        s.post("/v3/auth/user/add", "{\"name\":\"u\",\"password\":\"pw\"}");
        s.post("/v3/auth/role/add", "{\"name\":\"r\"}");
        s.post("/v3/auth/role/grant", "{\"name\":\"r\",\"perm\":{\"permType\":\"READ\",\"key\":\"Zm9v\",\"range_end\":\"Zm9w\"}}");
        s.post("/v3/auth/user/grant", "{\"user\":\"u\",\"role\":\"r\"}");
        s.post("/v3/auth/enable", "{}");
        s.post("/v3/kv/range", "{\"key\":\"Zm9v\"}");
        s.post("/v3/auth/authenticate", "{\"name\":\"root\",\"password\":\"bad\"}");
        s.token("not-a-token");
        s.post("/v3/kv/range", "{\"key\":\"Zm9v\"}");
        s.token(null);
        s.token(HttpScript.field(s.post("/v3/auth/authenticate", "{\"name\":\"u\",\"password\":\"pw\"}"), "token"));
        s.post("/v3/kv/range", "{\"key\":\"Zm9v\"}");
        s.post("/v3/kv/put", "{\"key\":\"Zm9v\",\"value\":\"MQ==\"}");
        s.post("/v3/auth/user/list", "{}");
        s.token(HttpScript.field(s.post("/v3/auth/authenticate", "{\"name\":\"root\",\"password\":\"pw\"}"), "token"));
        s.post("/v3/auth/user/list", "{}");
        s.post("/v3/auth/role/list", "{}");
        s.post("/v3/auth/user/get", "{\"name\":\"u\"}");
        s.post("/v3/auth/role/get", "{\"role\":\"r\"}");
        s.post("/v3/auth/role/revoke", "{\"role\":\"r\",\"key\":\"Zm9v\",\"range_end\":\"Zm9w\"}");
        s.post("/v3/auth/user/revoke", "{\"name\":\"u\",\"role\":\"r\"}");
        s.post("/v3/auth/user/changepw", "{\"name\":\"u\",\"password\":\"pw2\"}");
        s.post("/v3/auth/user/delete", "{\"name\":\"u\"}");
        s.post("/v3/auth/role/delete", "{\"role\":\"r\"}");
        s.post("/v3/auth/disable", "{}");
        s.token(null);
        s.post("/v3/kv/range", "{\"key\":\"Zm9v\"}");
    }
}
