package dev.etcdj.server;

import dev.etcdj.proto.etcdserverpb.AuthEnableRequest;
import dev.etcdj.proto.etcdserverpb.AuthGrpc;
import dev.etcdj.proto.etcdserverpb.AuthRoleAddRequest;
import dev.etcdj.proto.etcdserverpb.AuthUserAddRequest;
import dev.etcdj.proto.etcdserverpb.AuthUserGrantRoleRequest;
import dev.etcdj.proto.etcdserverpb.AuthenticateRequest;
import dev.etcdj.proto.etcdserverpb.KVGrpc;
import dev.etcdj.proto.etcdserverpb.RangeRequest;
import io.grpc.Status;
import org.junit.jupiter.api.Test;

/** Simple tokens expire after the TTL (system property etcdj.authTokenTtl) and each use extends them. */
class AuthTokenTtlTest extends ServerTestBase {
    @Override
    protected EtcdServer.Builder configure(EtcdServer.Builder b) {
        // read once when the server installs its auth extension (in start())
        System.setProperty("etcdj.authTokenTtl", "1");
        return b;
    }

    @Test
    void tokenExpiresWhenUnusedForTheTtl() throws Exception {
        System.clearProperty("etcdj.authTokenTtl");
        AuthGrpc.AuthBlockingStub a = AuthGrpc.newBlockingStub(channel);
        a.userAdd(AuthUserAddRequest.newBuilder().setName("root").setPassword("pw").build());
        a.roleAdd(AuthRoleAddRequest.newBuilder().setName("root").build());
        a.userGrantRole(AuthUserGrantRoleRequest.newBuilder().setUser("root").setRole("root").build());
        a.authEnable(AuthEnableRequest.getDefaultInstance());
        String token = a.authenticate(AuthenticateRequest.newBuilder().setName("root").setPassword("pw").build())
                .getToken();
        KVGrpc.KVBlockingStub root = AuthTest.withToken(kv, token);
        RangeRequest r = RangeRequest.newBuilder().setKey(bs("a")).build();
        // used every 400 ms for 2 s: each use restarts the 1 s TTL
        for (int i = 0; i < 5; i++) {
            root.range(r);
            Thread.sleep(400); // the passing time is what is under test
        }
        root.range(r);
        Thread.sleep(1600); // unused for longer than the TTL: the expiry itself is under test
        assertEtcdError(() -> root.range(r), Status.Code.UNAUTHENTICATED, "etcdserver: invalid auth token");
        assertEtcdError(() -> kv.range(r), Status.Code.INVALID_ARGUMENT, "etcdserver: user name is empty");
    }
}
