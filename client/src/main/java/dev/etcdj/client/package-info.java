/**
 * The etcdj client: {@link dev.etcdj.client.EtcdClient}, made by
 * {@link dev.etcdj.client.EtcdClient#builder()}, and the values its calls take and return.
 * Everything here is public API; the implementation lives in {@code dev.etcdj.client.internal}
 * and is not part of it.
 *
 * <h2>Errors</h2>
 * Every failure is an unchecked {@link dev.etcdj.client.EtcdException}; no gRPC exception reaches
 * callers. {@link dev.etcdj.client.EtcdException#error()} names which of etcd's errors it is, and
 * {@link dev.etcdj.client.EtcdException#code()} its status class. The exceptions are grouped by
 * what a caller can do about them, so one {@code catch} handles a whole category:
 * <pre>
 * EtcdException
 * ├── EtcdUnavailableException      nobody can serve it now; retry later
 * │   ├── NoLeaderException
 * │   └── TooManyRequestsException
 * ├── EtcdTimeoutException          a deadline passed; it may or may not have been applied
 * ├── EtcdInvalidRequestException   the request is wrong; retrying it unchanged fails the same way
 * │   ├── EmptyKeyException, KeyNotFoundException, ValueProvidedException, LeaseProvidedException
 * │   ├── TooManyOpsException, DuplicateKeyException, RequestTooLargeException
 * │   └── LeaseTtlTooLargeException, FutureRevisionException
 * ├── AuthException                 authentication, authorization, user and role management
 * │   ├── AuthFailedException, InvalidAuthTokenException
 * │   └── PermissionDeniedException, AuthNotEnabledException
 * ├── EtcdNotFoundException         what it names does not exist (any more)
 * │   ├── LeaseNotFoundException
 * │   └── CompactedException
 * ├── EtcdPreconditionException     the cluster's state refuses it (exists, not leader, alarm)
 * │   ├── LeaseExistsException, NotLeaderException, MemberException
 * │   └── NoSpaceException, CorruptClusterException
 * └── ClientClosedException         the client was closed
 * </pre>
 * A gRPC failure that is none of etcd's errors gets the category of its status code, or stays a
 * plain {@code EtcdException} (cancelled, unknown, internal).
 */
package dev.etcdj.client;
