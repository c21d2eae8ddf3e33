package dev.etcdj.cli;

import dev.etcdj.cli.output.Printer;
import dev.etcdj.client.AuthClient;
import dev.etcdj.client.RoleGetResponse;
import dev.etcdj.client.UserGetResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** etcdctl's user commands (user_command.go): each subcommand a method. */
@Command(name = "user", description = "User related commands", customSynopsis = "user <subcommand>")
final class UserCommand extends CommandGroup {

    @Command(name = "add", description = "Adds a new user", customSynopsis = "add <user name or user:password> [options]")
    int add(@Mixin CommandArgs cmd,
            @Option(names = "--interactive", arity = "0..1", fallbackValue = "true", defaultValue = "true",
                    description = "Read password from stdin instead of interactive terminal") boolean interactive,
            @Option(names = "--new-user-password", defaultValue = "", description = "Supply password from the command line flag")
            String newUserPassword,
            @Option(names = "--no-password", arity = "0..1", fallbackValue = "true", defaultValue = "false",
                    description = "Create a user without password (CN based auth only)") boolean noPassword) {
        String arg = cmd.one("user add command requires user name as its argument");
        if (noPassword) {
            throw new CliException(CliException.EXIT_BAD_FEATURE,
                    "--no-password (a user for certificate CN auth only) is not supported by etcdj");
        }
        String user;
        String password;
        int colon = arg.indexOf(':');
        if (!newUserPassword.isEmpty()) {
            user = arg;
            password = newUserPassword;
        } else if (colon < 0) {
            user = arg;
            password = interactive ? readPasswordInteractive(cli(), user) : scanToken(cli());
        } else {
            user = arg.substring(0, colon);
            password = arg.substring(colon + 1);
            if (user.isEmpty()) {
                throw badArgs("empty user name is not allowed");
            }
        }
        return show(cli().client().auth().userAdd(user, password), (p, r) -> p.authChange(r, "User " + user + " created"));
    }

    @Command(name = "delete", description = "Deletes a user", customSynopsis = "delete <user name>")
    int delete(@Mixin CommandArgs cmd) {
        String name = cmd.one("user delete command requires user name as its argument");
        return show(cli().client().auth().userDelete(name), (p, r) -> p.authChange(r, "User " + name + " deleted"));
    }

    @Command(name = "get", description = "Gets detailed information of a user", customSynopsis = "get <user name> [options]")
    int get(@Mixin CommandArgs cmd,
            @Option(names = "--detail", arity = "0..1", fallbackValue = "true", defaultValue = "false",
                    description = "Show permissions of roles granted to the user") boolean detail) {
        String name = cmd.one("user get command requires user name as its argument");
        Cli cli = cli();
        AuthClient auth = cli.client().auth();
        if (!detail) {
            return show(auth.userGet(name), (p, r) -> p.userGet(name, r));
        }
        // etcdctl prints these two lines itself, then each role through the display.
        UserGetResponse r = cli.await(auth.userGet(name));
        cli.out.println("User: " + name);
        for (String role : r.roles()) {
            cli.out.println();
            RoleGetResponse rr = cli.await(auth.roleGet(role));
            display(p -> p.roleGet(role, rr));
        }
        return 0;
    }

    @Command(name = "list", description = "Lists all users", customSynopsis = "list")
    int list(@Mixin CommandArgs cmd) {
        cmd.exactly(0, "user list command requires no arguments");
        return show(cli().client().auth().userList(), Printer::userList);
    }

    @Command(name = "passwd", description = "Changes password of user", customSynopsis = "passwd <user name> [options]")
    int passwd(@Mixin CommandArgs cmd,
            @Option(names = "--interactive", arity = "0..1", fallbackValue = "true", defaultValue = "true",
                    description = "If true, read password from stdin instead of interactive terminal") boolean interactive) {
        String name = cmd.one("user passwd command requires user name as its argument");
        String password = interactive ? readPasswordInteractive(cli(), name) : scanToken(cli());
        return show(cli().client().auth().userChangePassword(name, password), (p, r) -> p.authChange(r, "Password updated"));
    }

    @Command(name = "grant-role", description = "Grants a role to a user", customSynopsis = "grant-role <user name> <role name>")
    int grantRole(@Mixin CommandArgs cmd) {
        List<String> a = cmd.exactly(2, "user grant command requires user name and role name as its argument");
        return show(cli().client().auth().userGrantRole(a.get(0), a.get(1)),
                (p, r) -> p.authChange(r, "Role " + a.get(1) + " is granted to user " + a.get(0)));
    }

    @Command(name = "revoke-role", description = "Revokes a role from a user",
            customSynopsis = "revoke-role <user name> <role name>")
    int revokeRole(@Mixin CommandArgs cmd) {
        List<String> a = cmd.exactly(2, "user revoke-role requires user name and role name as its argument");
        return show(cli().client().auth().userRevokeRole(a.get(0), a.get(1)),
                (p, r) -> p.authChange(r, "Role " + a.get(1) + " is revoked from user " + a.get(0)));
    }

    /**
     * readPasswordInteractive: asks twice on the terminal (or, with no terminal, reads two lines of
     * stdin after printing the prompts, as speakeasy does); empty or different passwords are refused.
     */
    static String readPasswordInteractive(Cli cli, String name) {
        String first = ask(cli, "Password of " + name + ": ");
        if (first.isEmpty()) {
            throw BaseCommand.badArgs("empty password");
        }
        String second = ask(cli, "Type password of " + name + " again for confirmation: ");
        if (!first.equals(second)) {
            throw BaseCommand.badArgs("given passwords are different");
        }
        return first;
    }

    private static String ask(Cli cli, String prompt) {
        java.io.Console console = System.console();
        if (console != null) {
            char[] pw = console.readPassword("%s", prompt);
            return pw == null ? "" : new String(pw);
        }
        cli.out.print(prompt);
        cli.out.flush();
        String line = readLine(cli);
        cli.out.println();
        return line;
    }

    private static String readLine(Cli cli) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try {
            int c;
            while ((c = cli.in.read()) >= 0 && c != '\n') {
                buf.write(c);
            }
        } catch (IOException e) {
            throw BaseCommand.badArgs("failed to ask password: " + e.getMessage());
        }
        return buf.toString(StandardCharsets.UTF_8).replaceFirst("\r$", "");
    }

    /** fmt.Scanf("%s"): one space-delimited word of stdin, empty at end of input. */
    static String scanToken(Cli cli) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try {
            int c;
            while ((c = cli.in.read()) == ' ' || c == '\t' || c == '\r') {
                // leading blanks are skipped
            }
            while (c >= 0 && c != ' ' && c != '\t' && c != '\r' && c != '\n') {
                buf.write(c);
                c = cli.in.read();
            }
        } catch (IOException e) {
            throw new CliException(CliException.EXIT_ERROR, e.getMessage());
        }
        return buf.toString(StandardCharsets.UTF_8);
    }
}
