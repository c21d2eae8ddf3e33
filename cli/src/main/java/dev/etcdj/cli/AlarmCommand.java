package dev.etcdj.cli;

import dev.etcdj.cli.output.Printer;
import dev.etcdj.client.AlarmMember;
import dev.etcdj.client.AlarmResponse;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** etcdctl's alarm commands (alarm_command.go). */
@Command(name = "alarm", description = "Alarm related commands", customSynopsis = "alarm <subcommand>")
final class AlarmCommand extends CommandGroup {

    @Command(name = "disarm", description = "Disarms all alarms", customSynopsis = "disarm")
    int disarm(@Mixin CommandArgs cmd) {
        cmd.exactly(0, "alarm disarm command accepts no arguments");
        Cli cli = cli();
        // clientv3's AlarmDisarm of the empty AlarmMember: list every alarm, disarm each, and answer
        // with what was disarmed (and no header of its own).
        var maintenance = cli.client().maintenance();
        List<AlarmMember> disarmed = new ArrayList<>();
        for (AlarmMember a : cli.await(maintenance.alarmList()).alarms()) {
            disarmed.addAll(cli.await(maintenance.alarmDisarm(a)).alarms());
        }
        AlarmResponse r = new AlarmResponse(dev.etcdj.client.ResponseHeader.EMPTY, disarmed);
        display(p -> p.alarm(r));
        return 0;
    }

    @Command(name = "list", description = "Lists all alarms", customSynopsis = "list")
    int list(@Mixin CommandArgs cmd) {
        cmd.exactly(0, "alarm list command accepts no arguments");
        return show(cli().client().maintenance().alarmList(), Printer::alarm);
    }
}
