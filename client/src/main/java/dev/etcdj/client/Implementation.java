package dev.etcdj.client;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Finds the client's implementation by name instead of importing it, so that the public package
 * depends on nothing in {@code dev.etcdj.client.internal} (the dependency points one way:
 * internal implements the public interfaces). The class lives in the same jar and module, so
 * the lookup cannot miss at run time unless the jar was stripped; a test builds a client, and
 * a stripped jar fails the first {@link ClientBuilder#build()} with a clear error. Not a
 * ServiceLoader: that would need a services file or a {@code provides} clause that repackaging
 * can lose, for a choice that never varies.
 */
final class Implementation {

    private static final String CLASS = "dev.etcdj.client.internal.DefaultEtcdClient";
    private static final MethodHandle CREATE = find();

    private Implementation() {}

    static EtcdClient create(ClientConfig config) {
        try {
            return (EtcdClient) CREATE.invokeExact(config);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            // create declares no checked exception; the handle cannot throw one.
            throw new IllegalStateException("etcdj: " + CLASS + ".create failed", t);
        }
    }

    private static MethodHandle find() {
        try {
            return MethodHandles.lookup().findStatic(Class.forName(CLASS), "create",
                    MethodType.methodType(EtcdClient.class, ClientConfig.class));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("etcdj: the client implementation " + CLASS
                    + " is missing from the class path (a repackaged jar?)", e);
        }
    }
}
