package dev.etcdj.client.internal;

import dev.etcdj.client.AuthException;
import dev.etcdj.client.AuthFailedException;
import dev.etcdj.client.AuthNotEnabledException;
import dev.etcdj.client.CompactedException;
import dev.etcdj.client.CorruptClusterException;
import dev.etcdj.client.DuplicateKeyException;
import dev.etcdj.client.ElectionNoLeaderException;
import dev.etcdj.client.ElectionNotLeaderException;
import dev.etcdj.client.EmptyKeyException;
import dev.etcdj.client.EtcdError;
import dev.etcdj.client.EtcdException;
import dev.etcdj.client.EtcdInvalidRequestException;
import dev.etcdj.client.EtcdNotFoundException;
import dev.etcdj.client.EtcdPreconditionException;
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
import dev.etcdj.client.UnsupportedRpcException;
import dev.etcdj.client.ValueProvidedException;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps gRPC failures to the client's typed exceptions. etcd identifies its errors by their exact
 * message text (like clientv3's rpctypes), so the description decides the type; the status code
 * only decides when the text is not one of etcd's.
 */
public final class Errors {

    /** What Go prints for an expired context; etcdctl users know this text. */
    public static final String DEADLINE_MESSAGE = "context deadline exceeded";
    public static final String CANCELED_MESSAGE = "context canceled";

    /** grpc-java's text when a response exceeds the client's maxInboundMessageBytes. */
    private static final Pattern JAVA_TOO_LARGE = Pattern.compile("gRPC message exceeds maximum size (\\d+): (\\d+)");

    private Errors() {}

    /** Any failure as an EtcdException; never returns a gRPC type. */
    public static EtcdException toEtcdException(Throwable error) {
        Throwable t = unwrap(error);
        if (t instanceof EtcdException e) {
            return e;
        }
        if (t instanceof StatusRuntimeException sre) {
            return fromStatus(sre.getStatus(), sre);
        }
        if (t instanceof StatusException se) {
            return fromStatus(se.getStatus(), se);
        }
        if (t instanceof CancellationException) {
            return new EtcdException(EtcdException.Code.CANCELLED, CANCELED_MESSAGE, t);
        }
        return new EtcdException(EtcdException.Code.UNKNOWN, String.valueOf(t), t);
    }

    /** The status as an EtcdException; {@code cause} is kept as the exception's cause. */
    public static EtcdException fromStatus(Status status, Throwable cause) {
        // Failures we raise ourselves inside gRPC (e.g. from call credentials) travel as the cause.
        if (status.getCause() instanceof EtcdException e) {
            return e;
        }
        String desc = status.getDescription();
        EtcdError error = EtcdError.fromMessage(desc);
        if (error != EtcdError.UNKNOWN) {
            return fromError(error, desc, cause);
        }
        if (DEADLINE_MESSAGE.equals(desc)) {
            // etcd passes our deadline on to its own context; when that expires first it answers
            // with Go's raw context error (codes.Unknown in 3.4).
            return new EtcdTimeoutException(EtcdError.UNKNOWN, DEADLINE_MESSAGE, cause);
        }
        if (status.getCode() == Status.Code.UNKNOWN && CANCELED_MESSAGE.equals(desc)) {
            // The same for a server context that was cancelled: Go's context.Canceled, as clientv3 reports it.
            return new EtcdException(EtcdException.Code.CANCELLED, CANCELED_MESSAGE, cause);
        }
        if (connectionLost(status)) {
            return new EtcdUnavailableException(EtcdError.UNKNOWN, desc == null ? "connection closed" : desc, cause);
        }
        EtcdException.Code code = code(status.getCode());
        String message = desc == null ? status.getCode().name() : desc;
        if (status.getCode() == Status.Code.RESOURCE_EXHAUSTED && desc != null) {
            Matcher m = JAVA_TOO_LARGE.matcher(desc);
            if (m.matches()) {
                // Our own inbound limit, in the words grpc-go (and so etcdctl) uses for it.
                message = "grpc: received message larger than max (" + m.group(2) + " vs. " + m.group(1) + ")";
            }
        }
        return switch (status.getCode()) {
            case UNAVAILABLE -> new EtcdUnavailableException(EtcdError.UNKNOWN, message, cause);
            case DEADLINE_EXCEEDED -> new EtcdTimeoutException(EtcdError.UNKNOWN, DEADLINE_MESSAGE, cause);
            case CANCELLED -> new EtcdException(code, desc == null ? CANCELED_MESSAGE : desc, cause);
            case INVALID_ARGUMENT, OUT_OF_RANGE -> new EtcdInvalidRequestException(code, EtcdError.UNKNOWN, message, cause);
            case NOT_FOUND -> new EtcdNotFoundException(code, EtcdError.UNKNOWN, message, cause);
            case FAILED_PRECONDITION, ALREADY_EXISTS -> new EtcdPreconditionException(code, EtcdError.UNKNOWN, message, cause);
            case PERMISSION_DENIED, UNAUTHENTICATED -> new AuthException(code, EtcdError.UNKNOWN, message, cause);
            default -> new EtcdException(code, message, cause);
        };
    }

    /** One of etcd's errors as its typed exception. */
    public static EtcdException fromError(EtcdError error, String message, Throwable cause) {
        return switch (error) {
            case COMPACTED -> new CompactedException(message, 0, cause);
            case FUTURE_REV -> new FutureRevisionException(message, cause);
            case EMPTY_KEY -> new EmptyKeyException(message, cause);
            case KEY_NOT_FOUND -> new KeyNotFoundException(message, cause);
            case VALUE_PROVIDED -> new ValueProvidedException(message, cause);
            case LEASE_PROVIDED -> new LeaseProvidedException(message, cause);
            case TOO_MANY_OPS -> new TooManyOpsException(message, cause);
            case DUPLICATE_KEY -> new DuplicateKeyException(message, cause);
            case REQUEST_TOO_LARGE -> new RequestTooLargeException(message, cause);
            case NO_SPACE -> new NoSpaceException(message, cause);
            case TOO_MANY_REQUESTS -> new TooManyRequestsException(message, cause);
            case LEASE_NOT_FOUND -> new LeaseNotFoundException(message, 0, cause);
            case LEASE_EXISTS -> new LeaseExistsException(message, cause);
            case LEASE_TTL_TOO_LARGE -> new LeaseTtlTooLargeException(message, cause);
            case NO_LEADER -> new NoLeaderException(message, cause);
            case NOT_LEADER -> new NotLeaderException(message, cause);
            case PERMISSION_DENIED -> new PermissionDeniedException(message, cause);
            case INVALID_AUTH_TOKEN -> new InvalidAuthTokenException(message, cause);
            case AUTH_FAILED -> new AuthFailedException(message, cause);
            case AUTH_NOT_ENABLED -> new AuthNotEnabledException(message, cause);
            case CORRUPT -> new CorruptClusterException(message, cause);
            case MEMBER_BAD_URLS, MEMBER_NOT_FOUND, MEMBER_EXISTS, PEER_URL_EXISTS, MEMBER_NOT_ENOUGH_STARTED,
                    MEMBER_NOT_LEARNER, LEARNER_NOT_READY, TOO_MANY_LEARNERS, CLUSTER_ID_MISMATCH ->
                    new MemberException(error, message, cause);
            case USER_EMPTY, ROLE_EMPTY, PERMISSION_NOT_GIVEN, INVALID_AUTH_MGMT, AUTH_OLD_REVISION,
                    ROOT_USER_NOT_EXIST, ROOT_ROLE_NOT_EXIST, USER_ALREADY_EXIST, USER_NOT_FOUND,
                    ROLE_ALREADY_EXIST, ROLE_NOT_FOUND, ROLE_NOT_GRANTED, PERMISSION_NOT_GRANTED ->
                    new AuthException(error, message, cause);
            case LEADER_CHANGED, NOT_CAPABLE, STOPPED, UNHEALTHY, LEARNER_NOT_SUPPORTED ->
                    new EtcdUnavailableException(error, message, cause);
            case TIMEOUT, TIMEOUT_DUE_TO_LEADER_FAIL, TIMEOUT_DUE_TO_CONNECTION_LOST, TIMEOUT_WAIT_APPLIED_INDEX ->
                    new EtcdTimeoutException(error, message, cause);
            case BAD_LEADER_TRANSFEREE -> new EtcdPreconditionException(error, message, cause);
            case ELECTION_NOT_LEADER -> new ElectionNotLeaderException(message, cause);
            case ELECTION_NO_LEADER -> new ElectionNoLeaderException(message, cause);
            // No category; fromMessage matched exactly, so the error's text is the server's.
            case WATCH_CANCELED, UNKNOWN -> new EtcdException(error, cause);
        };
    }

    /**
     * The call's future, failing with {@link UnsupportedRpcException} instead when the server
     * does not have the method (gRPC Unimplemented): for calls of a later etcd than 3.4.
     *
     * @param method the call as "Service/Method"
     * @param since the first etcd version that has it
     */
    public static <T> CompletableFuture<T> needsVersion(CompletableFuture<T> call, String method, String since) {
        return call.exceptionallyCompose(e -> {
            EtcdException ee = toEtcdException(e);
            return CompletableFuture.failedFuture(ee.code() == EtcdException.Code.UNIMPLEMENTED
                    ? new UnsupportedRpcException(method, since, ee) : ee);
        });
    }

    /** The etcd error a failure carries (by its message), or UNKNOWN. Does not allocate exceptions. */
    public static EtcdError etcdError(Throwable error) {
        Throwable t = unwrap(error);
        if (t instanceof EtcdException e) {
            return e.error();
        }
        Status s = statusOf(t);
        if (s == null) {
            return EtcdError.UNKNOWN;
        }
        return s.getCause() instanceof EtcdException e ? e.error() : EtcdError.fromMessage(s.getDescription());
    }

    /**
     * Whether a long-lived stream (watch, keep-alive) that failed with {@code error} should stop and
     * tell its listeners instead of being opened again, because the error says something retrying
     * does not change: no permission, bad credentials or arguments, a message too large for one
     * side, a method the server does not have. Lost connections, unavailable members, leader
     * changes, timeouts and cancellations are retried, and so are errors a new auth token cures and
     * etcd's "too many requests" and "no space" (an alarm can be disarmed).
     *
     * <p>Narrower than clientv3's {@code isHaltErr} (every code but Unavailable and Internal): etcd
     * also reports passing trouble as Unknown or Canceled (a renewal forwarded to a leader that just
     * died), which a stream must ride out; clientv3's lease loop retries everything for that reason.
     */
    public static boolean haltsStream(Throwable error) {
        Throwable t = unwrap(error);
        EtcdError etcd = etcdError(t);
        switch (etcd) {
            case INVALID_AUTH_TOKEN, AUTH_OLD_REVISION, USER_EMPTY, TOO_MANY_REQUESTS, NO_SPACE -> {
                return false;
            }
            default -> { }
        }
        EtcdException.Code code;
        Status status = statusOf(t);
        if (t instanceof EtcdException e) {
            code = e.code();
        } else if (status != null && status.getCause() instanceof EtcdException e) {
            code = e.code();    // ours, raised inside gRPC (call credentials): its code is the truth
        } else if (status != null) {
            code = code(status.getCode());
        } else {
            return false;
        }
        return switch (code) {
            case INVALID_ARGUMENT, PERMISSION_DENIED, UNAUTHENTICATED, RESOURCE_EXHAUSTED, UNIMPLEMENTED,
                    FAILED_PRECONDITION, OUT_OF_RANGE, NOT_FOUND, ALREADY_EXISTS, DATA_LOSS -> true;
            default -> false;
        };
    }

    /**
     * Whether the status says the server could not be reached or the connection broke: gRPC's
     * UNAVAILABLE, and the connection losses grpc-java reports as UNKNOWN "channel closed".
     */
    static boolean isUnavailable(Status status) {
        return status != null && (status.getCode() == Status.Code.UNAVAILABLE || connectionLost(status));
    }

    /**
     * grpc-java (netty Utils.statusFromThrowable) turns a write on a connection that is already
     * closed into UNKNOWN "channel closed" with a ClosedChannelException as its cause. A status
     * from the server never has a local cause, so the cause tells the two apart.
     */
    private static boolean connectionLost(Status status) {
        if (status.getCode() != Status.Code.UNKNOWN) {
            return false;
        }
        for (Throwable c = status.getCause(); c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof ClosedChannelException) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether the server said it did not take the stream, so the request surely did not run: a
     * RST_STREAM with REFUSED_STREAM, or a GOAWAY whose last stream id is below the stream's
     * (grpc-java's "refused" progress, which it tells only in these words once its own retry is off).
     */
    static boolean refusedUnprocessed(Status status) {
        if (status == null || status.getCode() != Status.Code.UNAVAILABLE || status.getDescription() == null) {
            return false;
        }
        String d = status.getDescription();
        return d.contains("Abrupt GOAWAY closed unsent stream")
                || d.contains("RST_STREAM closed stream") && d.contains("REFUSED_STREAM");
    }

    /** The gRPC status of a failure, or null when it is not a gRPC failure. */
    static Status statusOf(Throwable error) {
        Throwable t = unwrap(error);
        if (t instanceof StatusRuntimeException sre) {
            return sre.getStatus();
        }
        if (t instanceof StatusException se) {
            return se.getStatus();
        }
        return null;
    }

    static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private static EtcdException.Code code(Status.Code c) {
        return EtcdException.Code.valueOf(c.name());
    }
}
