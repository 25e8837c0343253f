package io.taskbound.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.taskbound.JobState;
import io.taskbound.settings.TaskboundSettings;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.time.Duration;
import java.util.HashMap;
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
