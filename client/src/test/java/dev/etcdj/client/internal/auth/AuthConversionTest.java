package dev.etcdj.client.internal.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.etcdj.client.Bytes;
import dev.etcdj.client.Permission;
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
}
