package dev.etcdj.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Commands whose model is written in code ({@link Model}) get the model picocli makes of the
 * annotations the other commands use: the same help flag and arguments as the mixins, flags
 * inherited alike, each command under the name its entry gives.
 */
class ModelTest {

    /** Every attribute of a flag or argument that parsing, help or errors read. */
    private static String describe(ArgSpec a) {
        String names = a instanceof OptionSpec o ? Arrays.toString(o.names()) + " usageHelp=" + o.usageHelp()
                + " fallback=" + o.fallbackValue() : "positional " + ((CommandLine.Model.PositionalParamSpec) a).index();
        return names + " type=" + a.type().getName() + " aux=" + Arrays.toString(a.auxiliaryTypes()) + " arity=" + a.arity()
                + " default=" + a.defaultValue() + " initial=" + a.initialValue() + " hidden=" + a.hidden()
                + " inherited=" + a.inherited() + " scope=" + a.scopeType() + " label=" + a.paramLabel()
                + " split=" + a.splitRegex() + " required=" + a.required() + " value=" + a.getValue()
                + " description=" + Arrays.toString(a.description());
    }

    private static List<String> describe(CommandSpec spec) {
        return spec.args().stream().map(ModelTest::describe).collect(Collectors.toList());
    }

    /** An annotated command with the mixins the modelled commands replace. */
    @CommandLine.Command(name = "probe", description = "d", customSynopsis = "probe")
    static final class Annotated {
        @CommandLine.Mixin
        CommandArgs cmd;
    }

    @CommandLine.Command(name = "probe", description = "d", customSynopsis = "probe")
    static final class AnnotatedHelpOnly {
        @CommandLine.Mixin
        HelpOption help;
    }

    @Test
    void helpAndArgumentsAreTheMixinsOnes() {
        CommandSpec annotated = new CommandLine(new Annotated()).getCommandSpec();
        CommandSpec modelled = Model.of(new Object(), "probe", "d", "probe").args(new CommandArgs()).spec();
        assertThat(describe(modelled)).isEqualTo(describe(annotated));

        CommandSpec helpOnly = new CommandLine(new AnnotatedHelpOnly()).getCommandSpec();
        assertThat(describe(Model.of(new Object(), "probe", "d", "probe").help().spec())).isEqualTo(describe(helpOnly));
    }

    @Test
    void eachEntryNamesItsCommand() {
        CommandLine root = Main.withCommands(Main.commandLine(new RootCommand().model()), RootCommand.COMMANDS);
        Map<String, CommandLine> subs = root.getSubcommands();
        for (RootCommand.Sub sub : RootCommand.COMMANDS) {
            assertThat(subs.get(sub.name()).getCommandSpec().name()).isEqualTo(sub.name());
        }
        assertThat(subs.keySet()).containsExactlyElementsOf(RootCommand.COMMANDS.stream().map(RootCommand.Sub::name).toList());
    }

    @Test
    void modelledCommandsInheritTheGlobalFlagsAndParseThem() {
        RootCommand rootCommand = new RootCommand();
        CommandLine root = Main.withCommands(Main.commandLine(rootCommand.model()), RootCommand.COMMANDS);
        CommandLine.ParseResult pr = root.parseArgs("get", "--prefix", "--endpoints=a:1,b:2", "-w", "json", "k", "--limit", "16");
        GetCommand get = (GetCommand) pr.subcommand().commandSpec().userObject();
        assertThat(get.prefix).isTrue();
        assertThat(get.limit).isEqualTo(16);
        assertThat(get.cmd.args).containsExactly("k");
        assertThat(rootCommand.global.endpoints).containsExactly("a:1", "b:2");
        assertThat(rootCommand.global.writeOut).isEqualTo("json");
        assertThat(pr.subcommand().commandSpec().findOption("--endpoints").inherited()).isTrue();
    }
}
