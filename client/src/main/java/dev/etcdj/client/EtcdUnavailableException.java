package dev.etcdj.client;

/**
 * No server could serve the request now: every endpoint is unreachable, or the member answered that
 * it cannot serve now (no leader, leader changed, stopped, unhealthy, not capable, too many
 * requests). Safe to retry later; {@link NoLeaderException} and {@link TooManyRequestsException}
 * are the cases with classes of their own, {@link #error()} tells which.
 */
public class EtcdUnavailableException extends EtcdException {

    public EtcdUnavailableException(EtcdError error, String message, Throwable cause) {
        super(codeOr(error, Code.UNAVAILABLE), error, message, cause);
    }

    protected EtcdUnavailableException(Code code, EtcdError error, String message, Throwable cause) {
        super(code, error, message, cause);
    }
}
