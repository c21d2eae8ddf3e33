package dev.etcdj.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ScopeType;

/**
 * etcdctl's global flags (ctlv3/ctl.go), accepted before or after the command as cobra's persistent
 * flags are. Defaults are written in Go's notation: the help text shows them as etcdctl does.
 */
public final class GlobalOptions {

    List<String> endpoints = new ArrayList<>();
    boolean debug;
    String writeOut;
    boolean hex;
    Duration dialTimeout;
    Duration commandTimeout;
    Duration keepAliveTime;
    Duration keepAliveTimeout;
    boolean insecureTransport;
    boolean insecureDiscovery;
    boolean insecureSkipTlsVerify;
    String cert;
    String key;
    String cacert;
    String user;
    String password;
    String discoverySrv;
    String discoverySrvName;

    /** Declares the flags, bound to these fields, on the root command (picocli copies them into each command). */
    void declare(Model m) {
        flag(m, "endpoints", "--endpoints").splitRegex(",").defaultValue("127.0.0.1:2379").paramLabel("[]string")
                .description("gRPC endpoints");
        flag(m, "debug", "--debug").arity("0..1").fallbackValue("true").defaultValue("false")
                .description("enable client-side debug logging");
        flag(m, "writeOut", "-w", "--write-out").defaultValue("simple")
                .description("set the output format (fields, json, protobuf, simple, table)");
        flag(m, "hex", "--hex").arity("0..1").fallbackValue("true").defaultValue("false")
                .description("print byte strings as hex encoded strings");
        flag(m, "dialTimeout", "--dial-timeout").defaultValue("2s")
                .description("dial timeout for client connections");
        flag(m, "commandTimeout", "--command-timeout").defaultValue("5s")
                .description("timeout for short running command (excluding dial timeout)");
        flag(m, "keepAliveTime", "--keepalive-time").defaultValue("2s")
                .description("keepalive time for client connections");
        flag(m, "keepAliveTimeout", "--keepalive-timeout").defaultValue("6s")
                .description("keepalive timeout for client connections");
        flag(m, "insecureTransport", "--insecure-transport").arity("0..1").fallbackValue("true").defaultValue("true")
                .description("disable transport security for client connections");
        flag(m, "insecureDiscovery", "--insecure-discovery").arity("0..1").fallbackValue("true").defaultValue("true")
                .description("accept insecure SRV records describing cluster endpoints");
        flag(m, "insecureSkipTlsVerify", "--insecure-skip-tls-verify").arity("0..1").fallbackValue("true").defaultValue("false")
                .description("skip server certificate verification (CAUTION: this option should be enabled only for testing purposes)");
        flag(m, "cert", "--cert").defaultValue("")
                .description("identify secure client using this TLS certificate file");
        flag(m, "key", "--key").defaultValue("")
                .description("identify secure client using this TLS key file");
        flag(m, "cacert", "--cacert").defaultValue("")
                .description("verify certificates of TLS-enabled secure servers using this CA bundle");
        flag(m, "user", "--user").defaultValue("")
                .description("username[:password] for authentication (prompt if password is not supplied)");
        flag(m, "password", "--password").defaultValue("")
                .description("password for authentication (if this option is used, --user option shouldn't include password)");
        flag(m, "discoverySrv", "-d", "--discovery-srv").defaultValue("")
                .description("domain name to query for SRV records describing cluster endpoints");
        flag(m, "discoverySrvName", "--discovery-srv-name").defaultValue("")
                .description("service name to query when using DNS discovery");
    }

    /** A global flag: every command inherits it. */
    private OptionSpec.Builder flag(Model m, String field, String... names) {
        return m.option(this, field, names).scopeType(ScopeType.INHERIT);
    }
}
