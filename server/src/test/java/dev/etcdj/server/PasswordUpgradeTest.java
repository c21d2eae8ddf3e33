package dev.etcdj.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.etcdj.proto.authpb.User;
import dev.etcdj.proto.etcdserverpb.AuthEnableRequest;
import dev.etcdj.proto.etcdserverpb.AuthGrpc;
import dev.etcdj.proto.etcdserverpb.AuthRoleAddRequest;
import dev.etcdj.proto.etcdserverpb.AuthStatusRequest;
import dev.etcdj.proto.etcdserverpb.AuthUserAddRequest;
import dev.etcdj.proto.etcdserverpb.AuthUserGrantRoleRequest;
import dev.etcdj.proto.etcdserverpb.AuthenticateRequest;
import dev.etcdj.server.internal.storage.Backend;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.rocksdb.WriteBatch;

/**
 * A data dir written by an etcdj release that stored PBKDF2 password hashes: its users still log in,
 * and the first successful login rewrites the hash as etcd's bcrypt (without a new auth revision).
 */
class PasswordUpgradeTest {
    private static final byte[] USER_OLD = {'A', 'u', 'o', 'l', 'd'};
    private Path dir;

    @BeforeEach
    void setUp() throws Exception {
        dir = Files.createTempDirectory("etcdj-pw-upgrade-");
    }

    @AfterEach
    void tearDown() {
        Backend.deleteRecursively(dir);
    }

    private void withServer(Consumer<AuthGrpc.AuthBlockingStub> body) throws Exception {
        try (EtcdServer s = EtcdServer.builder().dataDir(dir).bcryptCost(4)
                .listenClientUrls(List.of("http://127.0.0.1:0")).build()) {
            s.start();
            URI u = URI.create(s.endpoint());
            ManagedChannel ch = NettyChannelBuilder.forAddress(u.getHost(), u.getPort()).usePlaintext().build();
            try {
                body.accept(AuthGrpc.newBlockingStub(ch).withDeadlineAfter(30, TimeUnit.SECONDS));
            } finally {
                ch.shutdownNow();
                ch.awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }

    private User storedUser() throws Exception {
        try (Backend b = Backend.open(dir.resolve("rocksdb"))) {
            return User.parseFrom(b.get(USER_OLD));
        }
    }

    private static String legacyHash(String password) throws Exception {
        byte[] salt = new byte[16];
        new SecureRandom().nextBytes(salt);
        byte[] h = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                .generateSecret(new PBEKeySpec(password.toCharArray(), salt, 20_000, 256)).getEncoded();
        Base64.Encoder b64 = Base64.getEncoder().withoutPadding();
        return "pbkdf2-sha256$20000$" + b64.encodeToString(salt) + "$" + b64.encodeToString(h);
    }

    private static long authRevision(AuthGrpc.AuthBlockingStub auth) {
        return auth.authStatus(AuthStatusRequest.getDefaultInstance()).getAuthRevision();
    }

    @Test
    void olderPbkdf2HashLogsInAndIsRewrittenAsBcrypt() throws Exception {
        withServer(auth -> {
            auth.userAdd(AuthUserAddRequest.newBuilder().setName("root").setPassword("rootpw").build());
            auth.roleAdd(AuthRoleAddRequest.newBuilder().setName("root").build());
            auth.userGrantRole(AuthUserGrantRoleRequest.newBuilder().setUser("root").setRole("root").build());
            auth.userAdd(AuthUserAddRequest.newBuilder().setName("old").setPassword("first").build());
            auth.authEnable(AuthEnableRequest.getDefaultInstance());
        });
        assertThat(storedUser().getPassword().toStringUtf8()).startsWith("$2a$04$");
        // what an older etcdj left in the data dir
        try (Backend b = Backend.open(dir.resolve("rocksdb")); WriteBatch batch = new WriteBatch()) {
            User legacy = User.parseFrom(b.get(USER_OLD)).toBuilder()
                    .setPassword(com.google.protobuf.ByteString.copyFromUtf8(legacyHash("old-pw"))).build();
            Backend.put(batch, USER_OLD, legacy.toByteArray());
            b.write(batch, true);
        }
        long[] revisions = new long[2];
        withServer(auth -> {
            assertThatThrownBy(() -> auth.authenticate(AuthenticateRequest.newBuilder().setName("old")
                    .setPassword("first").build()))
                    .isInstanceOf(StatusRuntimeException.class).hasMessageContaining("authentication failed");
            revisions[0] = authRevision(auth);
            assertThat(auth.authenticate(AuthenticateRequest.newBuilder().setName("old").setPassword("old-pw").build())
                    .getToken()).isNotEmpty();
            revisions[1] = authRevision(auth);
        });
        assertThat(revisions[1]).isEqualTo(revisions[0]);
        User upgraded = storedUser();
        assertThat(upgraded.getPassword().toString(StandardCharsets.US_ASCII)).matches("\\$2a\\$04\\$[./A-Za-z0-9]{53}");
        assertThat(upgraded.getRolesList()).isEmpty();
        withServer(auth -> {
            assertThat(auth.authenticate(AuthenticateRequest.newBuilder().setName("old").setPassword("old-pw").build())
                    .getToken()).isNotEmpty();
            assertThatThrownBy(() -> auth.authenticate(AuthenticateRequest.newBuilder().setName("old")
                    .setPassword("first").build()))
                    .isInstanceOf(StatusRuntimeException.class).hasMessageContaining("authentication failed");
        });
    }
}
