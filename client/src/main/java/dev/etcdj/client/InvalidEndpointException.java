package dev.etcdj.client;

/**
 * An endpoint that cannot be used: not {@code host:port}, {@code http://host:port} or
 * {@code https://host:port} (a bad port, another scheme, a path, an IPv6 address without brackets).
 * Thrown where the endpoint is given: {@link ClientBuilder#build()}, {@link EtcdClient#fromUrl},
 * {@link EtcdClient#setEndpoints}, {@link EtcdClient#forEndpoint}.
 */
public class InvalidEndpointException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String endpoint;

    /**
     * An endpoint and what is wrong with it.
     *
     * @param endpoint the endpoint as given
     * @param message what is wrong
     */
    public InvalidEndpointException(String endpoint, String message) {
        super(message);
        this.endpoint = endpoint;
    }

    /**
     * The endpoint as given.
     *
     * @return the text that could not be used
     */
    public String endpoint() {
        return endpoint;
    }
}
