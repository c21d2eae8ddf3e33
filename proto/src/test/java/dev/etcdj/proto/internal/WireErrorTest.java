package dev.etcdj.proto.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WireErrorTest {

    @Test
    void everyTextIsUniqueAndFoundAgainByIt() {
        Set<String> seen = new HashSet<>();
        for (WireError e : WireError.values()) {
            assertThat(seen.add(e.message())).as(e.name()).isTrue();
            assertThat(WireError.fromMessage(e.message())).isSameAs(e);
        }
        assertThat(WireError.fromMessage("etcdserver: something else")).isNull();
        assertThat(WireError.fromMessage(null)).isNull();
    }

    @Test
    void mappedErrorsCarryEtcdsPrefixAndUnmappedOnesTravelAsUnknown() {
        for (WireError e : WireError.values()) {
            if (!e.mapped()) {
                assertThat(e.code()).as(e.name()).isEqualTo(Status.Code.UNKNOWN);
            }
        }
        assertThat(WireError.ELECTION_NO_LEADER.mapped()).isFalse();
        assertThat(WireError.COMPACTED.mapped()).isTrue();
    }

    @Test
    void statusCarriesCodeAndExactText() {
        StatusRuntimeException e = WireError.NO_SPACE.asException();
        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(e.getStatus().getDescription()).isEqualTo("etcdserver: mvcc: database space exceeded");
        assertThat(WireError.INVALID_AUTH_TOKEN.code()).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(WireError.COMPACTED.message()).isEqualTo("etcdserver: mvcc: required revision has been compacted");
    }
}
