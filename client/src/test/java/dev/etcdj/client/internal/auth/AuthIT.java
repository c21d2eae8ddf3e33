package dev.etcdj.client.internal.auth;

import static dev.etcdj.client.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.etcdj.client.AuthClient;
import dev.etcdj.client.AuthException;
import dev.etcdj.client.AuthFailedException;
import dev.etcdj.client.Bytes;
import dev.etcdj.client.EtcdClient;
import dev.etcdj.client.EtcdError;
import dev.etcdj.client.Options;
import dev.etcdj.client.Permission;
import dev.etcdj.client.PermissionDeniedException;
import dev.etcdj.testing.EtcdProcess;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

/**
 * Users, roles, permissions and auth on/off against one real etcd. Each test gets a fresh etcd,
 * since enabling auth changes what every later call needs.
 */
class AuthIT {

    private EtcdProcess etcd;
    private EtcdClient admin;

    @BeforeEach
    void start() {
        etcd = EtcdProcess.builder().name("auth").build();
        etcd.start();
        admin = EtcdClient.builder().endpoints(etcd.endpoint()).build();
    }

    @AfterEach
    void stop() {
        if (admin != null) {
            admin.close();
        }
        if (etcd != null) {
            etcd.close();
        }
    }

    @Test
    void usersAndRolesAreManaged() {
        AuthClient auth = admin.auth();
        await(auth.userAdd("alice", "pw"));
        await(auth.userAdd("bob", "pw"));
        await(auth.roleAdd("reader"));
        await(auth.roleAdd("writer"));

        assertThat(await(auth.userList())).containsExactly("alice", "bob");
        assertThat(await(auth.roleList())).containsExactly("reader", "writer");
        assertThat(await(auth.userGet("alice"))).isEmpty();

        await(auth.userGrantRole("alice", "reader"));
        await(auth.userGrantRole("alice", "writer"));
        assertThat(await(auth.userGet("alice"))).containsExactly("reader", "writer");
        await(auth.userRevokeRole("alice", "writer"));
        assertThat(await(auth.userGet("alice"))).containsExactly("reader");

        Permission single = new Permission(Permission.Type.READ, Bytes.of("config"), Bytes.EMPTY);
        Permission prefix = new Permission(Permission.Type.READWRITE, Bytes.of("app/"), Bytes.of("app/").prefixEnd());
        Permission fromKey = new Permission(Permission.Type.WRITE, Bytes.of("z"), Bytes.ZERO);
        await(auth.roleGrantPermission("reader", single));
        await(auth.roleGrantPermission("reader", prefix));
        await(auth.roleGrantPermission("reader", fromKey));
        assertThat(await(auth.roleGet("reader"))).containsExactlyInAnyOrder(single, prefix, fromKey);

        await(auth.roleRevokePermission("reader", Bytes.of("app/"), Bytes.of("app/").prefixEnd()));
        assertThat(await(auth.roleGet("reader"))).containsExactlyInAnyOrder(single, fromKey);
        await(auth.roleRevokePermission("reader", Bytes.of("config"), null));
        assertThat(await(auth.roleGet("reader"))).containsExactly(fromKey);

        await(auth.userChangePassword("bob", "new"));
        await(auth.userDelete("bob"));
        await(auth.roleDelete("writer"));
        assertThat(await(auth.userList())).containsExactly("alice");
        assertThat(await(auth.roleList())).containsExactly("reader");
    }

    @Test
    void managementErrorsAreTyped() {
        AuthClient auth = admin.auth();
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

    @Test
    void permissionsAreEnforcedOnceAuthIsEnabled() {
        enableWithRoot();
        try (EtcdClient root = client("root", "rootpw")) {
            AuthClient auth = root.auth();
            await(auth.userAdd("alice", "alicepw"));
            await(auth.roleAdd("app-reader"));
            await(auth.roleGrantPermission("app-reader",
                    new Permission(Permission.Type.READ, Bytes.of("app/"), Bytes.of("app/").prefixEnd())));
            await(auth.userGrantRole("alice", "app-reader"));
            await(root.kv().put("app/x", "1"));
            await(root.kv().put("other", "2"));
        }

        try (EtcdClient alice = client("alice", "alicepw")) {
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
        assertAuthError(() -> await(admin.kv().get("app/x")), EtcdError.USER_EMPTY);
        assertAuthError(() -> await(admin.auth().userList()), EtcdError.USER_EMPTY);
    }

    @Test
    void wrongPasswordIsAuthFailed() {
        enableWithRoot();

        try (EtcdClient wrong = client("root", "not-the-password")) {
            assertThatThrownBy(() -> await(wrong.kv().get("k")))
                    .isInstanceOf(AuthFailedException.class)
                    .hasMessage(EtcdError.AUTH_FAILED.message());
        }
        try (EtcdClient unknown = client("nobody", "pw")) {
            assertThatThrownBy(() -> await(unknown.kv().get("k"))).isInstanceOf(AuthFailedException.class);
        }
    }

    @Test
    @Disabled("client-core bug: with credentials and auth off, TokenCredentials fails every call with the"
            + " AuthNotEnabledException of Authenticate instead of sending no token; after a disable the stale"
            + " token is refused (3.4) and re-authenticating fails the same way. Enable once GrpcTransport"
            + " handles AUTH_NOT_ENABLED (no token) and USER_EMPTY after a re-enable (authenticate again).")
    void aClientWithCredentialsKeepsWorkingAcrossDisableAndEnable() {
        await(admin.auth().userAdd("root", "rootpw"));
        await(admin.auth().userGrantRole("root", "root"));

        try (EtcdClient root = client("root", "rootpw")) {
            // Auth still off: credentials must not get in the way.
            await(root.kv().put("k", "0"));

            await(root.auth().enable());
            await(root.kv().put("k", "1"));
            assertThat(await(root.kv().get("k")).kvs().get(0).value().toStringUtf8()).isEqualTo("1");

            await(root.auth().disable());
            // etcd 3.4 drops every token on disable and then rejects the stale one.
            await(root.kv().put("k", "2"));
            assertThat(await(admin.kv().get("k")).kvs().get(0).value().toStringUtf8()).isEqualTo("2");

            await(root.auth().enable());
            await(root.kv().put("k", "3"));
            assertThat(await(root.kv().get("k")).kvs().get(0).value().toStringUtf8()).isEqualTo("3");
            assertAuthError(() -> await(admin.kv().get("k")), EtcdError.USER_EMPTY);
        }
    }

    @Test
    void enablingTwiceIsHarmless() {
        enableWithRoot();
        try (EtcdClient root = client("root", "rootpw")) {
            await(root.auth().enable());
            assertThat(await(root.auth().userGet("root"))).containsExactly("root");
        }
    }

    private void enableWithRoot() {
        AuthClient auth = admin.auth();
        await(auth.userAdd("root", "rootpw"));
        await(auth.userGrantRole("root", "root"));
        await(auth.enable());
    }

    private EtcdClient client(String user, String password) {
        return EtcdClient.builder().endpoints(etcd.endpoint()).credentials(user, password).build();
    }

    private static void assertAuthError(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, EtcdError error) {
        assertThatThrownBy(call)
                .isInstanceOfSatisfying(AuthException.class, e -> assertThat(e.error()).isEqualTo(error))
                .hasMessage(error.message());
    }
}
