package dev.etcdj.cli;

import dev.etcdj.cli.output.Printer;
import dev.etcdj.cli.output.GoFormat;
import dev.etcdj.client.Bytes;
import dev.etcdj.client.Permission;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** etcdctl's role commands (role_command.go): each subcommand a method. */
@Command(name = "role", description = "Role related commands", customSynopsis = "role <subcommand>")
final class RoleCommand extends CommandGroup {

    @Command(name = "add", description = "Adds a new role", customSynopsis = "add <role name>")
    int add(@Mixin CommandArgs cmd) {
        String name = cmd.one("role add command requires role name as its argument");
        return show(cli().client().auth().roleAdd(name), (p, r) -> p.authChange(r, "Role " + name + " created"));
    }

    @Command(name = "delete", description = "Deletes a role", customSynopsis = "delete <role name>")
    int delete(@Mixin CommandArgs cmd) {
        String name = cmd.one("role delete command requires role name as its argument");
        return show(cli().client().auth().roleDelete(name), (p, r) -> p.authChange(r, "Role " + name + " deleted"));
    }

    @Command(name = "get", description = "Gets detailed information of a role", customSynopsis = "get <role name>")
    int get(@Mixin CommandArgs cmd) {
        String name = cmd.one("role get command requires role name as its argument");
        return show(cli().client().auth().roleGet(name), (p, r) -> p.roleGet(name, r));
    }

    @Command(name = "list", description = "Lists all roles", customSynopsis = "list")
    int list(@Mixin CommandArgs cmd) {
        cmd.exactly(0, "role list command requires no arguments");
        return show(cli().client().auth().roleList(), Printer::roleList);
    }

    @Command(name = "grant-permission", description = "Grants a key to a role",
            customSynopsis = "grant-permission [options] <role name> <permission type> <key> [endkey]")
    int grantPermission(@Mixin CommandArgs cmd,
            @Option(names = "--prefix", arity = "0..1", fallbackValue = "true", defaultValue = "false",
                    description = "grant a prefix permission") boolean prefix,
            @Option(names = "--from-key", arity = "0..1", fallbackValue = "true", defaultValue = "false",
                    description = "grant a permission of keys that are greater than or equal to the given key using byte compare")
            boolean fromKey) {
        if (cmd.args.size() < 3) {
            throw badArgs("role grant command requires role name, permission type, and key [endkey] as its argument");
        }
        Permission.Type type = switch (cmd.args.get(1).toUpperCase(Locale.ROOT)) {
            case "READ" -> Permission.Type.READ;
            case "WRITE" -> Permission.Type.WRITE;
            case "READWRITE" -> Permission.Type.READWRITE;
            default -> throw badArgs("invalid permission type: " + cmd.args.get(1));
        };
        byte[][] range = permRange(cmd.args.subList(2, cmd.args.size()), prefix, fromKey);
        String role = cmd.args.get(0);
        return show(cli().client().auth().roleGrantPermission(role, new Permission(type, Bytes.of(range[0]), Bytes.of(range[1]))),
                (p, r) -> p.authChange(r, "Role " + role + " updated"));
    }

    @Command(name = "revoke-permission", description = "Revokes a key from a role",
            customSynopsis = "revoke-permission <role name> <key> [endkey]")
    int revokePermission(@Mixin CommandArgs cmd,
            @Option(names = "--prefix", arity = "0..1", fallbackValue = "true", defaultValue = "false",
                    description = "revoke a prefix permission") boolean prefix,
            @Option(names = "--from-key", arity = "0..1", fallbackValue = "true", defaultValue = "false",
                    description = "revoke a permission of keys that are greater than or equal to the given key using byte compare")
            boolean fromKey) {
        if (cmd.args.size() < 2) {
            throw badArgs("role revoke-permission command requires role name and key [endkey] as its argument");
        }
        byte[][] range = permRange(cmd.args.subList(1, cmd.args.size()), prefix, fromKey);
        String role = cmd.args.get(0);
        // The key printed is the argument as given, not the "\x00" an empty key became.
        return show(cli().client().auth().roleRevokePermission(role, Bytes.of(range[0]), Bytes.of(range[1])),
                (p, r) -> p.roleRevokePermission(role, utf8(cmd.args.get(1)), range[1], r));
    }

    /** permRange: the key and range end for a permission's arguments and flags. */
    static byte[][] permRange(List<String> args, boolean prefix, boolean fromKey) {
        byte[] key = utf8(args.get(0));
        byte[] end;
        if (key.length == 0) {
            if (prefix && fromKey) {
                throw BaseCommand.badArgs("--from-key and --prefix flags are mutually exclusive");
            }
            // The empty key as etcd's interval starts: "\x00", open ended for --prefix and --from-key alike.
            key = new byte[] {0};
            end = prefix || fromKey ? new byte[] {0} : new byte[0];
        } else if (args.size() == 1) {
            if (prefix) {
                if (fromKey) {
                    throw BaseCommand.badArgs("--from-key and --prefix flags are mutually exclusive");
                }
                end = GoFormat.prefixEnd(key);
            } else {
                end = fromKey ? new byte[] {0} : new byte[0];
            }
        } else {
            if (prefix) {
                throw BaseCommand.badArgs("unexpected endkey argument with --prefix flag");
            }
            if (fromKey) {
                throw BaseCommand.badArgs("unexpected endkey argument with --from-key flag");
            }
            end = utf8(args.get(1));
        }
        return new byte[][] {key, end};
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
