package dev.etcdj.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * etcdctl's global flags (ctlv3/ctl.go), accepted before or after the command as cobra's persistent
 * flags are. Defaults are written in Go's notation: the help text shows them as etcdctl does.
 */
public final class GlobalOptions {

    @Option(names = "--endpoints", split = ",", defaultValue = "127.0.0.1:2379", scope = ScopeType.INHERIT,
            description = "gRPC endpoints", paramLabel = "[]string")
    List<String> endpoints = new ArrayList<>();

    @Option(names = "--debug", arity = "0..1", fallbackValue = "true", defaultValue = "false",
            scope = ScopeType.INHERIT, description = "enable client-side debug logging")
    boolean debug;

    @Option(names = {"-w", "--write-out"}, defaultValue = "simple", scope = ScopeType.INHERIT,
            description = "set the output format (fields, json, protobuf, simple, table)")
    String writeOut;

    @Option(names = "--hex", arity = "0..1", fallbackValue = "true", defaultValue = "false", scope = ScopeType.INHERIT,
            description = "print byte strings as hex encoded strings")
    boolean hex;

    @Option(names = "--dial-timeout", defaultValue = "2s", scope = ScopeType.INHERIT,
            description = "dial timeout for client connections")
    Duration dialTimeout;

    @Option(names = "--command-timeout", defaultValue = "5s", scope = ScopeType.INHERIT,
            description = "timeout for short running command (excluding dial timeout)")
    Duration commandTimeout;

    @Option(names = "--keepalive-time", defaultValue = "2s", scope = ScopeType.INHERIT,
            description = "keepalive time for client connections")
    Duration keepAliveTime;

    @Option(names = "--keepalive-timeout", defaultValue = "6s", scope = ScopeType.INHERIT,
            description = "keepalive timeout for client connections")
    Duration keepAliveTimeout;

    @Option(names = "--insecure-transport", arity = "0..1", fallbackValue = "true", defaultValue = "true",
            scope = ScopeType.INHERIT, description = "disable transport security for client connections")
    boolean insecureTransport;

    @Option(names = "--insecure-discovery", arity = "0..1", fallbackValue = "true", defaultValue = "true",
            scope = ScopeType.INHERIT, description = "accept insecure SRV records describing cluster endpoints")
    boolean insecureDiscovery;

    @Option(names = "--insecure-skip-tls-verify", arity = "0..1", fallbackValue = "true", defaultValue = "false",
            scope = ScopeType.INHERIT,
            description = "skip server certificate verification (CAUTION: this option should be enabled only for testing purposes)")
    boolean insecureSkipTlsVerify;

    @Option(names = "--cert", defaultValue = "", scope = ScopeType.INHERIT,
            description = "identify secure client using this TLS certificate file")
    String cert;

    @Option(names = "--key", defaultValue = "", scope = ScopeType.INHERIT,
            description = "identify secure client using this TLS key file")
    String key;

    @Option(names = "--cacert", defaultValue = "", scope = ScopeType.INHERIT,
            description = "verify certificates of TLS-enabled secure servers using this CA bundle")
    String cacert;

    @Option(names = "--user", defaultValue = "", scope = ScopeType.INHERIT,
            description = "username[:password] for authentication (prompt if password is not supplied)")
    String user;

    @Option(names = "--password", defaultValue = "", scope = ScopeType.INHERIT,
            description = "password for authentication (if this option is used, --user option shouldn't include password)")
    String password;

    @Option(names = {"-d", "--discovery-srv"}, defaultValue = "", scope = ScopeType.INHERIT,
            description = "domain name to query for SRV records describing cluster endpoints")
    String discoverySrv;

    @Option(names = "--discovery-srv-name", defaultValue = "", scope = ScopeType.INHERIT,
            description = "service name to query when using DNS discovery")
    String discoverySrvName;
}
