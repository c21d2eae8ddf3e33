package dev.etcdj.bench.driver;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds a driver by name. Only etcdj's is linked in; the others are looked up by class name so a
 * program that embeds the engine (the CLI) does not need their libraries unless it asks for them.
 */
public final class Drivers {

    public static final String ETCDJ = "etcdj";
    public static final String ETCDJ_DIRECT = "etcdj-direct";
    public static final String ETCDJ_UNCOALESCED = "etcdj-uncoalesced";
    public static final String JETCD = "jetcd";

    private static final String JETCD_FACTORY = "dev.etcdj.bench.jetcd.JetcdDriverFactory";

    private Drivers() {}

    public static DriverFactory byName(String name) {
        return switch (name) {
            case ETCDJ -> new EtcdjDriverFactory();
            case ETCDJ_DIRECT -> new EtcdjDriverFactory(ETCDJ_DIRECT, b -> b.completeOnNetworkThreads(true));
            case ETCDJ_UNCOALESCED -> new EtcdjDriverFactory(ETCDJ_UNCOALESCED, b -> b.coalesceWatches(false));
            case JETCD -> load(JETCD_FACTORY, "jetcd (io.etcd:jetcd-core) is not on the class path; "
                    + "run the comparison through bench/run.sh, which puts it there");
            default -> throw new IllegalArgumentException("unknown client '" + name + "' (known: etcdj, etcdj-direct, etcdj-uncoalesced, jetcd)");
        };
    }

    public static List<DriverFactory> byNames(List<String> names) {
        List<DriverFactory> factories = new ArrayList<>();
        for (String n : names) {
            factories.add(byName(n.trim()));
        }
        return factories;
    }

    private static DriverFactory load(String className, String missing) {
        try {
            return (DriverFactory) Class.forName(className).getDeclaredConstructor().newInstance();
        } catch (ClassNotFoundException | NoClassDefFoundError e) {
            throw new IllegalStateException(missing, e);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot create " + className + ": " + e, e);
        }
    }
}
