package io.taskbound.faults;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.taskbound.settings.ExecutorKind;
import io.taskbound.settings.LaneSettings;
import io.taskbound.settings.TaskboundSettings;
import io.taskbound.testing.TestEngine;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.time.Duration;

/**
 * An application node in a JVM of its own, for tests that kill it. It starts an engine over the
 * database at the JDBC URL it is given, with {@link EffectJob} registered, prints
 * {@value #READY}{@code <node id>}, and runs until it is killed or its parent goes away (its
 * standard input closes), so that a test JVM that dies leaves no node behind.
 *
 * <p>Arguments: the JDBC URL, the node's name, and how long each job works in milliseconds.
 */
public final class FaultNode {

    static final String READY = "FAULT-NODE READY ";
    static final String LANE = "fault";

    /**
     * Heartbeat every 250 ms and dead after 2 s, so that a killed node's jobs come back within
     * seconds. The fault lane runs 2 jobs at once and claims up to 20: most of what a node holds
     * at any moment is claimed ahead, not running, which is what a kill must not lose.
     */
    static final TaskboundSettings SETTINGS = TaskboundSettings.defaults()
            .withTimings(Duration.ofMillis(200), Duration.ofMillis(250), Duration.ofSeconds(2), Duration.ofSeconds(2))
            .withLane(
                    LANE,
                    new LaneSettings(
                            ExecutorKind.PLATFORM,
                            2,
                            50,
                            20,
                            null,
                            LaneSettings.DEFAULT_MAX_ATTEMPTS,
                            LaneSettings.DEFAULT_INITIAL_BACKOFF,
                            LaneSettings.DEFAULT_MAX_BACKOFF));

    private FaultNode() {}

    /** The name under which the node's connections appear in {@code pg_stat_activity}. */
    static String applicationName(String node) {
        return "taskbound-fault-" + node;
    }

    public static void main(String[] args) {
        // Watching from the start: a parent that dies while this node is still starting must not
        // leave it behind either. The thread also keeps the JVM alive once main returns.
        Thread.ofPlatform().name("fault-node-parent-watch").start(FaultNode::haltWhenParentGoes);
        String url = args[0];
        String node = args[1];
        Duration work = Duration.ofMillis(Long.parseLong(args[2]));
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername("postgres");
        config.setMaximumPoolSize(10);
        config.setMinimumIdle(2);
        config.setPoolName("fault-" + node);
        config.addDataSourceProperty("ApplicationName", applicationName(node));
        HikariDataSource dataSource = new HikariDataSource(config);
        TestEngine engine = TestEngine.start(dataSource, SETTINGS, new EffectJob(dataSource, node, work));
        System.out.println(READY + engine.engine().nodeId());
        // For the log: how much of a slow start was this JVM's own work, and how much waiting.
        System.out.printf(
                "Started in %d ms, %d ms of CPU%n",
                ManagementFactory.getRuntimeMXBean().getUptime(),
                ProcessHandle.current()
                        .info()
                        .totalCpuDuration()
                        .map(Duration::toMillis)
                        .orElse(-1L));
        System.out.flush();
    }

    private static void haltWhenParentGoes() {
        try {
            while (System.in.read() != -1) {
                // nothing is sent; the read only ends when the parent closes the pipe or dies
            }
        } catch (IOException e) {
            // the pipe is broken: the parent is gone just the same
        }
        Runtime.getRuntime().halt(3);
    }
}
