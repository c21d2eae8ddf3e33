package dev.etcdj.cli;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * A command's picocli model written in code rather than read from annotations. Reading annotations
 * makes the JDK parse them and generate a proxy class per annotation type, which class-data sharing
 * cannot archive: that was most of what a short command spent in picocli. The root and etcdctl's
 * single commands (get, put, del, txn, watch, endpoint...) declare their flags here, one declaration
 * each, bound to the command's field of that name. The groups whose subcommands are {@code @Command}
 * methods (lease, member, user, role, auth, alarm, snapshot, check) and serve keep picocli's
 * annotations; {@link RootCommand} lists both kinds.
 *
 * <p>Each declaration gives the model picocli would build from the equivalent annotation: the
 * field's type, current value (picocli's initial value) and {@code <field>} label. Boolean flags
 * are declared with arity 0, as an annotated boolean field is; {@link Main} turns them into pflag's
 * optional-value flags for both kinds alike.
 */
final class Model {

    private final Object command;
    private final CommandSpec spec;
    /** The flags and positional arguments (their builders), added to the model in the order declared. */
    private final List<Object> args = new ArrayList<>();
    private final List<CommandSpec> subcommands = new ArrayList<>();

    private Model(Object command, String name, String description, String synopsis) {
        this.command = command;
        this.spec = CommandSpec.wrapWithoutInspection(command);
        spec.name(name);
        spec.usageMessage().description(description).customSynopsis(synopsis);
        if (command instanceof BaseCommand c) {
            c.spec = spec;
        }
    }

    /** A command: its name, its one-line description and the synopsis etcdctl's help shows. */
    static Model of(Object command, String name, String description, String synopsis) {
        return new Model(command, name, description, synopsis);
    }

    /** The DESCRIPTION section of the help. */
    Model footer(String... lines) {
        spec.usageMessage().footer(lines);
        return this;
    }

    /** cobra's {@code -h, --help} flag, "help for &lt;command&gt;", as {@link HelpOption} mixes it in. */
    Model help() {
        return help(new HelpOption());
    }

    private Model help(HelpOption h) {
        option(h, "help", "-h", "--help").usageHelp(true).description("help for " + spec.name());
        return this;
    }

    /** The help flag and the unchecked positional arguments, into {@code cmd}, as {@link CommandArgs} mixes them in. */
    Model args(CommandArgs cmd) {
        help(cmd);
        Field f = field(cmd, "args");
        args.add(PositionalParamSpec.builder().index("0..*").arity("0..1").hidden(true)
                .type(List.class).auxiliaryTypes(String.class).paramLabel("<args>")
                .getter(new FieldBinding(cmd, f)).setter(new FieldBinding(cmd, f))
                .initialValue(FieldBinding.read(cmd, f)).hasInitialValue(true));
        return this;
    }

    /**
     * A flag bound to the command's field {@code field}; the returned builder takes the rest
     * (description, default, arity, scope...). Added in the order declared.
     */
    OptionSpec.Builder option(String field, String... names) {
        return option(command, field, names);
    }

    /** A flag bound to {@code owner}'s field {@code field} (for flags shared by several commands, as the global ones). */
    OptionSpec.Builder option(Object owner, String field, String... names) {
        Field f = field(owner, field);
        Class<?> type = f.getType();
        OptionSpec.Builder b = OptionSpec.builder(names).type(type)
                .auxiliaryTypes(List.class.isAssignableFrom(type) ? String.class : type)
                .getter(new FieldBinding(owner, f)).setter(new FieldBinding(owner, f))
                .initialValue(FieldBinding.read(owner, f)).hasInitialValue(true).paramLabel("<" + field + ">");
        args.add(b);
        return b;
    }

    /** A subcommand, added after this command's own flags (so that it inherits those of scope INHERIT). */
    Model subcommand(CommandSpec sub) {
        subcommands.add(sub);
        return this;
    }

    /** The model, with every declared flag and subcommand. */
    CommandSpec spec() {
        for (Object b : args) {
            if (b instanceof OptionSpec.Builder o) {
                spec.addOption(o.build());
            } else {
                spec.addPositional(((PositionalParamSpec.Builder) b).build());
            }
        }
        args.clear();
        for (CommandSpec sub : subcommands) {
            spec.addSubcommand(sub.name(), new CommandLine(sub));
        }
        subcommands.clear();
        return spec;
    }

    private static Field field(Object owner, String name) {
        for (Class<?> c = owner.getClass(); c != null; c = c.getSuperclass()) {
            try {
                Field f = c.getDeclaredField(name);
                f.setAccessible(true);
                return f;
            } catch (NoSuchFieldException e) {
                // declared by a superclass: look there
            }
        }
        throw new IllegalArgumentException(owner.getClass().getName() + " has no field " + name);
    }

    /**
     * Reads and writes one field of one object, as picocli's own binding of an annotated field does.
     * A class rather than lambdas: the launcher's class-data archive holds classes, not lambdas that
     * implement picocli's interfaces.
     */
    static final class FieldBinding implements CommandLine.Model.IGetter, CommandLine.Model.ISetter {
        private final Object owner;
        private final Field field;

        FieldBinding(Object owner, Field field) {
            this.owner = owner;
            this.field = field;
        }

        static Object read(Object owner, Field field) {
            try {
                return field.get(owner);
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        @SuppressWarnings("unchecked")
        public <T> T get() {
            return (T) read(owner, field);
        }

        @Override
        @SuppressWarnings("unchecked")
        public <T> T set(T value) {
            try {
                T old = (T) field.get(owner);
                field.set(owner, value);
                return old;
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
