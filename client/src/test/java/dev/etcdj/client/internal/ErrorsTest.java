package dev.etcdj.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.etcdj.client.AuthException;
import dev.etcdj.client.AuthFailedException;
import dev.etcdj.client.AuthNotEnabledException;
import dev.etcdj.client.CompactedException;
import dev.etcdj.client.CorruptClusterException;
import dev.etcdj.client.DuplicateKeyException;
import dev.etcdj.client.EmptyKeyException;
import dev.etcdj.client.EtcdError;
import dev.etcdj.client.EtcdException;
import dev.etcdj.client.EtcdTimeoutException;
import dev.etcdj.client.EtcdUnavailableException;
import dev.etcdj.client.FutureRevisionException;
import dev.etcdj.client.InvalidAuthTokenException;
import dev.etcdj.client.KeyNotFoundException;
import dev.etcdj.client.LeaseExistsException;
import dev.etcdj.client.LeaseNotFoundException;
import dev.etcdj.client.LeaseProvidedException;
import dev.etcdj.client.LeaseTtlTooLargeException;
import dev.etcdj.client.MemberException;
import dev.etcdj.client.NoLeaderException;
import dev.etcdj.client.NoSpaceException;
import dev.etcdj.client.NotLeaderException;
import dev.etcdj.client.PermissionDeniedException;
import dev.etcdj.client.RequestTooLargeException;
import dev.etcdj.client.TooManyOpsException;
import dev.etcdj.client.TooManyRequestsException;
import dev.etcdj.client.ValueProvidedException;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.provider.CsvSource;

class ErrorsTest {

    /** Every etcd error, sent the way etcd sends it (its status code, its exact text). */
    private static EtcdException fromServer(EtcdError e) {
        Status status = Status.fromCodeValue(Status.Code.valueOf(e.code().name()).value()).withDescription(e.message());
        return Errors.toEtcdException(status.asRuntimeException());
    }

    static Stream<Arguments> typed() {
        return Stream.of(
                Arguments.of(EtcdError.COMPACTED, CompactedException.class),
                Arguments.of(EtcdError.FUTURE_REV, FutureRevisionException.class),
                Arguments.of(EtcdError.EMPTY_KEY, EmptyKeyException.class),
                Arguments.of(EtcdError.KEY_NOT_FOUND, KeyNotFoundException.class),
                Arguments.of(EtcdError.VALUE_PROVIDED, ValueProvidedException.class),
                Arguments.of(EtcdError.LEASE_PROVIDED, LeaseProvidedException.class),
                Arguments.of(EtcdError.TOO_MANY_OPS, TooManyOpsException.class),
                Arguments.of(EtcdError.DUPLICATE_KEY, DuplicateKeyException.class),
                Arguments.of(EtcdError.REQUEST_TOO_LARGE, RequestTooLargeException.class),
                Arguments.of(EtcdError.NO_SPACE, NoSpaceException.class),
                Arguments.of(EtcdError.TOO_MANY_REQUESTS, TooManyRequestsException.class),
                Arguments.of(EtcdError.LEASE_NOT_FOUND, LeaseNotFoundException.class),
                Arguments.of(EtcdError.LEASE_EXISTS, LeaseExistsException.class),
                Arguments.of(EtcdError.LEASE_TTL_TOO_LARGE, LeaseTtlTooLargeException.class),
                Arguments.of(EtcdError.NO_LEADER, NoLeaderException.class),
                Arguments.of(EtcdError.NOT_LEADER, NotLeaderException.class),
                Arguments.of(EtcdError.PERMISSION_DENIED, PermissionDeniedException.class),
                Arguments.of(EtcdError.INVALID_AUTH_TOKEN, InvalidAuthTokenException.class),
                Arguments.of(EtcdError.AUTH_FAILED, AuthFailedException.class),
                Arguments.of(EtcdError.AUTH_NOT_ENABLED, AuthNotEnabledException.class),
                Arguments.of(EtcdError.CORRUPT, CorruptClusterException.class),
                Arguments.of(EtcdError.MEMBER_BAD_URLS, MemberException.class),
                Arguments.of(EtcdError.MEMBER_NOT_FOUND, MemberException.class),
                Arguments.of(EtcdError.MEMBER_EXISTS, MemberException.class),
                Arguments.of(EtcdError.PEER_URL_EXISTS, MemberException.class),
                Arguments.of(EtcdError.MEMBER_NOT_ENOUGH_STARTED, MemberException.class),
                Arguments.of(EtcdError.MEMBER_NOT_LEARNER, MemberException.class),
                Arguments.of(EtcdError.LEARNER_NOT_READY, MemberException.class),
                Arguments.of(EtcdError.TOO_MANY_LEARNERS, MemberException.class),
                Arguments.of(EtcdError.CLUSTER_ID_MISMATCH, MemberException.class),
                Arguments.of(EtcdError.USER_EMPTY, AuthException.class),
                Arguments.of(EtcdError.ROLE_EMPTY, AuthException.class),
                Arguments.of(EtcdError.PERMISSION_NOT_GIVEN, AuthException.class),
                Arguments.of(EtcdError.INVALID_AUTH_MGMT, AuthException.class),
                Arguments.of(EtcdError.AUTH_OLD_REVISION, AuthException.class),
                Arguments.of(EtcdError.ROOT_USER_NOT_EXIST, AuthException.class),
                Arguments.of(EtcdError.ROOT_ROLE_NOT_EXIST, AuthException.class),
                Arguments.of(EtcdError.USER_ALREADY_EXIST, AuthException.class),
                Arguments.of(EtcdError.USER_NOT_FOUND, AuthException.class),
                Arguments.of(EtcdError.ROLE_ALREADY_EXIST, AuthException.class),
                Arguments.of(EtcdError.ROLE_NOT_FOUND, AuthException.class),
                Arguments.of(EtcdError.ROLE_NOT_GRANTED, AuthException.class),
                Arguments.of(EtcdError.PERMISSION_NOT_GRANTED, AuthException.class),
                Arguments.of(EtcdError.LEADER_CHANGED, EtcdUnavailableException.class),
                Arguments.of(EtcdError.NOT_CAPABLE, EtcdUnavailableException.class),
                Arguments.of(EtcdError.STOPPED, EtcdUnavailableException.class),
                Arguments.of(EtcdError.UNHEALTHY, EtcdUnavailableException.class),
                Arguments.of(EtcdError.LEARNER_NOT_SUPPORTED, EtcdUnavailableException.class),
                Arguments.of(EtcdError.TIMEOUT, EtcdTimeoutException.class),
                Arguments.of(EtcdError.TIMEOUT_DUE_TO_LEADER_FAIL, EtcdTimeoutException.class),
                Arguments.of(EtcdError.TIMEOUT_DUE_TO_CONNECTION_LOST, EtcdTimeoutException.class),
                Arguments.of(EtcdError.TIMEOUT_WAIT_APPLIED_INDEX, EtcdTimeoutException.class),
                Arguments.of(EtcdError.BAD_LEADER_TRANSFEREE, dev.etcdj.client.EtcdPreconditionException.class),
                Arguments.of(EtcdError.WATCH_CANCELED, EtcdException.class),
                Arguments.of(EtcdError.ELECTION_NOT_LEADER, dev.etcdj.client.ElectionNotLeaderException.class),
                Arguments.of(EtcdError.ELECTION_NO_LEADER, dev.etcdj.client.ElectionNoLeaderException.class));
    }

    @ParameterizedTest
    @MethodSource("typed")
    void eachEtcdErrorBecomesItsTypedException(EtcdError error, Class<? extends EtcdException> type) {
        EtcdException e = fromServer(error);
        assertThat(e).isExactlyInstanceOf(type);
        assertThat(e.error()).isEqualTo(error);
        assertThat(e.code()).isEqualTo(error.code());
        assertThat(e.getMessage()).isEqualTo(error.message());
        assertThat(e.getCause()).isInstanceOf(StatusRuntimeException.class);
    }

    @ParameterizedTest
    @EnumSource(value = EtcdError.class, mode = EnumSource.Mode.EXCLUDE, names = "UNKNOWN")
    void theTableCoversEveryEtcdError(EtcdError error) {
        assertThat(typed()).anySatisfy(a -> assertThat(a.get()[0]).isEqualTo(error));
    }

    /** Each error's category, by the gRPC code etcd sends it with; the three exceptions are noted. */
    @ParameterizedTest
    @EnumSource(value = EtcdError.class, mode = EnumSource.Mode.EXCLUDE, names = {"UNKNOWN", "WATCH_CANCELED"})
    void everyEtcdErrorBelongsToTheCategoryOfItsCode(EtcdError error) {
        EtcdException e = fromServer(error);
        Class<? extends EtcdException> category = switch (error) {
            case TOO_MANY_REQUESTS -> EtcdUnavailableException.class;     // retry later, as etcd says
            case COMPACTED, LEASE_NOT_FOUND, MEMBER_NOT_FOUND -> error == EtcdError.MEMBER_NOT_FOUND
                    ? dev.etcdj.client.MemberException.class : dev.etcdj.client.EtcdNotFoundException.class;
            case NO_SPACE, CORRUPT, MEMBER_BAD_URLS -> error == EtcdError.MEMBER_BAD_URLS
                    ? dev.etcdj.client.MemberException.class : dev.etcdj.client.EtcdPreconditionException.class;
            case AUTH_FAILED, USER_EMPTY, ROLE_EMPTY, PERMISSION_NOT_GIVEN, INVALID_AUTH_MGMT, AUTH_OLD_REVISION,
                    PERMISSION_DENIED, INVALID_AUTH_TOKEN -> dev.etcdj.client.AuthException.class;
            case TIMEOUT, TIMEOUT_DUE_TO_LEADER_FAIL, TIMEOUT_DUE_TO_CONNECTION_LOST, TIMEOUT_WAIT_APPLIED_INDEX ->
                    EtcdTimeoutException.class;
            // The election service sends these raw (gRPC Unknown): the category follows what they mean.
            case ELECTION_NOT_LEADER -> dev.etcdj.client.EtcdPreconditionException.class;
            case ELECTION_NO_LEADER -> dev.etcdj.client.EtcdNotFoundException.class;
            default -> switch (error.code()) {
                case INVALID_ARGUMENT, OUT_OF_RANGE -> dev.etcdj.client.EtcdInvalidRequestException.class;
                case FAILED_PRECONDITION -> error.name().startsWith("USER_") || error.name().startsWith("ROLE_")
                        || error.name().startsWith("ROOT_") || error == EtcdError.PERMISSION_NOT_GRANTED
                        || error == EtcdError.AUTH_NOT_ENABLED
                        ? dev.etcdj.client.AuthException.class : dev.etcdj.client.EtcdPreconditionException.class;
                case UNAVAILABLE -> EtcdUnavailableException.class;
                default -> throw new AssertionError("no category for " + error);
            };
        };
        assertThat(e).isInstanceOf(category);
    }

    @Test
    void catchingUnavailableAlsoCatchesNoLeaderAndTooManyRequests() {
        for (EtcdError error : new EtcdError[] {EtcdError.NO_LEADER, EtcdError.TOO_MANY_REQUESTS}) {
            try {
                throw fromServer(error);
            } catch (EtcdUnavailableException expected) {
                assertThat(expected.error()).isEqualTo(error);
            }
        }
    }

    @Test
    void grpcStatusesThatAreNotEtcdsErrorsGetTheCategoryOfTheirCode() {
        assertThat(Errors.toEtcdException(Status.INVALID_ARGUMENT.withDescription("x").asRuntimeException()))
                .isExactlyInstanceOf(dev.etcdj.client.EtcdInvalidRequestException.class);
        assertThat(Errors.toEtcdException(Status.NOT_FOUND.withDescription("x").asRuntimeException()))
                .isExactlyInstanceOf(dev.etcdj.client.EtcdNotFoundException.class);
        EtcdException exists = Errors.toEtcdException(Status.ALREADY_EXISTS.withDescription("x").asRuntimeException());
        assertThat(exists).isExactlyInstanceOf(dev.etcdj.client.EtcdPreconditionException.class);
        assertThat(exists.code()).isEqualTo(EtcdException.Code.ALREADY_EXISTS);
        assertThat(Errors.toEtcdException(Status.UNAUTHENTICATED.withDescription("x").asRuntimeException()))
                .isExactlyInstanceOf(dev.etcdj.client.AuthException.class);
    }

    @Test
    void compactedAndLeaseNotFoundCarryZeroWhenTheServerDoesNotSay() {
        assertThat(((CompactedException) fromServer(EtcdError.COMPACTED)).compactRevision()).isZero();
        assertThat(((LeaseNotFoundException) fromServer(EtcdError.LEASE_NOT_FOUND)).leaseId()).isZero();
    }

    @Test
    void grpcUnavailableIsUnavailable() {
        EtcdException e = Errors.toEtcdException(Status.UNAVAILABLE.withDescription("io exception").asRuntimeException());
        assertThat(e).isInstanceOf(EtcdUnavailableException.class);
        assertThat(e.code()).isEqualTo(EtcdException.Code.UNAVAILABLE);
        assertThat(e.error()).isEqualTo(EtcdError.UNKNOWN);
        assertThat(e.getMessage()).isEqualTo("io exception");
    }

    /** gRPC's own deadline, and the server's context deadline (Unknown with Go's text): a timeout in Go's words. */
    @ParameterizedTest
    @CsvSource({"DEADLINE_EXCEEDED, deadline exceeded after 0.9s", "UNKNOWN, context deadline exceeded"})
    void deadlinesAreTimeoutsWithGosText(Status.Code code, String description) {
        EtcdException e = Errors.toEtcdException(Status.fromCode(code).withDescription(description).asRuntimeException());
        assertThat(e).isInstanceOf(EtcdTimeoutException.class);
        assertThat(e.code()).isEqualTo(EtcdException.Code.DEADLINE_EXCEEDED);
        assertThat(e.getMessage()).isEqualTo("context deadline exceeded");
    }

    @Test
    void theServersOwnContextCanceledIsACancel() {
        EtcdException e = Errors.toEtcdException(Status.UNKNOWN.withDescription("context canceled").asRuntimeException());
        assertThat(e.getClass()).isEqualTo(EtcdException.class);
        assertThat(e.code()).isEqualTo(EtcdException.Code.CANCELLED);
        assertThat(e.getMessage()).isEqualTo("context canceled");
    }

    @Test
    void aConnectionThatClosedUnderTheCallIsUnavailable() {
        // grpc-java's two forms: UNKNOWN with a bare ClosedChannelException, UNAVAILABLE when it has a cause.
        StatusRuntimeException unknown = Status.UNKNOWN.withDescription("channel closed")
                .withCause(new java.nio.channels.ClosedChannelException()).asRuntimeException();
        StatusRuntimeException unavailable = Status.UNAVAILABLE.withDescription("channel closed")
                .withCause(new java.nio.channels.ClosedChannelException()).asRuntimeException();
        for (StatusRuntimeException closed : java.util.List.of(unknown, unavailable)) {
            EtcdException e = Errors.toEtcdException(closed);
            assertThat(e).isInstanceOf(EtcdUnavailableException.class);
            assertThat(e.code()).isEqualTo(EtcdException.Code.UNAVAILABLE);
            assertThat(e.getMessage()).isEqualTo("channel closed");
            assertThat(Errors.isUnavailable(Errors.statusOf(closed))).isTrue();
        }
        // The same text from a server (no local cause) is the server's answer, not a lost connection.
        StatusRuntimeException fromServer = Status.UNKNOWN.withDescription("channel closed").asRuntimeException();
        assertThat(Errors.toEtcdException(fromServer).code()).isEqualTo(EtcdException.Code.UNKNOWN);
        assertThat(Errors.isUnavailable(fromServer.getStatus())).isFalse();
    }

    @Test
    void unknownTextKeepsTheServersDescriptionAndCode() {
        EtcdException e = Errors.toEtcdException(Status.UNKNOWN.withDescription("auth: permission denied").asException());
        assertThat(e.getClass()).isEqualTo(EtcdException.class);
        assertThat(e.code()).isEqualTo(EtcdException.Code.UNKNOWN);
        assertThat(e.error()).isEqualTo(EtcdError.UNKNOWN);
        assertThat(e.getMessage()).isEqualTo("auth: permission denied");
    }

    @Test
    void messageLargerThanMaxIsResourceExhaustedWithItsText() {
        String text = "grpc: received message larger than max (3000000 vs. 2097152)";
        EtcdException e = Errors.toEtcdException(Status.RESOURCE_EXHAUSTED.withDescription(text).asRuntimeException());
        assertThat(e.getClass()).isEqualTo(EtcdException.class);
        assertThat(e.code()).isEqualTo(EtcdException.Code.RESOURCE_EXHAUSTED);
        assertThat(e.getMessage()).isEqualTo(text);
    }

    @Test
    void ourOwnInboundLimitSpeaksGrpcGo() {
        EtcdException e = Errors.toEtcdException(Status.RESOURCE_EXHAUSTED
                .withDescription("gRPC message exceeds maximum size 100: 1045").asRuntimeException());
        assertThat(e.code()).isEqualTo(EtcdException.Code.RESOURCE_EXHAUSTED);
        assertThat(e.getMessage()).isEqualTo("grpc: received message larger than max (1045 vs. 100)");
    }

    @Test
    void everyGrpcCodeMapsToTheSameNamedCode() {
        for (Status.Code c : Status.Code.values()) {
            if (c == Status.Code.OK) {
                continue;
            }
            EtcdException e = Errors.toEtcdException(Status.fromCode(c).withDescription("x").asRuntimeException());
            assertThat(e.code()).as(c.name()).isEqualTo(EtcdException.Code.valueOf(c.name()));
        }
    }

    @Test
    void wrappersAreUnwrapped() {
        StatusRuntimeException sre = Status.NOT_FOUND.withDescription(EtcdError.LEASE_NOT_FOUND.message()).asRuntimeException();
        assertThat(Errors.toEtcdException(new CompletionException(new ExecutionException(sre))))
                .isInstanceOf(LeaseNotFoundException.class);
        assertThat(Errors.toEtcdException(new StatusException(Status.OUT_OF_RANGE.withDescription(
                EtcdError.COMPACTED.message())))).isInstanceOf(CompactedException.class);
    }

    @Test
    void ourOwnExceptionsPassThroughEvenInsideAStatus() {
        EtcdException mine = new AuthFailedException();
        assertThat(Errors.toEtcdException(mine)).isSameAs(mine);
        assertThat(Errors.toEtcdException(Status.INTERNAL.withCause(mine).asRuntimeException())).isSameAs(mine);
    }

    @Test
    void cancellationAndOtherThrowables() {
        EtcdException c = Errors.toEtcdException(new CancellationException());
        assertThat(c.code()).isEqualTo(EtcdException.Code.CANCELLED);
        assertThat(c.getMessage()).isEqualTo("context canceled");
        EtcdException other = Errors.toEtcdException(new IllegalStateException("boom"));
        assertThat(other.code()).isEqualTo(EtcdException.Code.UNKNOWN);
        assertThat(other.getCause()).isInstanceOf(IllegalStateException.class);
    }

    @org.junit.jupiter.api.Test
    void onlyTheServersRefusalsOfAStreamSayItNeverRan() {
        assertThat(Errors.refusedUnprocessed(Status.UNAVAILABLE.withDescription(
                "RST_STREAM closed stream. HTTP/2 error code: REFUSED_STREAM"))).isTrue();
        assertThat(Errors.refusedUnprocessed(Status.UNAVAILABLE.withDescription(
                "Abrupt GOAWAY closed unsent stream. HTTP/2 error code: NO_ERROR"))).isTrue();
        assertThat(Errors.refusedUnprocessed(Status.UNAVAILABLE.withDescription(
                "Abrupt GOAWAY closed sent stream. HTTP/2 error code: NO_ERROR"))).isFalse();
        assertThat(Errors.refusedUnprocessed(Status.UNAVAILABLE.withDescription(
                "RST_STREAM closed stream. HTTP/2 error code: CANCEL"))).isFalse();
        assertThat(Errors.refusedUnprocessed(Status.UNAVAILABLE.withDescription("io exception"))).isFalse();
        assertThat(Errors.refusedUnprocessed(Status.INTERNAL.withDescription(
                "RST_STREAM closed stream. HTTP/2 error code: REFUSED_STREAM"))).isFalse();
        assertThat(Errors.refusedUnprocessed(Status.UNAVAILABLE)).isFalse();
        assertThat(Errors.refusedUnprocessed(null)).isFalse();
    }
}
