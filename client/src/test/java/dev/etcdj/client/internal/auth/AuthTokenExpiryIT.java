package dev.etcdj.client.internal.auth;

import static dev.etcdj.client.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.etcdj.client.EtcdClient;
import dev.etcdj.proto.etcdserverpb.AuthGrpc;
import dev.etcdj.proto.etcdserverpb.AuthenticateRequest;
import dev.etcdj.proto.etcdserverpb.KVGrpc;
import dev.etcdj.proto.etcdserverpb.RangeRequest;
import dev.etcdj.testing.EtcdProcess;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client gets a new token by itself once etcd has expired the one it held. */
class AuthTokenExpiryIT {

    private static final Metadata.Key<String> TOKEN = Metadata.Key.of("token", Metadata.ASCII_STRING_MARSHALLER);

    private EtcdProcess etcd;
    private ManagedChannel raw;

    @BeforeEach
    void start() {
        etcd = EtcdProcess.builder().name("ttl").args("--auth-token-ttl=2").build();
        etcd.start();
        raw = NettyChannelBuilder.forAddress("127.0.0.1", etcd.clientPort()).usePlaintext().build();
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (raw != null) {
            raw.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
        if (etcd != null) {
            etcd.close();
        }
    }

    @Test
    void aCallAfterTheTokenExpiredStillWorks() {
        try (EtcdClient admin = EtcdClient.builder().endpoints(etcd.endpoint()).build()) {
            await(admin.auth().userAdd("root", "rootpw"));
            await(admin.auth().userGrantRole("root", "root"));
            await(admin.auth().enable());
        }
        try (EtcdClient root = EtcdClient.builder().endpoints(etcd.endpoint()).credentials("root", "rootpw").build()) {
            await(root.kv().put("k", "1"));

            // From here on the client's token is unused. Tokens issued now, each checked at most once
            // (a check would renew it), tell when etcd has expired every token this old.
            assertThat(valid(authenticate())).as("a fresh token works").isTrue();
            long start = System.nanoTime();
            Deque<String> probes = new ArrayDeque<>();
            for (int i = 0; i < 12; i++) {
                probes.add(authenticate());
            }
            Awaitility.await().atMost(Duration.ofSeconds(7)).pollInterval(Duration.ofMillis(500))
                    .until(() -> !valid(probes.pop()));
            // Simple tokens live --auth-token-ttl (2 s) past their last use.
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(Duration.ofMillis(1500));

            assertThat(await(root.kv().get("k")).kvs().get(0).value().toStringUtf8()).isEqualTo("1");
            await(root.kv().put("k", "2"));
        }
    }

    private String authenticate() {
        return AuthGrpc.newBlockingStub(raw).withDeadlineAfter(10, TimeUnit.SECONDS)
                .authenticate(AuthenticateRequest.newBuilder().setName("root").setPassword("rootpw").build())
                .getToken();
    }

    private boolean valid(String token) {
        Metadata md = new Metadata();
        md.put(TOKEN, token);
        try {
            KVGrpc.newBlockingStub(raw).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md))
                    .withDeadlineAfter(10, TimeUnit.SECONDS)
                    .range(RangeRequest.newBuilder().setKey(com.google.protobuf.ByteString.copyFromUtf8("k")).build());
            return true;
        } catch (StatusRuntimeException e) {
            assertThat(e.getStatus().getDescription()).isEqualTo("etcdserver: invalid auth token");
            return false;
        }
    }
}
