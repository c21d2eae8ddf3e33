package dev.etcdj.bench.jetcd;

import dev.etcdj.bench.driver.Driver;
import dev.etcdj.bench.driver.DriverFactory;
import dev.etcdj.bench.driver.Drivers;
import java.util.List;

/**
 * Drives jetcd ({@code io.etcd:jetcd-core}), the baseline. Loaded by name only, so jetcd is needed
 * on the class path only when a run asks for it; the constructor fails fast when it is absent.
 */
public final class JetcdDriverFactory implements DriverFactory {

    public JetcdDriverFactory() throws ClassNotFoundException {
        Class.forName("io.etcd.jetcd.Client");
    }

    @Override
    public String name() {
        return Drivers.JETCD;
    }

    @Override
    public Driver open(List<String> endpoints) {
        return JetcdDriver.open(endpoints);
    }
}
