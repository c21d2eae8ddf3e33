package dev.etcdj.tck;

import static dev.etcdj.client.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import dev.etcdj.client.AuthClient;
import dev.etcdj.client.AuthException;
import dev.etcdj.client.AuthFailedException;
import dev.etcdj.client.AuthNotEnabledException;
import dev.etcdj.client.Bytes;
import dev.etcdj.client.EtcdClient;
import dev.etcdj.client.EtcdError;
import dev.etcdj.client.Options;
import dev.etcdj.client.Permission;
import dev.etcdj.client.PermissionDeniedException;
import dev.etcdj.proto.etcdserverpb.AuthGrpc;
import dev.etcdj.proto.etcdserverpb.AuthenticateRequest;
import dev.etcdj.proto.etcdserverpb.KVGrpc;
import dev.etcdj.proto.etcdserverpb.RangeRequest;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Users, roles, permissions, auth on and off, tokens that expire, and what auth does to watches
 * and keep-alives, on the public client. Every test starts with auth off and no users or roles
 * and leaves it so ({@link #resetAuth()}).
 *
 * <p>The target's simple tokens must live {@value #TOKEN_TTL_SECONDS} s past their last use (real
 * etcd: {@code --auth-token-ttl=2}).
 */
public abstract class AuthContract extends ContractSupport {

    static final int TOKEN_TTL_SECONDS = 2;
    private static final Duration T = Duration.ofSeconds(20);

    @AfterEach
    void resetAuth() {
        try (EtcdClient root = as("root", "rootpw")) {
            await(root.auth().disable());
        } catch (AuthNotEnabledException | AuthFailedException e) {
            // auth was already off (disable answers "not enabled"; a client with credentials of a
            // store without them fails to authenticate): nothing to undo
        }
        AuthClient auth = client.auth();
        for (String user : await(auth.userList()).users()) {
            await(auth.userDelete(user));
        }
        for (String role : await(auth.roleList()).roles()) {
            await(auth.roleDelete(role));
        }
    }

    private EtcdClient as(String user, String password) {
        return EtcdClient.builder().endpoints(endpoints()).credentials(user, password)
                .requestTimeout(Duration.ofSeconds(10)).build();
    }

    private void enableWithRoot() {
        AuthClient auth = client.auth();
        await(auth.userAdd("root", "rootpw"));
        await(auth.userGrantRole("root", "root"));
        await(auth.enable());
    }

    private static void assertAuthError(ThrowingCallable call, EtcdError error) {
        assertThatThrownBy(call)
                .isInstanceOfSatisfying(AuthException.class, e -> assertThat(e.error()).isEqualTo(error))
                .hasMessage(error.message());
    }

    // ---- management

    @Test
    void usersAndRolesAreManaged() {
        AuthClient auth = client.auth();
        await(auth.userAdd("alice", "pw"));
        await(auth.userAdd("bob", "pw"));
        await(auth.roleAdd("reader"));
        await(auth.roleAdd("writer"));

        assertThat(await(auth.userList()).users()).containsExactly("alice", "bob");
        assertThat(await(auth.roleList()).roles()).containsExactly("reader", "writer");
        assertThat(await(auth.userGet("alice")).roles()).isEmpty();

        await(auth.userGrantRole("alice", "reader"));
        await(auth.userGrantRole("alice", "writer"));
        assertThat(await(auth.userGet("alice")).roles()).containsExactly("reader", "writer");
        await(auth.userRevokeRole("alice", "writer"));
        assertThat(await(auth.userGet("alice")).roles()).containsExactly("reader");

        Permission single = new Permission(Permission.Type.READ, Bytes.of("config"), Bytes.EMPTY);
        Permission prefix = new Permission(Permission.Type.READWRITE, Bytes.of("app/"), Bytes.of("app/").prefixEnd());
        Permission fromKey = new Permission(Permission.Type.WRITE, Bytes.of("z"), Bytes.ZERO);
        await(auth.roleGrantPermission("reader", single));
        await(auth.roleGrantPermission("reader", prefix));
        await(auth.roleGrantPermission("reader", fromKey));
        assertThat(await(auth.roleGet("reader")).permissions()).containsExactlyInAnyOrder(single, prefix, fromKey);

        await(auth.roleRevokePermission("reader", Bytes.of("app/"), Bytes.of("app/").prefixEnd()));
        assertThat(await(auth.roleGet("reader")).permissions()).containsExactlyInAnyOrder(single, fromKey);
        await(auth.roleRevokePermission("reader", Bytes.of("config"), null));
        assertThat(await(auth.roleGet("reader")).permissions()).containsExactly(fromKey);

        await(auth.userChangePassword("bob", "new"));
        await(auth.userDelete("bob"));
        await(auth.roleDelete("writer"));
        assertThat(await(auth.userList()).users()).containsExactly("alice");
        assertThat(await(auth.roleList()).roles()).containsExactly("reader");
    }

    @Test
    void managementErrorsAreTyped() {
        AuthClient auth = client.auth();
        await(auth.userAdd("alice", "pw"));
        await(auth.roleAdd("r"));

        assertAuthError(() -> await(auth.userAdd("alice", "pw")), EtcdError.USER_ALREADY_EXIST);
        assertAuthError(() -> await(auth.roleAdd("r")), EtcdError.ROLE_ALREADY_EXIST);
        assertAuthError(() -> await(auth.userGet("nobody")), EtcdError.USER_NOT_FOUND);
        assertAuthError(() -> await(auth.roleGet("none")), EtcdError.ROLE_NOT_FOUND);
        assertAuthError(() -> await(auth.userGrantRole("alice", "none")), EtcdError.ROLE_NOT_FOUND);
        assertAuthError(() -> await(auth.userRevokeRole("alice", "r")), EtcdError.ROLE_NOT_GRANTED);
        assertAuthError(() -> await(auth.roleRevokePermission("r", Bytes.of("k"), Bytes.EMPTY)),
                EtcdError.PERMISSION_NOT_GRANTED);
        assertAuthError(() -> await(auth.userAdd("", "pw")), EtcdError.USER_EMPTY);
        assertAuthError(() -> await(auth.roleAdd("")), EtcdError.ROLE_EMPTY);
        // Enabling needs root with the root role, in that order.
        assertAuthError(() -> await(auth.enable()), EtcdError.ROOT_USER_NOT_EXIST);
        await(auth.userAdd("root", "rootpw"));
        assertAuthError(() -> await(auth.enable()), EtcdError.ROOT_ROLE_NOT_EXIST);
    }

    // ---- enforcement

    @Test
    void permissionsAreEnforcedOnceAuthIsEnabled() {
        enableWithRoot();
        try (EtcdClient root = as("root", "rootpw")) {
            AuthClient auth = root.auth();
            await(auth.userAdd("alice", "alicepw"));
            await(auth.roleAdd("app-reader"));
            await(auth.roleGrantPermission("app-reader",
                    new Permission(Permission.Type.READ, Bytes.of("app/"), Bytes.of("app/").prefixEnd())));
            await(auth.userGrantRole("alice", "app-reader"));
            await(root.kv().put("app/x", "1"));
            await(root.kv().put("other", "2"));
        }

        try (EtcdClient alice = as("alice", "alicepw")) {
            assertThat(await(alice.kv().get("app/x")).kvs()).hasSize(1);
            assertThat(await(alice.kv().get("app/", Options.prefix())).count()).isEqualTo(1);
            assertThatThrownBy(() -> await(alice.kv().put("app/x", "nope")))
                    .isInstanceOf(PermissionDeniedException.class)
                    .hasMessage(EtcdError.PERMISSION_DENIED.message());
            assertThatThrownBy(() -> await(alice.kv().get("other"))).isInstanceOf(PermissionDeniedException.class);
            // Management needs root.
            assertThatThrownBy(() -> await(alice.auth().userList())).isInstanceOf(PermissionDeniedException.class);
        }

        // Without credentials nothing works any more.
        assertAuthError(() -> await(client.kv().get("app/x")), EtcdError.USER_EMPTY);
        assertAuthError(() -> await(client.auth().userList()), EtcdError.USER_EMPTY);
    }

    @Test
    void aWrongPasswordOrAnUnknownUserIsAuthFailed() {
        enableWithRoot();
        try (EtcdClient wrong = as("root", "not-the-password")) {
            assertThatThrownBy(() -> await(wrong.kv().get("k")))
                    .isInstanceOf(AuthFailedException.class)
                    .hasMessage(EtcdError.AUTH_FAILED.message());
        }
        try (EtcdClient unknown = as("nobody", "pw")) {
            assertThatThrownBy(() -> await(unknown.kv().get("k"))).isInstanceOf(AuthFailedException.class);
        }
    }

    @Test
    void aClientWithCredentialsKeepsWorkingAcrossEnableDisableAndEnable() {
        await(client.auth().userAdd("root", "rootpw"));
        await(client.auth().userGrantRole("root", "root"));

        try (EtcdClient root = as("root", "rootpw")) {
            // Auth still off: like clientv3, the client goes on without a token.
            await(root.kv().put(key("k"), "0"));

            // Enabled behind the client's back (by another client): the server now wants a token
            // ("user name is empty"), the client fetches one and retries.
            await(client.auth().enable());
            assertThat(await(root.kv().get(key("k"))).kvs()).hasSize(1);
            await(root.kv().put(key("k"), "1"));
            assertThat(await(root.kv().get(key("k"))).kvs().get(0).value().toStringUtf8()).isEqualTo("1");

            await(root.auth().disable());
            // etcd 3.4 drops every token on disable and then rejects the stale one.
            await(root.kv().put(key("k"), "2"));
            assertThat(await(client.kv().get(key("k"))).kvs().get(0).value().toStringUtf8()).isEqualTo("2");

            await(root.auth().enable());
            await(root.kv().put(key("k"), "3"));
            assertThat(await(root.kv().get(key("k"))).kvs().get(0).value().toStringUtf8()).isEqualTo("3");
            assertAuthError(() -> await(client.kv().get(key("k"))), EtcdError.USER_EMPTY);
            // Enabling twice is harmless.
            await(root.auth().enable());
            assertThat(await(root.auth().userGet("root")).roles()).containsExactly("root");
        }
    }

    // ---- tokens

    @Test
    void aCallAfterTheServerExpiredTheTokenStillWorks() throws InterruptedException {
        enableWithRoot();
        URI u = URI.create(endpoints().get(0));
        ManagedChannel raw = ManagedChannelBuilder.forAddress(u.getHost(), u.getPort()).usePlaintext().build();
        try (EtcdClient root = as("root", "rootpw")) {
            await(root.kv().put(key("k"), "1"));

            // From here on the client's token is unused. Tokens issued now, each checked at most once
            // (a check would renew it), tell when the server has expired every token this old.
            assertThat(valid(raw, authenticate(raw))).as("a fresh token works").isTrue();
            long start = System.nanoTime();
            Deque<String> probes = new ArrayDeque<>();
            for (int i = 0; i < 16; i++) {
                probes.add(authenticate(raw));
            }
            Awaitility.await().atMost(Duration.ofSeconds(TOKEN_TTL_SECONDS + 6)).pollInterval(Duration.ofMillis(500))
                    .until(() -> !valid(raw, probes.pop()));
            // Simple tokens live the TTL past their last use.
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(Duration.ofMillis(TOKEN_TTL_SECONDS * 750L));

            assertThat(await(root.kv().get(key("k"))).kvs().get(0).value().toStringUtf8()).isEqualTo("1");
            await(root.kv().put(key("k"), "2"));
        } finally {
            raw.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    private static String authenticate(ManagedChannel raw) {
        return AuthGrpc.newBlockingStub(raw).withDeadlineAfter(10, TimeUnit.SECONDS)
                .authenticate(AuthenticateRequest.newBuilder().setName("root").setPassword("rootpw").build())
                .getToken();
    }

    private boolean valid(ManagedChannel raw, String token) {
        Metadata md = new Metadata();
        md.put(Metadata.Key.of("token", Metadata.ASCII_STRING_MARSHALLER), token);
        try {
            KVGrpc.newBlockingStub(ClientInterceptors.intercept(raw, MetadataUtils.newAttachHeadersInterceptor(md)))
                    .withDeadlineAfter(10, TimeUnit.SECONDS)
                    .range(RangeRequest.newBuilder().setKey(ByteString.copyFromUtf8(key("k"))).build());
            return true;
        } catch (StatusRuntimeException e) {
            assertThat(e.getStatus().getDescription()).isEqualTo("etcdserver: invalid auth token");
            return false;
        }
    }

    // ---- streams under auth

    /** Root, and a user "reader" who may read and write {@code allowed/} only. */
    private void enableWithReader() {
        AuthClient auth = client.auth();
        await(auth.roleAdd("reader"));
        await(auth.roleGrantPermission("reader", new Permission(Permission.Type.READWRITE,
                Bytes.of("allowed/"), Bytes.of("allowed/").prefixEnd())));
        await(auth.userAdd("reader", "readerpw"));
        await(auth.userGrantRole("reader", "reader"));
        enableWithRoot();
    }

    @Test
    void aWatchOnAKeyTheUserMayNotReadEndsWithPermissionDenied() {
        enableWithReader();
        try (EtcdClient reader = as("reader", "readerpw")) {
            HeardWatch denied = new HeardWatch();
            HeardWatch allowed = new HeardWatch();
            // From the next revision: the put below cannot slip in before the watch is created.
            long next = await(reader.kv().get("allowed/x")).header().revision() + 1;
            reader.watch().watch("secret/x", denied);
            reader.watch().watch("allowed/x", allowed, Options.revision(next));
            assertThat(denied.error).succeedsWithin(T).isInstanceOf(PermissionDeniedException.class)
                    .extracting(Throwable::getMessage).isEqualTo("etcdserver: permission denied");
            // Only that watch: the stream and the other watch on it go on.
            await(reader.kv().put("allowed/x", "1"));
            Awaitility.await().atMost(T).until(() -> allowed.responses.size() >= 1);
            assertThat(allowed.terminals()).isZero();
            assertThat(denied.terminals()).isEqualTo(1);
        }
    }

    @Test
    void aRefusedWatchAmongManyCreatedAtOnceEndsAloneAndTheOthersHearTheirKeys() {
        enableWithReader();
        int n = 500;
        int secret = 250;       // in the middle of the creates in flight
        try (EtcdClient reader = as("reader", "readerpw")) {
            java.util.List<HeardWatch> heard = new java.util.ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                HeardWatch h = new HeardWatch();
                heard.add(h);
                reader.watch().watch(i == secret ? "secret/x" : "allowed/many/" + i, h);
            }
            assertThat(heard.get(secret).error).succeedsWithin(T).isInstanceOf(PermissionDeniedException.class);
            long[] revs = new long[n];
            for (int i = 0; i < n; i++) {
                if (i != secret) {
                    revs[i] = await(reader.kv().put("allowed/many/" + i, "v")).header().revision();
                }
            }
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> {
                for (int i = 0; i < n; i++) {
                    if (i != secret && heard.get(i).events() < 1) {
                        return false;
                    }
                }
                return true;
            });
            for (int i = 0; i < n; i++) {
                HeardWatch h = heard.get(i);
                if (i == secret) {
                    assertThat(h.terminals()).isEqualTo(1);
                    assertThat(h.events()).isZero();
                } else {
                    assertThat(h.terminals()).as("watch %d", i).isZero();
                    assertThat(h.revisions()).as("watch %d", i).containsExactly(revs[i]);
                    assertThat(h.responses.get(0).events().get(0).kv().key()).isEqualTo(Bytes.of("allowed/many/" + i));
                }
            }
        }
    }

    @Test
    void badCredentialsEndWatchesAndKeepAlivesWithTheAuthError() {
        enableWithReader();
        long lease;
        try (EtcdClient root = as("root", "rootpw")) {
            lease = await(root.lease().grant(60)).leaseId();
        }
        try (EtcdClient wrong = as("reader", "not-the-password")) {
            HeardWatch watch = new HeardWatch();
            HeardKeepAlive renewals = new HeardKeepAlive();
            wrong.watch().watch("allowed/x", watch);
            wrong.lease().keepAlive(lease, renewals);
            // At once, not after retrying until the lease's deadline (60 s).
            assertThat(watch.error).succeedsWithin(T).isInstanceOf(AuthFailedException.class);
            assertThat(renewals.end).succeedsWithin(T).isInstanceOf(AuthFailedException.class);
            assertThat(renewals.renewals).isEmpty();
        }
    }
}
