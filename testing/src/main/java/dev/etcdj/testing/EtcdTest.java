package dev.etcdj.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives a JUnit 5 test class an etcd: by default our embedded server with its data in memory,
 * started once before the class's first test and reused by all of them; on request a real etcd
 * binary, or a fresh server for every test method. {@link EtcdExtension} starts and stops it and
 * injects what the test asks for.
 *
 * <pre>{@code
 * @EtcdTest
 * class OrderServiceTest {
 *     @Test
 *     void storesAnOrder(EtcdClient client) {
 *         client.kv().blocking().put("orders/1", "new");
 *         assertThat(client.kv().blocking().get("orders/1").count()).isEqualTo(1);
 *     }
 * }
 *
 * @EtcdTest(target = EtcdTest.Target.REAL_ETCD, scope = EtcdTest.Scope.METHOD)
 * class AgainstTheRealThingTest { ... }
 * }</pre>
 *
 * The real etcd binary is the one {@link EtcdProcess#configuredBinary()} finds: the system
 * property {@code etcd.binary}, the environment variable {@code ETCD_BINARY}, or {@code etcd} on
 * {@code PATH}. Every server listens on a free loopback port and leaves no temp dir behind.
 */
@java.lang.annotation.Target({ElementType.TYPE, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(EtcdExtension.class)
public @interface EtcdTest {

    /** Which etcd the tests get. */
    Target target() default Target.EMBEDDED;

    /** How long one server lives: the class (the default) or each test method. */
    Scope scope() default Scope.CLASS;

    /** Extra command-line flags for a {@link Target#REAL_ETCD}, e.g. {@code "--auth-token-ttl=2"}. */
    String[] etcdArgs() default {};

    /** The etcd behind a test. */
    enum Target {
        /** Our embedded server (dev.etcdj.server), in this JVM, with its data in memory: starts in milliseconds. */
        EMBEDDED,
        /** A real etcd process (the binary), with a temp data dir. */
        REAL_ETCD
    }

    /** How long one server lives. */
    enum Scope {
        /** One server for all tests of the class (and its {@code @Nested} classes). */
        CLASS,
        /** A fresh, empty server for every test method. */
        METHOD
    }
}
