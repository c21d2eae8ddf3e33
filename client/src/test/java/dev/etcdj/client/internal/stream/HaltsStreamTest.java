package dev.etcdj.client.internal.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.etcdj.client.AuthFailedException;
import dev.etcdj.client.ClientClosedException;
import dev.etcdj.client.EtcdUnavailableException;
import dev.etcdj.client.EtcdError;
import dev.etcdj.client.internal.Errors;
import io.grpc.Status;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Which stream failures end a watch or keep-alive at once ({@link Errors#haltsStream}) and which are retried. */
class HaltsStreamTest {

    @ParameterizedTest(name = "{0} {1} -> halts {2}")
    @CsvSource(delimiter = '|', value = {
        // passing trouble: connections, members, leaders, timeouts, cancellations
        "UNAVAILABLE        | io exception                                          | false",
        "UNAVAILABLE        | etcdserver: no leader                                 | false",
        "UNAVAILABLE        | etcdserver: leader changed                            | false",
        "UNAVAILABLE        | etcdserver: request timed out                         | false",
        "INTERNAL           | Received unexpected EOS on DATA frame from server     | false",
        "UNKNOWN            | lease: not primary                                    | false",
        "CANCELLED          | etcdserver: request cancelled                         | false",
        "DEADLINE_EXCEEDED  | context deadline exceeded                             | false",
        "ABORTED            | aborted                                               | false",
        // cured by a new token, or by waiting
        "UNAUTHENTICATED    | etcdserver: invalid auth token                        | false",
        "INVALID_ARGUMENT   | etcdserver: revision of auth store is old             | false",
        "INVALID_ARGUMENT   | etcdserver: user name is empty                        | false",
        "RESOURCE_EXHAUSTED | etcdserver: too many requests                         | false",
        "RESOURCE_EXHAUSTED | etcdserver: mvcc: database space exceeded             | false",
        // what trying again repeats
        "PERMISSION_DENIED  | etcdserver: permission denied                         | true",
        "INVALID_ARGUMENT   | etcdserver: authentication failed, invalid user ID or password | true",
        "RESOURCE_EXHAUSTED | gRPC message exceeds maximum size 65536: 102433      | true",
        "RESOURCE_EXHAUSTED | grpc: received message larger than max (3145739 vs. 2097152) | true",
        "UNIMPLEMENTED      | unknown service etcdserverpb.Watch                    | true",
        "UNAUTHENTICATED    | no credentials                                        | true",
        "FAILED_PRECONDITION| precondition                                          | true",
    })
    void byStatus(Status.Code code, String description, boolean halts) {
        assertThat(Errors.haltsStream(Status.fromCode(code).withDescription(description).asRuntimeException()))
                .isEqualTo(halts);
    }

    @Test
    void aConnectionLostInsideGrpcIsRetried() {
        assertThat(Errors.haltsStream(Status.UNKNOWN.withDescription("channel closed")
                .withCause(new ClosedChannelException()).asRuntimeException())).isFalse();
    }

    @Test
    void ourOwnErrorRaisedInsideGrpcDecidesByItsCode() {
        // Call credentials keep the code of the failed Authenticate and carry our typed error.
        AuthFailedException badPassword = new AuthFailedException(EtcdError.AUTH_FAILED.message(), null);
        assertThat(Errors.haltsStream(Status.INVALID_ARGUMENT.withCause(badPassword).asRuntimeException())).isTrue();
        EtcdUnavailableException down = new EtcdUnavailableException(EtcdError.UNKNOWN, "io exception", null);
        assertThat(Errors.haltsStream(Status.UNAUTHENTICATED.withCause(down).asRuntimeException())).isFalse();
        assertThat(Errors.haltsStream(Status.UNAUTHENTICATED.withCause(new ClientClosedException())
                .asRuntimeException())).isFalse();
    }

    @Test
    void aFailureThatIsNotGrpcsIsRetried() {
        assertThat(Errors.haltsStream(new IOException("boom"))).isFalse();
        assertThat(Errors.haltsStream(new IllegalStateException("boom"))).isFalse();
    }
}
