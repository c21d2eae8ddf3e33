package dev.etcdj.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import dev.etcdj.cli.EtcdctlParityIT.Result;
import dev.etcdj.cli.EtcdctlParityIT.Step;
import dev.etcdj.proto.etcdserverpb.AuthGrpc;
import dev.etcdj.proto.etcdserverpb.AuthenticateRequest;
import dev.etcdj.proto.etcdserverpb.KVGrpc;
import dev.etcdj.proto.etcdserverpb.RangeRequest;
import dev.etcdj.testing.EtcdProcess;
import dev.etcdj.testing.FreePorts;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code etcdj serve} (in this JVM) next to the real etcd with the same flags: {@code --auth-token jwt,...}
 * (etcdctl works the same against both; the tokens have the same shape, and a token of real etcd
 * signed with the same key is accepted by ours), and the zap start-up lines users grep for.
 */
class ServeOptionsIT {

    @TempDir
    Path dir;

    @RegisterExtension
    final Background bg = new Background();

    /** etcdctl's global flags for this endpoint. */
    private static List<String> at(String endpoint) {
        return List.of("--endpoints", endpoint, "--dial-timeout", "2s", "--command-timeout", "5s");
    }

    private static Result etcdctl(String endpoint, String... args) throws Exception {
        return AdminRunner.etcdctl(at(endpoint), Step.of(args));
    }

    private static void awaitHealthy(String endpoint) {
        AdminRunner.awaitHealthy(at(endpoint), Duration.ofSeconds(60));
    }

    @Test
    void zapStartUpLines() throws Exception {
        int[] p = FreePorts.next(2);
        List<String> flags = Background.singleMember("http", dir.resolve("zap"), p[0], p[1]);
        flags.addAll(List.of("--logger=zap", "--log-level=info", "--experimental-watch-progress-notify-interval=500ms"));
        ByteArrayOutputStream err = bg.serve(flags);
        awaitHealthy("127.0.0.1:" + p[0]);
        String log = err.toString(StandardCharsets.UTF_8);
        assertThat(log).contains("\"msg\":\"ready to serve client requests\"")
                .contains("\"msg\":\"serving client traffic insecurely; this is strongly discouraged!\",\"address\":\"127.0.0.1:" + p[0] + "\"")
                .contains("\"msg\":\"flag accepted without effect on a single etcdj member\",\"flag\":\"--listen-peer-urls\"");
        for (String line : log.split("\n")) {
            assertThat(line).as("every line is zap JSON").matches("\\{\"level\":\"(debug|info|warn|error)\",\"ts\":\"[^\"]+\",\"caller\":\"[^\"]*\",\"msg\":.*\\}");
        }
    }

    @Test
    void jwtTokensWorkAlikeOnBoth() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        KeyPair kp = g.generateKeyPair();
        Path priv = dir.resolve("jwt.key");
        Path pub = dir.resolve("jwt.pub");
        Files.writeString(priv, pem("PRIVATE KEY", kp.getPrivate().getEncoded()));
        Files.writeString(pub, pem("PUBLIC KEY", kp.getPublic().getEncoded()));
        String jwt = "--auth-token=jwt,pub-key=" + pub + ",priv-key=" + priv + ",sign-method=RS256,ttl=10m";

        EtcdProcess etcd = bg.closeLater(EtcdProcess.builder().name("default").args(List.of(jwt)).build());
        etcd.start();
        String real = "127.0.0.1:" + etcd.clientPort();
        int[] p = FreePorts.next(2);
        List<String> flags = Background.singleMember("http", dir.resolve("ours"), p[0], p[1]);
        flags.add(jwt);
        bg.serve(flags);
        String ours = "127.0.0.1:" + p[0];
        awaitHealthy(ours);

        String[][] script = {
            {"user", "add", "root:pw"}, {"auth", "enable"}, {"--user", "root:pw", "put", "k", "v"},
            {"--user", "root:pw", "get", "k"}, {"--user", "root:wrong", "get", "k"}, {"get", "k"}};
        for (String[] step : script) {
            Result r = etcdctl(real, step);
            Result o = etcdctl(ours, step);
            assertThat(o).as("etcdctl %s", String.join(" ", step)).isEqualTo(r);
        }

        String realToken = token(real);
        String ourToken = token(ours);
        assertThat(part(ourToken, 0)).isEqualTo(part(realToken, 0)).isEqualTo("{\"alg\":\"RS256\",\"typ\":\"JWT\"}");
        assertThat(part(ourToken, 1)).matches("\\{\"exp\":\\d+,\"revision\":\\d+,\"username\":\"root\"\\}");
        assertThat(part(realToken, 1)).matches("\\{\"exp\":\\d+,\"revision\":\\d+,\"username\":\"root\"\\}");
        // Same key, same format, same auth revision after the same history: each server takes the other's token.
        assertThat(part(ourToken, 1).replaceAll("\"exp\":\\d+", ""))
                .isEqualTo(part(realToken, 1).replaceAll("\"exp\":\\d+", ""));
        assertThat(getWith(ours, realToken)).isEqualTo(1);
        assertThat(getWith(real, ourToken)).isEqualTo(1);
    }

    /** The bcrypt hashes a snapshot of this endpoint carries in its authUsers bucket. */
    private String storedHashes(String endpoint, String name) throws Exception {
        Path snap = dir.resolve(name + ".db");
        assertThat(etcdctl(endpoint, "snapshot", "save", snap.toString()).code()).isZero();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\$2a\\$\\d\\d\\$[./A-Za-z0-9]{53}")
                .matcher(new String(Files.readAllBytes(snap), StandardCharsets.ISO_8859_1));
        java.util.Set<String> costs = new java.util.TreeSet<>();
        while (m.find()) {
            costs.add(m.group().substring(0, 6));
        }
        return String.join(",", costs);
    }

    @Test
    void bcryptCostAsEtcd() throws Exception {
        EtcdProcess etcd = bg.closeLater(EtcdProcess.builder().name("default").args(List.of("--bcrypt-cost=5")).build());
        etcd.start();
        String real = "127.0.0.1:" + etcd.clientPort();
        int[] p = FreePorts.next(4);
        List<String> flags = Background.singleMember("http", dir.resolve("ours"), p[0], p[1]);
        flags.addAll(List.of("--bcrypt-cost=5", "--logger=zap"));
        ByteArrayOutputStream firstErr = bg.serve(flags);
        String ours = "127.0.0.1:" + p[0];
        // out of bcrypt's range: etcd warns and keeps its default cost
        List<String> invalid = Background.singleMember("http", dir.resolve("invalid"), p[2], p[3]);
        invalid.addAll(List.of("--bcrypt-cost=3", "--logger=zap"));
        ByteArrayOutputStream err = bg.serve(invalid);
        String defaulted = "127.0.0.1:" + p[2];
        awaitHealthy(ours);
        awaitHealthy(defaulted);
        for (String endpoint : List.of(real, ours, defaulted)) {
            assertThat(etcdctl(endpoint, "user", "add", "alice:pw").out()).isEqualTo("User alice created\n");
        }
        assertThat(storedHashes(real, "real")).isEqualTo("$2a$05");
        assertThat(storedHashes(ours, "ours")).isEqualTo("$2a$05");
        assertThat(storedHashes(defaulted, "defaulted")).isEqualTo("$2a$10");
        // one log sink per JVM: the lines may land in either server's stream
        assertThat(firstErr.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8)).contains(
                "\"msg\":\"use default bcrypt cost instead of the invalid given cost\",\"min-cost\":4,\"max-cost\":31,"
                        + "\"default-cost\":10,\"given-cost\":3");
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static String part(String token, int i) {
        return new String(Base64.getUrlDecoder().decode(token.split("\\.")[i]), StandardCharsets.UTF_8);
    }

    private static String token(String endpoint) throws Exception {
        ManagedChannel ch = NettyChannelBuilder.forTarget(endpoint).usePlaintext().build();
        try {
            return AuthGrpc.newBlockingStub(ch).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .authenticate(AuthenticateRequest.newBuilder().setName("root").setPassword("pw").build()).getToken();
        } finally {
            ch.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    private static long getWith(String endpoint, String token) throws Exception {
        ManagedChannel ch = NettyChannelBuilder.forTarget(endpoint).usePlaintext().build();
        try {
            Metadata md = new Metadata();
            md.put(Metadata.Key.of("token", Metadata.ASCII_STRING_MARSHALLER), token);
            return KVGrpc.newBlockingStub(ch).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(md))
                    .withDeadlineAfter(10, TimeUnit.SECONDS)
                    .range(RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8("k")).build()).getCount();
        } finally {
            ch.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
    }
}
