package dev.etcdj.tck;

import static dev.etcdj.client.Futures.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.etcdj.client.AlarmMember;
import dev.etcdj.client.AlarmResponse;
import dev.etcdj.client.NoSpaceException;
import dev.etcdj.client.Options;
import org.junit.jupiter.api.Test;

/**
 * A backend that hits its quota raises the NOSPACE alarm, refuses writes, and is brought back by
 * etcd's runbook: delete, compact, defragment, disarm. The target's quota must be
 * {@value #QUOTA_BYTES} bytes (real etcd: {@code --quota-backend-bytes=262144}).
 */
public abstract class NoSpaceContract extends ContractSupport {

    static final long QUOTA_BYTES = 262_144;

    @Test
    void noSpaceAlarmIsListedAndDisarmedOnceSpaceIsFreed() {
        String endpoint = endpoints().get(0);
        String big = "x".repeat(8 * 1024);
        int i = 0;
        while (true) {
            try {
                await(client.kv().put(key("fill/" + i++), big));
            } catch (NoSpaceException e) {
                break;
            }
            assertThat(i).as("quota never hit").isLessThan(200);
        }
        long member = await(client.maintenance().status(endpoint)).header().memberId();

        AlarmResponse alarms = await(client.maintenance().alarmList());
        assertThat(alarms.alarms()).containsExactly(new AlarmMember(member, AlarmMember.Type.NOSPACE));
        assertThat(await(client.maintenance().status(endpoint)).errors())
                .anySatisfy(e -> assertThat(e).contains("NOSPACE"));
        assertThatThrownBy(() -> await(client.kv().put(key("more"), "v"))).isInstanceOf(NoSpaceException.class);

        // The etcd runbook: delete, compact, defragment, disarm.
        long rev = await(client.kv().delete(key("fill/"), Options.prefix())).header().revision();
        await(client.kv().compact(rev, true));
        await(client.maintenance().defragment(endpoint));
        AlarmResponse disarmed = await(client.maintenance().alarmDisarm(alarms.alarms().get(0)));

        assertThat(disarmed.alarms()).containsExactly(new AlarmMember(member, AlarmMember.Type.NOSPACE));
        assertThat(await(client.maintenance().alarmList()).alarms()).isEmpty();
        await(client.kv().put(key("more"), "v"));
    }
}
