package dev.etcdj.client;

/**
 * The blocking view of a {@link LockClient}: each call is that client's call of the same name and
 * parameters, waited for; it returns the future's value and throws the {@link EtcdException} itself
 * (see {@link BlockingView}).
 */
public interface BlockingLockClient extends BlockingView<LockClient, BlockingLockClient> {

    LockResponse lock(Bytes name, long leaseId);

    LockResponse lock(String name, long leaseId);

    ResponseHeader unlock(Bytes key);
}
