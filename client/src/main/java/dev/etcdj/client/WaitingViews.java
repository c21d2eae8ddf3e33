package dev.etcdj.client;

import java.lang.invoke.MethodType;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Proxy;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Makes a blocking view from its async client, as {@link BlockingView} describes: the view is an
 * interface that declares each call with the async form's name and parameters and the future's
 * value as its return type, and one handler waits for them all. Each view interface is checked
 * against its async interface on first use, so a call without an async twin, or with another
 * return type, fails there (and in the client's unit test), not when a user calls it.
 */
final class WaitingViews {

    /** For each view interface, its calls' async twins. */
    private static final ClassValue<Map<Method, Twin>> TWINS = new ClassValue<>() {
        @Override
        protected Map<Method, Twin> computeValue(Class<?> view) {
            return twins(view);
        }
    };

    private WaitingViews() {
    }

    /**
     * The blocking view {@code view} of {@code async}; {@code blocking} makes the same view of
     * another async client (the per-call views {@code withTimeout} and {@code withRequireLeader}).
     */
    static <A extends CallViews<A>, B extends BlockingView<A, B>> B of(Class<B> view, A async, Function<A, B> blocking) {
        Map<Method, Twin> twins = TWINS.get(view);
        return view.cast(Proxy.newProxyInstance(view.getClassLoader(), new Class<?>[] {view},
                new Handler<>(view, async, blocking, twins)));
    }

    /** The async method a view's call forwards to, and whether its future is waited for. */
    private record Twin(Method async, boolean waits) {
    }

    private static Map<Method, Twin> twins(Class<?> view) {
        Class<?> asyncType = asyncType(view);
        Map<Method, Twin> twins = new HashMap<>();
        for (Method m : view.getMethods()) {
            if (m.getDeclaringClass() == BlockingView.class || !Modifier.isAbstract(m.getModifiers())) {
                continue;
            }
            Method a;
            try {
                a = asyncType.getMethod(m.getName(), m.getParameterTypes());
            } catch (NoSuchMethodException e) {
                throw new IllegalStateException(view.getSimpleName() + "." + m.getName()
                        + " has no twin of the same parameters in " + asyncType.getSimpleName(), e);
            }
            boolean waits = a.getReturnType() == CompletableFuture.class;
            Type value = waits ? ((ParameterizedType) a.getGenericReturnType()).getActualTypeArguments()[0]
                    : a.getReturnType();
            if (!value.equals(boxed(m.getReturnType()))) {
                throw new IllegalStateException(view.getSimpleName() + "." + m.getName() + " returns "
                        + m.getReturnType().getSimpleName() + " where " + asyncType.getSimpleName() + " gives "
                        + value.getTypeName());
            }
            twins.put(m, new Twin(a, waits));
        }
        return Map.copyOf(twins);
    }

    /** A, of the view's {@code BlockingView<A, B>}. */
    private static Class<?> asyncType(Class<?> view) {
        for (Type t : view.getGenericInterfaces()) {
            if (t instanceof ParameterizedType p && p.getRawType() == BlockingView.class) {
                return (Class<?>) p.getActualTypeArguments()[0];
            }
        }
        throw new IllegalStateException(view.getName() + " does not extend BlockingView");
    }

    private static Type boxed(Class<?> c) {
        if (!c.isPrimitive()) {
            return c;
        }
        if (c == void.class) {
            return Void.class;
        }
        return MethodType.methodType(c).wrap().returnType();
    }

    private record Handler<A extends CallViews<A>, B>(Class<B> view, A async, Function<A, B> blocking,
            Map<Method, Twin> twins) implements InvocationHandler {

        @Override
        public Object invoke(Object proxy, Method m, Object[] args) throws Throwable {
            Twin twin = twins.get(m);
            if (twin != null) {
                Object result = call(twin.async(), args);
                return twin.waits() ? Futures.await((CompletableFuture<?>) result) : result;
            }
            if (m.getDeclaringClass() == BlockingView.class) {
                return switch (m.getName()) {
                    case "withTimeout" -> blocking.apply(async.withTimeout((Duration) args[0]));
                    case "withRequireLeader" -> blocking.apply(async.withRequireLeader());
                    default -> async;
                };
            }
            // Object's methods: a view is equal only to itself, as the views written out by hand are
            return switch (m.getName()) {
                case "equals" -> proxy == args[0];
                case "hashCode" -> System.identityHashCode(proxy);
                default -> view.getSimpleName() + "@" + Integer.toHexString(System.identityHashCode(proxy));
            };
        }

        private Object call(Method method, Object[] args) throws Throwable {
            try {
                return method.invoke(async, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }
    }
}
