/**
 * Spring Boot auto-configuration of etcdj: an {@link dev.etcdj.client.EtcdClient} bean from the
 * {@code etcdj.client.*} properties ({@link dev.etcdj.spring.boot.EtcdProperties}), the client's
 * Micrometer meters when Micrometer and a {@code MeterRegistry} bean are present, and an actuator
 * health indicator ({@link dev.etcdj.spring.boot.EtcdHealthIndicator}) when the actuator is.
 */
package dev.etcdj.spring.boot;
