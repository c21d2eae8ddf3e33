package dev.etcdj.testing;

import dev.etcdj.client.EtcdClient;
import dev.etcdj.server.EtcdServer;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;

/**
 * The JUnit 5 extension behind {@link EtcdTest}: starts the etcd the annotation asks for, injects
 * it, and stops it when its scope ends, even when tests fail.
 *
 * <p>What it injects, into test and lifecycle method parameters, constructor parameters (scope
 * {@link EtcdTest.Scope#CLASS} only: an instance outlives one method's server) and fields marked
 * {@link EtcdInject}:
 * <ul>
 *   <li>{@link EtcdClient}: one client of the server, shared by the scope's tests and closed by the
 *       extension (do not close it yourself);</li>
 *   <li>{@link URI}, or a {@code String} marked {@link EtcdInject}: the client URL, e.g.
 *       {@code http://127.0.0.1:41234}, for a client of your own;</li>
 *   <li>{@link EtcdTarget}: the server handle, either kind ({@code kill()}, {@code restart()});</li>
 *   <li>{@link EtcdServer} or {@link EtcdjServerTarget} with the embedded server,
 *       {@link EtcdProcess} with a real etcd ({@code pause()}, its log).</li>
 * </ul>
 * Static fields marked {@link EtcdInject} are filled before the class's first test, with scope
 * {@link EtcdTest.Scope#CLASS}.
 */
public final class EtcdExtension implements BeforeAllCallback, BeforeEachCallback, ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(EtcdExtension.class);
    private static final java.time.Duration DIAL_TIMEOUT = java.time.Duration.ofSeconds(30);
    private static final Set<Class<?>> TYPES = Set.of(EtcdClient.class, URI.class, String.class, EtcdTarget.class,
            EtcdServer.class, EtcdjServerTarget.class, EtcdProcess.class);

    /** A started server and its one client, closed by JUnit with the context that holds them. */
    private static final class Running implements ExtensionContext.Store.CloseableResource {
        private final EtcdTarget target;
        private EtcdClient client;

        Running(EtcdTarget target) {
            this.target = target;
        }

        synchronized EtcdClient client() {
            if (client == null) {
                // The server is known to listen: a slow first connection is a busy machine (and the
                // client's classes loading), never a dead endpoint, so it gets more than the default.
                client = EtcdClient.builder().endpoints(target.endpoints()).dialTimeout(DIAL_TIMEOUT).build();
            }
            return client;
        }

        @Override
        public synchronized void close() {
            try {
                if (client != null) {
                    client.close();
                }
            } finally {
                target.close();
            }
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IllegalAccessException {
        if (settings(context).scope() != EtcdTest.Scope.CLASS) {
            return;
        }
        // Started here, not in the first test: its start is not counted as that test's time.
        Running running = running(context);
        for (Field f : AnnotationSupport.findAnnotatedFields(context.getRequiredTestClass(), EtcdInject.class,
                field -> Modifier.isStatic(field.getModifiers()), HierarchyTraversalMode.TOP_DOWN)) {
            inject(f, null, running, context);
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IllegalAccessException {
        Running running = running(context);
        for (Object instance : context.getRequiredTestInstances().getAllInstances()) {
            for (Field f : AnnotationSupport.findAnnotatedFields(instance.getClass(), EtcdInject.class,
                    field -> !Modifier.isStatic(field.getModifiers()), HierarchyTraversalMode.TOP_DOWN)) {
                inject(f, instance, running, context);
            }
        }
    }

    private void inject(Field f, Object instance, Running running, ExtensionContext context) throws IllegalAccessException {
        if (!TYPES.contains(f.getType())) {
            throw new ExtensionConfigurationException("@EtcdInject field " + f + " has a type the extension does not"
                    + " provide; it provides " + TYPES.stream().map(Class::getSimpleName).sorted().toList());
        }
        f.setAccessible(true);
        f.set(instance, value(f.getType(), running, f.toString()));
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        Parameter p = parameterContext.getParameter();
        if (p.getType() == String.class) {
            return parameterContext.isAnnotated(EtcdInject.class);
        }
        return TYPES.contains(p.getType());
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        Parameter p = parameterContext.getParameter();
        boolean constructor = parameterContext.getDeclaringExecutable() instanceof java.lang.reflect.Constructor;
        if (constructor && settings(extensionContext).scope() == EtcdTest.Scope.METHOD
                && extensionContext.getTestMethod().isEmpty()) {
            throw new ParameterResolutionException("cannot inject " + p + " into a constructor with"
                    + " @EtcdTest(scope = METHOD): each test method gets its own server; take it as a method parameter"
                    + " or an @EtcdInject field");
        }
        try {
            return value(p.getType(), running(extensionContext), p.toString());
        } catch (IllegalStateException e) {
            throw new ParameterResolutionException(e.getMessage(), e);
        }
    }

    private static Object value(Class<?> type, Running running, String what) {
        EtcdTarget target = running.target;
        if (type == EtcdClient.class) {
            return running.client();
        }
        if (type == URI.class) {
            return URI.create(target.endpoint());
        }
        if (type == String.class) {
            return target.endpoint();
        }
        if (type == EtcdTarget.class) {
            return target;
        }
        if (type == EtcdjServerTarget.class || type == EtcdServer.class) {
            if (!(target instanceof EtcdjServerTarget embedded)) {
                throw new IllegalStateException(what + ": an " + type.getSimpleName()
                        + " exists only with @EtcdTest(target = EMBEDDED); this test runs a real etcd");
            }
            return type == EtcdServer.class ? embedded.server() : embedded;
        }
        if (type == EtcdProcess.class) {
            if (!(target instanceof EtcdProcess process)) {
                throw new IllegalStateException(what + ": an EtcdProcess exists only with"
                        + " @EtcdTest(target = REAL_ETCD); this test runs the embedded server");
            }
            return process;
        }
        throw new IllegalStateException("unsupported type " + type);
    }

    /** The server of this context's scope, started on first use. */
    private static Running running(ExtensionContext context) {
        EtcdTest settings = settings(context);
        ExtensionContext owner;
        if (settings.scope() == EtcdTest.Scope.METHOD && context.getTestMethod().isPresent()) {
            owner = context;
        } else {
            owner = outermostClass(context);
        }
        return owner.getStore(NAMESPACE).getOrComputeIfAbsent(Running.class, k -> start(settings), Running.class);
    }

    /** The class context of the top-level class: {@code @Nested} classes share its server. */
    private static ExtensionContext outermostClass(ExtensionContext context) {
        ExtensionContext c = context;
        while (c.getParent().isPresent() && c.getParent().get().getTestClass().isPresent()) {
            c = c.getParent().get();
        }
        return c;
    }

    private static Running start(EtcdTest settings) {
        EtcdTarget target = settings.target() == EtcdTest.Target.REAL_ETCD
                ? EtcdProcess.builder().args(List.of(settings.etcdArgs())).build()
                : EtcdjServerTarget.inMemory(b -> { });
        return new Running(EtcdTarget.started(target));
    }

    /** The {@link EtcdTest} on the test class or a class enclosing it; defaults for a bare {@code @ExtendWith}. */
    private static EtcdTest settings(ExtensionContext context) {
        for (Optional<Class<?>> c = context.getTestClass(); c.isPresent(); c = Optional.ofNullable(c.get().getEnclosingClass())) {
            Optional<EtcdTest> found = AnnotationSupport.findAnnotation(c.get(), EtcdTest.class);
            if (found.isPresent()) {
                return found.get();
            }
        }
        return Defaults.class.getAnnotation(EtcdTest.class);
    }

    @EtcdTest
    private static final class Defaults {
    }
}
