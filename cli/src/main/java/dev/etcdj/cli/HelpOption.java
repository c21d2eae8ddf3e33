package dev.etcdj.cli;

import picocli.CommandLine.Option;

/**
 * cobra's {@code -h, --help} flag, described as "help for &lt;command&gt;": mixed into every command
 * with {@code @Mixin HelpOption help;} (or through {@link CommandArgs}).
 */
class HelpOption {

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "help for ${COMMAND-NAME}")
    boolean help;
}
