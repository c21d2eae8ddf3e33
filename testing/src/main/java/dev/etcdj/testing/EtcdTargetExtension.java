package dev.etcdj.testing;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.HierarchyTraversalMode;
import org.junit.platform.commons.support.ReflectionSupport;

/**
 * Starts one {@link EtcdTarget} before all tests of a class and closes it after them.
 *
 * <pre>{@code
 * class KvOnEtcdIT extends KvContract {
 *     @RegisterExtension
 *     static final EtcdTargetExtension etcd = EtcdTargetExtension.realEtcd();
 * }
 * }</pre>
 *
 * A base class shared by many such classes reaches the target with
 * {@code EtcdTargetExtension.declaredBy(getClass()).target()}, so that each subclass is only its
 * field.
 *
 * The target comes from a factory, so any {@link EtcdTarget} plugs in without changing this class:
 * {@code EtcdTargetExtension.of(() -> new MyEmbeddedServerTarget())}. Register it in a
 * {@code static} field: a per-class extension needs to exist before the class's tests do.
 * {@code @Nested} classes share the outer class's target.
 */
public final class EtcdTargetExtension implements BeforeAllCallback, AfterAllCallback {
    private final Supplier<? extends EtcdTarget> factory;
    private volatile EtcdTarget target;
    private String ownerId; // the class context that started the target; nested contexts reuse it

    private EtcdTargetExtension(Supplier<? extends EtcdTarget> factory) {
        this.factory = Objects.requireNonNull(factory, "factory");
    }

    /** Any target: the factory is called once per test class, before its tests. */
    public static EtcdTargetExtension of(Supplier<? extends EtcdTarget> factory) {
        return new EtcdTargetExtension(factory);
    }

    /** A real etcd process with default flags. */
    public static EtcdTargetExtension realEtcd() {
        return realEtcd(b -> { });
    }

    /** A real etcd process with extra flags, e.g. {@code "--max-txn-ops=16"}. */
    public static EtcdTargetExtension realEtcd(String... extraArgs) {
        return realEtcd(b -> b.args(extraArgs));
    }

    /** A real etcd process configured by the caller, e.g. {@code b -> b.args("--auto-compaction-retention=1")}. */
    public static EtcdTargetExtension realEtcd(Consumer<EtcdProcess.Builder> customizer) {
        return of(() -> {
            EtcdProcess.Builder builder = EtcdProcess.builder();
            customizer.accept(builder);
            return builder.build();
        });
    }

    /** Our own embedded server (dev.etcdj.server), on a free port with a temp data dir. */
    public static EtcdTargetExtension etcdjServer() {
        return of(EtcdjServerTarget::new);
    }

    /** Our own embedded server, configured further by {@code customizer}. */
    public static EtcdTargetExtension etcdjServer(Consumer<dev.etcdj.server.EtcdServer.Builder> customizer) {
        return of(() -> new EtcdjServerTarget(customizer));
    }

    /** A real etcd cluster of {@code size} members. */
    public static EtcdTargetExtension realEtcdCluster(int size) {
        return of(() -> EtcdCluster.builder().size(size).build());
    }

    /** A real etcd cluster of {@code size} members named {@code namePrefix} and their index. */
    public static EtcdTargetExtension realEtcdCluster(int size, String namePrefix) {
        return of(() -> EtcdCluster.builder().size(size).namePrefix(namePrefix).build());
    }

    /**
     * The extension a test class keeps in a static field of its own, of a superclass or of an
     * enclosing class (for {@code @Nested} classes): a shared base finds its subclass's target
     * through it.
     */
    public static EtcdTargetExtension declaredBy(Class<?> testClass) {
        for (Class<?> c = testClass; c != null; c = c.getEnclosingClass()) {
            List<Field> fields = ReflectionSupport.findFields(c, f -> Modifier.isStatic(f.getModifiers())
                    && EtcdTargetExtension.class.isAssignableFrom(f.getType()), HierarchyTraversalMode.BOTTOM_UP);
            if (!fields.isEmpty()) {
                return (EtcdTargetExtension) ReflectionSupport.tryToReadFieldValue(fields.get(0), null).getOrThrow(
                        e -> new IllegalStateException("cannot read " + fields.get(0), e));
            }
        }
        throw new IllegalStateException(testClass.getName() + " declares no static EtcdTargetExtension field");
    }

    /** The started target. Fails when called outside the class's lifecycle. */
    public EtcdTarget target() {
        EtcdTarget t = target;
        if (t == null) {
            throw new IllegalStateException("no target: register EtcdTargetExtension with @RegisterExtension"
                    + " on a static field, and use target() only while the test class runs");
        }
        return t;
    }

    /** The started target as its concrete type, e.g. {@code target(EtcdProcess.class)} to pause it. */
    public <T extends EtcdTarget> T target(Class<T> type) {
        return type.cast(target());
    }

    @Override
    public synchronized void beforeAll(ExtensionContext context) {
        if (target != null) {
            return; // a @Nested class inside the class that already started it
        }
        target = EtcdTarget.started(Objects.requireNonNull(factory.get(), "target factory returned null"));
        ownerId = context.getUniqueId();
    }

    @Override
    public synchronized void afterAll(ExtensionContext context) {
        if (target == null || !context.getUniqueId().equals(ownerId)) {
            return;
        }
        try {
            target.close();
        } finally {
            target = null;
            ownerId = null;
        }
    }
}
