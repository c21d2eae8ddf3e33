package dev.etcdj.recipes;

import dev.etcdj.client.EtcdException;

/** A {@link DoubleBarrier} that already has its count of participants (Go's {@code recipe.ErrTooManyClients}). */
public class TooManyClientsException extends EtcdException {

    public TooManyClientsException() {
        super(Code.RESOURCE_EXHAUSTED, "too many clients");
    }
}
