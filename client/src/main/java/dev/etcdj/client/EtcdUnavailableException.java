package dev.etcdj.client;

/** No server could serve the request: every endpoint is unreachable, or the member answered that it cannot serve now (stopped, unhealthy, leader changed, not capable). Safe to retry later. {@link #error()} tells which. */
public class EtcdUnavailableException extends EtcdException {

    public EtcdUnavailableException(EtcdError error, String message, Throwable cause) {
        super(error.code() == Code.UNKNOWN ? Code.UNAVAILABLE : error.code(), error, message, cause);
    }
}
