package io.taskbound.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.taskbound.JobState;
import io.taskbound.advice.Advisor;
import io.taskbound.advice.LaneWatch;
import io.taskbound.process.ProcessSettings;
import io.taskbound.settings.TaskboundSettings;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.boot.convert.DurationStyle;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The defaults a user sees (in the IDE, from the generated configuration metadata) and gets (from
 * the binder) are the engine's, whose constants live in core.
 */
class TaskboundPropertiesTests {

    private static final TaskboundSettings ENGINE = TaskboundSettings.defaults(4);

    @Test
    void theGeneratedMetadataShowsTheEnginesDefaults() throws IOException, URISyntaxException {
        Map<String, String> defaults = metadataDefaults();

        assertThat(duration(defaults, "taskbound.poll-interval")).isEqualTo(ENGINE.pollInterval());
        assertThat(defaults.get("taskbound.poll-only")).isEqualTo(String.valueOf(ENGINE.pollOnly()));
        assertThat(duration(defaults, "taskbound.heartbeat-interval")).isEqualTo(ENGINE.heartbeatInterval());
        assertThat(duration(defaults, "taskbound.dead-node-timeout")).isEqualTo(ENGINE.deadNodeTimeout());
        assertThat(duration(defaults, "taskbound.shutdown-timeout")).isEqualTo(ENGINE.shutdownTimeout());
        assertThat(defaults.get("taskbound.completion-batch-size"))
                .isEqualTo(String.valueOf(ENGINE.completionBatchSize()));
        assertThat(duration(defaults, "taskbound.network-timeout")).isEqualTo(ENGINE.networkTimeout());
        assertThat(duration(defaults, "taskbound.figures-interval")).isEqualTo(ENGINE.figuresInterval());
        assertThat(duration(defaults, "taskbound.retention.succeeded"))
                .isEqualTo(ENGINE.retention().get(JobState.SUCCEEDED));
        assertThat(duration(defaults, "taskbound.retention.cancelled"))
                .isEqualTo(ENGINE.retention().get(JobState.CANCELLED));
        assertThat(duration(defaults, "taskbound.retention.dead"))
                .isEqualTo(ENGINE.retention().get(JobState.DEAD));
        assertThat(duration(defaults, "taskbound.retention.prune-interval")).isEqualTo(ENGINE.pruneInterval());
        assertThat(duration(defaults, "taskbound.scheduling.misfire-threshold")).isEqualTo(ENGINE.misfireThreshold());
        assertThat(defaults.get("taskbound.enabled")).isEqualTo("true");
        assertThat(defaults.get("taskbound.schema.migrate")).isEqualTo("true");
    }

    @Test
    void propertiesBoundFromNothingHoldTheEnginesDefaults() {
        TaskboundProperties bound =
                new Binder(new MapConfigurationPropertySource()).bindOrCreate("taskbound", TaskboundProperties.class);

        assertThat(bound.pollInterval()).isEqualTo(TaskboundSettings.DEFAULT_POLL_INTERVAL);
        assertThat(bound.heartbeatInterval()).isEqualTo(TaskboundSettings.DEFAULT_HEARTBEAT_INTERVAL);
        assertThat(bound.networkTimeout()).isEqualTo(TaskboundSettings.DEFAULT_NETWORK_TIMEOUT);
        assertThat(bound.figuresInterval()).isEqualTo(TaskboundSettings.DEFAULT_FIGURES_INTERVAL);
        assertThat(bound.isEnabled()).isTrue();
        assertThat(bound.toSettings(4)).isEqualTo(ENGINE);

        Map<String, String> retention = new HashMap<>();
        retention.put("taskbound.retention.dead", "2d");
        TaskboundProperties someRetention = new Binder(new MapConfigurationPropertySource(retention))
                .bindOrCreate("taskbound", TaskboundProperties.class);
        assertThat(someRetention.retention().succeeded()).isEqualTo(TaskboundSettings.DEFAULT_SUCCEEDED_RETENTION);
        assertThat(someRetention.retention().pruneInterval()).isEqualTo(TaskboundSettings.DEFAULT_PRUNE_INTERVAL);
        assertThat(someRetention.toSettings(4).retention())
                .containsEntry(JobState.DEAD, Duration.ofDays(2))
                .containsEntry(JobState.SUCCEEDED, TaskboundSettings.DEFAULT_SUCCEEDED_RETENTION);
    }

    @Test
    void advisorPropertiesBoundFromNothingHoldTheEnginesDefaults() {
        TaskboundAdvisorProperties bound = new Binder(new MapConfigurationPropertySource())
                .bindOrCreate("taskbound.advisor", TaskboundAdvisorProperties.class);

        assertThat(bound.toSettings()).isEqualTo(Advisor.Settings.defaults());
        assertThat(bound.toSettings().lanes()).isEqualTo(LaneWatch.Settings.defaults());
    }

    @Test
    void processPropertiesApplyOverTheDefaultsTheEngineGivesTheLane() {
        TaskboundProperties bound = bind(
                "taskbound.lanes.network.executor", "process",
                "taskbound.lanes.network.concurrency", "3",
                "taskbound.lanes.network.process.workers", "2",
                "taskbound.lanes.network.process.heap", "1g",
                "taskbound.lanes.network.process.jvm-options", "-XX:+UseSerialGC,-Dshop.mode=batch",
                "taskbound.lanes.network.process.eager-start", "true",
                "taskbound.lanes.network.process.max-jobs-per-worker", "50",
                "taskbound.lanes.network.process.start-timeout", "45s",
                "taskbound.lanes.network.process.recycle-above-heap", "800m",
                "taskbound.lanes.network.process.idle-timeout", "10m",
                "taskbound.lanes.network.process.aot-cache", "/var/cache/shop");

        assertThat(bound.toSettings(4).lane("network").concurrency()).isEqualTo(3);
        assertThat(bound.processWorkers("network", ProcessSettings.defaults(3)))
                .isEqualTo(new ProcessSettings(
                        2,
                        "1g",
                        List.of("-XX:+UseSerialGC", "-Dshop.mode=batch"),
                        true,
                        50,
                        Duration.ofSeconds(45),
                        "800m",
                        Duration.ofMinutes(10),
                        Path.of("/var/cache/shop")));
    }

    @Test
    void processPropertiesLeftUnsetKeepTheEnginesDefaults() {
        TaskboundProperties bound = bind(
                "taskbound.lanes.network.executor", "process",
                "taskbound.lanes.network.process.eager-start", "true",
                "taskbound.lanes.reports.executor", "process",
                "taskbound.lanes.reports.concurrency", "2");
        ProcessSettings defaults = ProcessSettings.defaults(2);

        assertThat(bound.processWorkers("network", defaults)).isEqualTo(defaults.withEagerStart(true));
        assertThat(bound.processWorkers("reports", defaults)).isEqualTo(defaults);
        assertThat(bound.processWorkers("io", defaults)).isEqualTo(defaults);
        assertThat(defaults.heap()).isEqualTo(ProcessSettings.DEFAULT_HEAP);
        assertThat(defaults.maxJobsPerWorker()).isEqualTo(ProcessSettings.DEFAULT_MAX_JOBS_PER_WORKER);
        assertThat(defaults.startTimeout()).isEqualTo(ProcessSettings.DEFAULT_START_TIMEOUT);
        assertThat(defaults.recycleAboveHeap()).as("never recycled for heap").isNull();
        assertThat(defaults.idleTimeout()).as("idle workers kept").isNull();
    }

    @Test
    void aRecycleThresholdThatIsNotASizeFailsNamingThePropertyAndHowToWriteIt() {
        TaskboundProperties bound = bind(
                "taskbound.lanes.network.executor", "process",
                "taskbound.lanes.network.process.recycle-above-heap", "80%");

        assertThatThrownBy(() -> bound.toSettings(4))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Invalid taskbound.lanes.network.process.recycle-above-heap")
                .hasMessageContaining("\"80%\" is not a size")
                .hasMessageContaining("\"200m\" or \"1g\"");
    }

    @Test
    void aRecycleThresholdNotBelowTheHeapFailsNamingThePropertyAndTheHeap() {
        TaskboundProperties bound = bind(
                "taskbound.lanes.network.executor", "process",
                "taskbound.lanes.network.process.heap", "512m",
                "taskbound.lanes.network.process.recycle-above-heap", "1g");

        assertThatThrownBy(() -> bound.toSettings(4))
                .hasMessageContaining("Invalid taskbound.lanes.network.process.recycle-above-heap")
                .hasMessageContaining("above 1g of heap in use, which its heap of 512m never exceeds")
                .hasMessageContaining("set it below the heap, or leave it unset");
    }

    @Test
    void anIdleTimeoutThatIsNotPositiveFailsNamingTheProperty() {
        TaskboundProperties bound = bind(
                "taskbound.lanes.network.executor", "process", "taskbound.lanes.network.process.idle-timeout", "0s");

        assertThatThrownBy(() -> bound.toSettings(4))
                .hasMessageContaining("Invalid taskbound.lanes.network.process.idle-timeout")
                .hasMessageContaining("must be positive");
    }

    @Test
    void aHeapNotWrittenAsXmxTakesItFailsNamingThePropertyAndHowToWriteIt() {
        TaskboundProperties bound =
                bind("taskbound.lanes.network.executor", "process", "taskbound.lanes.network.process.heap", "1gb");

        assertThatThrownBy(() -> bound.toSettings(4))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Invalid taskbound.lanes.network.process.heap")
                .hasMessageContaining("\"1gb\"")
                .hasMessageContaining("\"256m\" or \"2g\"");
    }

    @Test
    void fewerThanOneWorkerFailsNamingTheProperty() {
        TaskboundProperties bound =
                bind("taskbound.lanes.network.executor", "process", "taskbound.lanes.network.process.workers", "-1");

        assertThatThrownBy(() -> bound.toSettings(4))
                .hasMessageContaining("Invalid taskbound.lanes.network.process.workers")
                .hasMessageContaining("at least 1 worker, was -1");
    }

    @Test
    void aStartTimeoutThatIsNotPositiveFailsNamingTheProperty() {
        TaskboundProperties bound = bind(
                "taskbound.lanes.network.executor", "process", "taskbound.lanes.network.process.start-timeout", "0s");

        assertThatThrownBy(() -> bound.toSettings(4))
                .hasMessageContaining("Invalid taskbound.lanes.network.process.start-timeout")
                .hasMessageContaining("must be positive");
    }

    @Test
    void processPropertiesOnALaneWhoseExecutorIsNotProcessFailNamingTheFix() {
        TaskboundProperties defaultLane = bind("taskbound.lanes.io.process.heap", "1g");
        TaskboundProperties ownExecutor = bind(
                "taskbound.lanes.reports.executor", "reportExecutor",
                "taskbound.lanes.reports.concurrency", "2",
                "taskbound.lanes.reports.process.workers", "2");

        assertThatThrownBy(() -> defaultLane.toSettings(4))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("taskbound.lanes.io.process is set")
                .hasMessageContaining("executor \"VIRTUAL\"")
                .hasMessageContaining("set taskbound.lanes.io.executor=process");
        assertThatThrownBy(() -> ownExecutor.toSettings(4))
                .hasMessageContaining("executor \"reportExecutor\"")
                .hasMessageContaining("set taskbound.lanes.reports.executor=process");
    }

    private static TaskboundProperties bind(String... namesAndValues) {
        Map<String, String> properties = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            properties.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return new Binder(new MapConfigurationPropertySource(properties))
                .bindOrCreate("taskbound", TaskboundProperties.class);
    }

    /** The defaultValue of every property in the metadata the build generated, as written there. */
    private static Map<String, String> metadataDefaults() throws IOException, URISyntaxException {
        Map<String, String> defaults = new HashMap<>();
        // This module's, where TaskboundProperties was compiled, not another jar's on the class path.
        URL generated = TaskboundProperties.class
                .getProtectionDomain()
                .getCodeSource()
                .getLocation()
                .toURI()
                .resolve("META-INF/spring-configuration-metadata.json")
                .toURL();
        try (InputStream json = generated.openStream()) {
            JsonNode metadata = JsonMapper.builder().build().readTree(json);
            for (JsonNode property : metadata.get("properties")) {
                JsonNode value = property.get("defaultValue");
                if (value != null) {
                    defaults.put(property.get("name").asString(), value.asString());
                }
            }
        }
        return defaults;
    }

    private static Duration duration(Map<String, String> defaults, String property) {
        String text = defaults.get(property);
        assertThat(text).as("defaultValue of %s in the metadata", property).isNotNull();
        return DurationStyle.detectAndParse(text);
    }
}
