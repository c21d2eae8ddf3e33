package dev.etcdj.client.internal.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.etcdj.client.AuthException;
import dev.etcdj.client.Bytes;
import dev.etcdj.client.EtcdError;
import dev.etcdj.client.EtcdException;
import dev.etcdj.client.Permission;
import dev.etcdj.client.PermissionDeniedException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class AuthConversionTest {

    @Test
    void permissionsRoundTripEveryType() {
        for (Permission.Type type : Permission.Type.values()) {
            Permission p = new Permission(type, Bytes.of("k/"), Bytes.of("k0"));
            dev.etcdj.proto.authpb.Permission wire = AuthClientImpl.permission(p);
            assertThat(wire.getPermType().name()).isEqualTo(type.name());
            assertThat(wire.getKey().toStringUtf8()).isEqualTo("k/");
            assertThat(wire.getRangeEnd().toStringUtf8()).isEqualTo("k0");
            assertThat(AuthClientImpl.permission(wire)).isEqualTo(p);
        }
    }

    @Test
    void singleKeyPermissionHasEmptyRangeEnd() {
        Permission p = new Permission(Permission.Type.READ, Bytes.of("a"), null);
        assertThat(AuthClientImpl.permission(p).getRangeEnd().isEmpty()).isTrue();
        assertThat(AuthClientImpl.permission(AuthClientImpl.permission(p)).rangeEnd()).isEqualTo(Bytes.EMPTY);
    }

    @Test
    void managementErrorsBecomeAuthExceptionOthersStayAsTheyAre() {
        EtcdException plain = new EtcdException(EtcdError.ROLE_NOT_FOUND);
        Throwable mapped = AuthClientImpl.asAuthException(new CompletionException(plain));
        assertThat(mapped).isInstanceOf(AuthException.class);
        assertThat(((AuthException) mapped).error()).isEqualTo(EtcdError.ROLE_NOT_FOUND);
        assertThat(((AuthException) mapped).code()).isEqualTo(EtcdException.Code.FAILED_PRECONDITION);
        assertThat(mapped.getMessage()).isEqualTo("etcdserver: role name not found");

        PermissionDeniedException denied = new PermissionDeniedException();
        assertThat(AuthClientImpl.asAuthException(denied)).isSameAs(denied);
        EtcdException unavailable = new EtcdException(EtcdError.NO_LEADER);
        assertThat(AuthClientImpl.asAuthException(unavailable)).isSameAs(unavailable);
    }
}
