package dev.etcdj.bench.driver;

import java.util.List;

/** Opens drivers of one client library; one driver is one client object (one connection). */
public interface DriverFactory {

    /** Short name used on the command line and in reports: {@code etcdj}, {@code jetcd}. */
    String name();

    Driver open(List<String> endpoints);
}
