package dev.etcdj.server.internal.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.etcdj.server.internal.EtcdException;
import dev.etcdj.server.internal.ServerConfig;
import dev.etcdj.server.internal.ServerCore;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Auth is wired explicitly and fails closed: every served method has a rule, a method without one is refused. */
class AuthWiringTest {
    private ServerCore core;

    @BeforeEach
    void open() {
        core = new ServerCore(new ServerConfig("default", null, List.of("http://127.0.0.1:0"), List.of(), List.of(),
                List.of("http://localhost:2380"), 128, 1_572_864, 0, Duration.ZERO, Duration.ofMinutes(10), null, 0,
                ServerConfig.Grpc.DEFAULTS, ServerConfig.Auth.DEFAULTS));
    }

    @AfterEach
    void close() {
        core.close();
    }

    @Test
    void everyMethodOfEveryServiceHasAPermissionRule() {
        AuthGuard guard = (AuthGuard) core.authorizer();
        List<String> services = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (ServerServiceDefinition svc : core.grpcServices(List::of)) {
            services.add(svc.getServiceDescriptor().getName());
            for (var m : svc.getMethods()) {
                if (!guard.covers(m.getMethodDescriptor())) {
                    missing.add(m.getMethodDescriptor().getFullMethodName());
                }
            }
        }
        assertThat(services).containsExactlyInAnyOrder("etcdserverpb.KV", "etcdserverpb.Watch", "etcdserverpb.Lease",
                "etcdserverpb.Cluster", "etcdserverpb.Maintenance", "etcdserverpb.Auth", "v3lockpb.Lock",
                "v3electionpb.Election");
        assertThat(missing).isEmpty();
    }

    @Test
    void aMethodWithoutARuleIsRefusedAtTheEdge() {
        MethodDescriptor<HealthCheckRequest, ?> unknown = HealthGrpc.getCheckMethod();
        Throwable t = catchThrowable(() -> core.authorizer().checkAtEdge(Caller.ANONYMOUS, unknown,
                HealthCheckRequest.getDefaultInstance()));
        assertThat(t).isInstanceOf(EtcdException.class).hasMessage("etcdserver: permission denied");
        t = catchThrowable(() -> core.authorizer().check(new Caller("any", null), unknown,
                HealthCheckRequest.getDefaultInstance()));
        assertThat(t).isInstanceOf(EtcdException.class);
    }
}
