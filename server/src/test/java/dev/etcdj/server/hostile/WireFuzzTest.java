package dev.etcdj.server.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.etcdj.proto.etcdserverpb.HashKVRequest;
import dev.etcdj.proto.etcdserverpb.HashKVResponse;
import dev.etcdj.proto.etcdserverpb.KVGrpc;
import dev.etcdj.proto.etcdserverpb.MaintenanceGrpc;
import dev.etcdj.proto.etcdserverpb.PutRequest;
import dev.etcdj.proto.etcdserverpb.RangeRequest;
import dev.etcdj.proto.etcdserverpb.RangeResponse;
import dev.etcdj.proto.etcdserverpb.StatusRequest;
import dev.etcdj.server.EtcdServer;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Hostile protobuf input to every method of the 8 services, while another client keeps working:
 * the server answers every input with a status that has a message (never UNKNOWN, which would be
 * an unexpected exception), keeps serving, and the canary keys and their HashKV are unchanged.
 * {@code -Detcdj.evidence.full=true} sends 2,000 inputs per method instead of 40.
 */
class WireFuzzTest {
    static final boolean FULL = Boolean.getBoolean("etcdj.evidence.full");

    @Test
    void hostileProtobufToEveryMethod() throws Exception {
        int perMethod = Integer.getInteger("etcdj.fuzz.perMethod", FULL ? 2000 : 40);
        try (EtcdServer server = EtcdServer.builder().inMemory().listenClientUrls(List.of("http://127.0.0.1:0")).build()) {
            server.start();
            ManagedChannel fuzz = channel(server);
            ManagedChannel other = channel(server);
            try {
                KVGrpc.KVBlockingStub kv = KVGrpc.newBlockingStub(other);
                for (int i = 0; i < 50; i++) {
                    kv.put(PutRequest.newBuilder().setKey(bs("canary/" + i)).setValue(bs("v" + i)).build());
                }
                RangeResponse before = canary(kv);
                long rev = before.getHeader().getRevision();
                HashKVResponse hashBefore = hashKv(other, rev);

                WireFuzz f = new WireFuzz();
                f.run(fuzz, 20261205L, perMethod);

                RangeResponse after = canary(kv);
                HashKVResponse hashAfter = hashKv(other, rev);
                MaintenanceGrpc.newBlockingStub(other).withDeadlineAfter(10, TimeUnit.SECONDS)
                        .status(StatusRequest.getDefaultInstance());
                String report = "wire fuzz: " + f.sent.get() + " inputs to " + f.tally.keySet().stream()
                        .map(k -> k.substring(0, k.indexOf(' '))).distinct().count() + " methods, answers by code "
                        + f.byCode() + ", anomalies " + f.anomalies;
                System.out.println(report);
                Files.createDirectories(Path.of("target"));
                Files.writeString(Path.of("target/wire-fuzz.txt"), report + "\n" + String.join("\n",
                        new java.util.TreeMap<>(f.tally).entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).toList()));
                assertThat(f.anomalies).as("answers without an etcd-like status").isEmpty();
                assertThat(after.getKvsList()).as("canary keys").isEqualTo(before.getKvsList());
                if (hashAfter.getCompactRevision() == hashBefore.getCompactRevision()) {
                    assertThat(hashAfter.getHash()).as("HashKV at the canary revision").isEqualTo(hashBefore.getHash());
                }
            } finally {
                fuzz.shutdownNow();
                other.shutdownNow();
            }
        }
    }

    static ManagedChannel channel(EtcdServer server) {
        URI u = URI.create(server.endpoint());
        return NettyChannelBuilder.forAddress(u.getHost(), u.getPort()).usePlaintext().build();
    }

    private static RangeResponse canary(KVGrpc.KVBlockingStub kv) {
        return kv.withDeadlineAfter(10, TimeUnit.SECONDS)
                .range(RangeRequest.newBuilder().setKey(bs("canary/")).setRangeEnd(bs("canary0")).build());
    }

    private static HashKVResponse hashKv(ManagedChannel ch, long rev) {
        return MaintenanceGrpc.newBlockingStub(ch).withDeadlineAfter(10, TimeUnit.SECONDS)
                .hashKV(HashKVRequest.newBuilder().setRevision(rev).build());
    }

    static ByteString bs(String s) {
        return ByteString.copyFromUtf8(s);
    }
}
