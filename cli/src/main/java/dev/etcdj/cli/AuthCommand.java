package dev.etcdj.cli;

import dev.etcdj.client.AuthClient;
import dev.etcdj.client.EtcdError;
import dev.etcdj.client.EtcdException;
import java.util.concurrent.CompletionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** etcdctl's auth commands (auth_command.go): both print one line whatever the output format. */
@Command(name = "auth", description = "Enable or disable authentication", customSynopsis = "auth <enable or disable>")
final class AuthCommand extends CommandGroup {

    @Command(name = "enable", description = "Enables authentication", customSynopsis = "enable")
    int enable(@Mixin CommandArgs cmd) {
        cmd.exactly(0, "auth enable command does not accept any arguments");
        Cli cli = cli();
        AuthClient auth = cli.client().auth();
        // Like etcdctl: a root user without the root role gets the role (created if need be), then retry.
        while (true) {
            java.util.concurrent.CompletableFuture<?> f = auth.enable();
            try {
                cli.await(f);
                break;
            } catch (CliException e) {
                if (errorOf(f) != EtcdError.ROOT_ROLE_NOT_EXIST) {
                    throw e;
                }
            }
            cli.await(auth.roleAdd("root"));
            cli.await(auth.userGrantRole("root", "root"));
        }
        cli.out.println("Authentication Enabled");
        return 0;
    }

    @Command(name = "disable", description = "Disables authentication", customSynopsis = "disable")
    int disable(@Mixin CommandArgs cmd) {
        cmd.exactly(0, "auth disable command does not accept any arguments");
        Cli cli = cli();
        cli.await(cli.client().auth().disable());
        cli.out.println("Authentication Disabled");
        return 0;
    }

    /** etcd's own error for a failed call, when there is one. */
    static EtcdError errorOf(java.util.concurrent.CompletableFuture<?> f) {
        Throwable t = f.handle((v, e) -> e).join();
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t instanceof EtcdException e ? e.error() : EtcdError.UNKNOWN;
    }
}
