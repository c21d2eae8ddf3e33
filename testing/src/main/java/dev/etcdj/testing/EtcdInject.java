package dev.etcdj.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks what {@link EtcdExtension} fills in: a field of a test class (of any type the extension
 * resolves), or a {@code String} parameter that is to receive the endpoint. Parameters of the
 * other types ({@code EtcdClient}, {@code URI}, {@code EtcdTarget}, {@code EtcdServer},
 * {@code EtcdProcess}) need no annotation.
 *
 * <pre>{@code
 * @EtcdTest
 * class ConfigTest {
 *     @EtcdInject EtcdClient client;
 *     @EtcdInject String endpoint;   // e.g. "http://127.0.0.1:41234"
 * }
 * }</pre>
 */
@Target({ElementType.FIELD, ElementType.PARAMETER})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface EtcdInject {
}
