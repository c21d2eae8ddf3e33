package dev.etcdj.server;

import dev.etcdj.proto.etcdserverpb.Compare;
import dev.etcdj.proto.etcdserverpb.PutRequest;
import dev.etcdj.proto.etcdserverpb.RangeRequest;
import dev.etcdj.proto.etcdserverpb.RequestOp;
import dev.etcdj.proto.etcdserverpb.TxnRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * /metrics on the client port: the mvcc counters count storage operations the way etcd 3.4 does
 * (a put with prev_kv is a put and a range, so a txn too; a one-op txn is no txn; a write txn's
 * compares are a read transaction of their own), and gRPC calls appear with their code.
 */
class MetricsTest extends ServerTestBase {
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private String scrape() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.endpoint() + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        return r.body();
    }

    private static double value(String text, String series) {
        Matcher m = Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE).matcher(text);
        assertThat(m.find()).as(series).isTrue();
        return Double.parseDouble(m.group(1));
    }

    private double[] mvcc() throws Exception {
        String t = scrape();
        return new double[] {value(t, "etcd_mvcc_put_total"), value(t, "etcd_mvcc_range_total"),
            value(t, "etcd_mvcc_delete_total"), value(t, "etcd_mvcc_txn_total")};
    }

    private void assertDelta(double[] before, int puts, int ranges, int deletes, int txns) throws Exception {
        double[] after = mvcc();
        assertThat(new double[] {after[0] - before[0], after[1] - before[1], after[2] - before[2], after[3] - before[3]})
                .containsExactly(puts, ranges, deletes, txns);
    }

    @Test
    void mvccCountersFollowEtcdsStorageTransactions() throws Exception {
        double[] m = mvcc();
        kv.put(PutRequest.newBuilder().setKey(bs("a")).setValue(bs("1")).build());
        assertDelta(m, 1, 0, 0, 0);

        m = mvcc();
        kv.put(PutRequest.newBuilder().setKey(bs("a")).setValue(bs("2")).setPrevKv(true).build());
        assertDelta(m, 1, 1, 0, 1);

        m = mvcc();
        kv.range(RangeRequest.newBuilder().setKey(bs("a")).build());
        assertDelta(m, 0, 1, 0, 0);

        m = mvcc();
        kv.txn(TxnRequest.newBuilder().addSuccess(RequestOp.newBuilder()
                .setRequestPut(PutRequest.newBuilder().setKey(bs("b")).setValue(bs("1")))).build());
        assertDelta(m, 1, 0, 0, 0); // one op: no txn, as etcd_mvcc_txn_total does not move on etcd either

        m = mvcc();
        kv.txn(TxnRequest.newBuilder()
                .addCompare(Compare.newBuilder().setKey(bs("a")).setTarget(Compare.CompareTarget.VERSION)
                        .setResult(Compare.CompareResult.GREATER).setVersion(0))
                .addCompare(Compare.newBuilder().setKey(bs("b")).setTarget(Compare.CompareTarget.VERSION)
                        .setResult(Compare.CompareResult.GREATER).setVersion(0))
                .addSuccess(RequestOp.newBuilder().setRequestPut(PutRequest.newBuilder().setKey(bs("c")).setValue(bs("1"))))
                .build());
        assertDelta(m, 1, 2, 0, 1); // the two compares are one read transaction, the put another
    }

    @Test
    void grpcCallsAreCountedByMethodAndCode() throws Exception {
        kv.range(RangeRequest.newBuilder().setKey(bs("x")).build());
        try {
            kv.range(RangeRequest.getDefaultInstance());
        } catch (io.grpc.StatusRuntimeException expected) {
            assertThat(expected.getStatus().getCode()).isEqualTo(io.grpc.Status.Code.INVALID_ARGUMENT);
        }
        String t = scrape();
        String labels = "grpc_method=\"Range\",grpc_service=\"etcdserverpb.KV\",grpc_type=\"unary\"";
        assertThat(value(t, "grpc_server_started_total{" + labels + "}")).isEqualTo(2);
        assertThat(value(t, "grpc_server_handled_total{grpc_code=\"OK\"," + labels + "}")).isEqualTo(1);
        assertThat(value(t, "grpc_server_handled_total{grpc_code=\"InvalidArgument\"," + labels + "}")).isEqualTo(1);
        assertThat(value(t, "grpc_server_handled_total{grpc_code=\"OK\",grpc_method=\"Put\","
                + "grpc_service=\"etcdserverpb.KV\",grpc_type=\"unary\"}")).isEqualTo(0);
        assertThat(value(t, "grpc_server_msg_received_total{" + labels + "}")).isEqualTo(2);
        assertThat(value(t, "grpc_server_msg_sent_total{" + labels + "}")).isEqualTo(1);
    }
}
