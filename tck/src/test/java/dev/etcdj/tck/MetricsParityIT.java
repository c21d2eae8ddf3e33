package dev.etcdj.tck;

import dev.etcdj.server.EtcdServer;
import dev.etcdj.testing.Await;
import dev.etcdj.testing.EtcdProcess;
import dev.etcdj.testing.FreePorts;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * /metrics on real etcd 3.4 and on ours: every family dashboards use exists on both with the same
 * type and label names, and the ones that count work move under the same load on both.
 */
class MetricsParityIT {
    /** The families etcd's Grafana dashboard and alerting rules read. */
    private static final List<String> FAMILIES = List.of(
            "etcd_server_has_leader", "etcd_server_is_leader", "etcd_server_leader_changes_seen_total",
            "etcd_server_proposals_committed_total", "etcd_server_proposals_applied_total",
            "etcd_server_proposals_pending", "etcd_server_proposals_failed_total",
            "etcd_mvcc_db_total_size_in_bytes", "etcd_mvcc_db_total_size_in_use_in_bytes",
            "etcd_debugging_mvcc_keys_total", "etcd_mvcc_put_total", "etcd_mvcc_range_total",
            "etcd_mvcc_delete_total", "etcd_mvcc_txn_total",
            "etcd_disk_backend_commit_duration_seconds", "etcd_disk_wal_fsync_duration_seconds",
            "grpc_server_started_total", "grpc_server_handled_total", "grpc_server_msg_received_total",
            "grpc_server_msg_sent_total",
            "process_cpu_seconds_total", "process_open_fds", "process_max_fds", "process_resident_memory_bytes",
            "process_start_time_seconds", "process_virtual_memory_bytes");
    /** Those that must grow under writes and reads (the rest are states: leader, pending, failures). */
    private static final List<String> MOVING = List.of(
            "etcd_server_proposals_committed_total", "etcd_server_proposals_applied_total",
            "etcd_debugging_mvcc_keys_total", "etcd_mvcc_put_total", "etcd_mvcc_range_total",
            "etcd_mvcc_delete_total", "etcd_mvcc_txn_total",
            "etcd_disk_backend_commit_duration_seconds", "etcd_disk_wal_fsync_duration_seconds",
            "grpc_server_started_total", "grpc_server_handled_total", "grpc_server_msg_received_total",
            "grpc_server_msg_sent_total", "process_cpu_seconds_total");

    record Family(String type, Set<String> labels, double total) {
    }

    @Test
    void sameFamiliesThatMoveUnderLoad(@TempDir java.nio.file.Path dir) {
        Map<String, Family> real;
        Map<String, Family> realAfter;
        int metricsPort = FreePorts.next();
        try (EtcdProcess etcd = EtcdProcess.builder()
                .args("--listen-metrics-urls=http://127.0.0.1:" + metricsPort).build()) {
            etcd.start();
            String metrics = "http://127.0.0.1:" + metricsPort + "/metrics";
            real = scrape(new HttpScript(etcd.endpoint()), metrics);
            load(etcd.endpoint());
            realAfter = scrapeOnceMoved(new HttpScript(etcd.endpoint()), metrics, real);
        }
        Map<String, Family> ours;
        Map<String, Family> oursAfter;
        try (EtcdServer server = EtcdServer.builder().dataDir(dir.resolve("data"))
                .listenClientUrls(List.of("http://127.0.0.1:0"))
                .listenMetricsUrls(List.of("http://127.0.0.1:0")).build()) {
            server.start();
            String metrics = server.metricsEndpoints().get(0) + "/metrics";
            ours = scrape(new HttpScript(server.endpoint()), metrics);
            load(server.endpoint());
            oursAfter = scrapeOnceMoved(new HttpScript(server.endpoint()), server.endpoint() + "/metrics", ours);
        }
        for (String f : FAMILIES) {
            assertThat(real).as("etcd has %s", f).containsKey(f);
            assertThat(ours).as("etcdj has %s", f).containsKey(f);
            assertThat(ours.get(f).type()).as("type of %s", f).isEqualTo(real.get(f).type());
            assertThat(ours.get(f).labels()).as("labels of %s", f).isEqualTo(real.get(f).labels());
        }
        for (String f : MOVING) {
            assertThat(realAfter.get(f).total()).as("etcd's %s moves", f).isGreaterThan(real.get(f).total());
            assertThat(oursAfter.get(f).total()).as("etcdj's %s moves", f).isGreaterThan(ours.get(f).total());
        }
        assertThat(oursAfter).containsKeys("jvm_memory_used_bytes", "jvm_threads_current", "jvm_gc_collection_seconds");
    }

    /** Writes, reads, a two-op txn and a delete, through the JSON gateway (gRPC calls inside both servers). */
    private static void load(String endpoint) {
        HttpScript s = new HttpScript(endpoint);
        for (int i = 0; i < 5; i++) {
            assertThat(s.post("/v3/kv/put", "{\"key\":\"bG9hZA==\",\"value\":\"MQ==\"}").statusCode()).isEqualTo(200);
            s.post("/v3/kv/put", "{\"key\":\"bG9hZA" + i + "\",\"value\":\"MQ==\"}");
            s.post("/v3/kv/range", "{\"key\":\"bG9hZA==\"}");
        }
        s.post("/v3/kv/txn", "{\"success\":[{\"request_put\":{\"key\":\"dHg=\",\"value\":\"MQ==\"}},"
                + "{\"request_range\":{\"key\":\"dHg=\"}}]}");
        s.post("/v3/kv/deleterange", "{\"key\":\"bG9hZA==\"}");
    }

    private static final Pattern TYPE = Pattern.compile("^# TYPE (\\S+) (\\S+)$", Pattern.MULTILINE);
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][\\w:]*)(\\{[^}]*})? (\\S+)", Pattern.MULTILINE);
    private static final Pattern LABEL = Pattern.compile("(\\w+)=\"");

    /** Family name → type, label names (without {@code le}), and the sum of its samples (counts for histograms). */
    /**
     * Scrapes until every moving family has moved, or 10 s pass (then the assertions say which did
     * not): etcd commits its backend in batches every 100 ms, so the commit histogram may move only
     * after the load's answers have arrived.
     */
    private static Map<String, Family> scrapeOnceMoved(HttpScript s, String url, Map<String, Family> before) {
        AtomicReference<Map<String, Family>> last = new AtomicReference<>();
        Await.poll(Duration.ofSeconds(10), () -> {
            Map<String, Family> now = scrape(s, url);
            last.set(now);
            return MOVING.stream().allMatch(f -> now.containsKey(f) && before.containsKey(f)
                    && now.get(f).total() > before.get(f).total());
        });
        return last.get();
    }

    static Map<String, Family> scrape(HttpScript s, String url) {
        HttpResponse<String> r = s.get(url);
        assertThat(r.statusCode()).isEqualTo(200);
        String text = r.body();
        Map<String, String> types = new HashMap<>();
        Matcher t = TYPE.matcher(text);
        while (t.find()) {
            types.put(t.group(1), t.group(2));
        }
        Map<String, Set<String>> labels = new HashMap<>();
        Map<String, Double> totals = new HashMap<>();
        Matcher m = SAMPLE.matcher(text);
        while (m.find()) {
            String name = m.group(1);
            String family = name;
            if (!types.containsKey(name)) {
                family = name.replaceAll("_(bucket|sum|count)$", "");
            }
            Set<String> ls = labels.computeIfAbsent(family, k -> new TreeSet<>());
            if (m.group(2) != null) {
                Matcher l = LABEL.matcher(m.group(2));
                while (l.find()) {
                    if (!l.group(1).equals("le")) {
                        ls.add(l.group(1));
                    }
                }
            }
            boolean histogram = "histogram".equals(types.get(family));
            if (!histogram || name.endsWith("_count")) {
                totals.merge(family, Double.parseDouble(m.group(3)), Double::sum);
            }
        }
        Map<String, Family> out = new HashMap<>();
        types.forEach((name, type) -> out.put(name,
                new Family(type, labels.getOrDefault(name, Set.of()), totals.getOrDefault(name, 0.0))));
        return out;
    }
}
