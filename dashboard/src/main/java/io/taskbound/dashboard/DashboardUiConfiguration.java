package io.taskbound.dashboard;

import io.taskbound.Jobs;
import io.taskbound.engine.TaskboundEngine;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Properties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.CacheControl;
import org.springframework.web.method.HandlerTypePredicate;
import org.springframework.web.servlet.config.annotation.PathMatchConfigurer;
import org.springframework.web.servlet.config.annotation.ResourceHandlerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * The web UI: its page, its own scripts and styles, the libraries it imports (served from their
 * jars, at the versions of the pom), and the live feed behind it.
 */
@Configuration(proxyBeanMethods = false)
class DashboardUiConfiguration {

    /** The figures interval of a node whose engine is not Taskbound's own. */
    private static final Duration DEFAULT_REFRESH = Duration.ofSeconds(5);

    @Bean
    DashboardFeed taskboundDashboardFeed(Jobs jobs, ObjectProvider<TaskboundEngine> engine) {
        TaskboundEngine node = engine.getIfAvailable();
        Duration refresh = node == null ? DEFAULT_REFRESH : node.settings().figuresInterval();
        return new DashboardFeed(jobs, new LaneViews(jobs, node), refresh);
    }

    @Bean
    LiveApi taskboundDashboardLiveApi(DashboardFeed feed) {
        return new LiveApi(feed);
    }

    @Bean
    DashboardPage taskboundDashboardPage(TaskboundDashboardProperties properties) {
        return new DashboardPage(properties.path());
    }

    @Bean
    WebMvcConfigurer taskboundDashboardUi(TaskboundDashboardProperties properties) {
        Properties libraries = libraries();
        String path = properties.path();
        return new WebMvcConfigurer() {
            @Override
            public void configurePathMatch(PathMatchConfigurer configurer) {
                configurer.addPathPrefix(path, HandlerTypePredicate.forAssignableType(DashboardPage.class));
            }

            @Override
            public void addResourceHandlers(ResourceHandlerRegistry registry) {
                // Revalidated on each load (a 304 while unchanged), so that an upgraded app serves its new UI at once.
                registry.addResourceHandler(path + "/assets/**")
                        .addResourceLocations("classpath:/META-INF/taskbound-dashboard/assets/")
                        .setCacheControl(CacheControl.noCache());
                registry.addResourceHandler(path + "/vendor/htm/**")
                        .addResourceLocations(
                                "classpath:/META-INF/resources/_static/htm/" + libraries.getProperty("htm") + "/")
                        .setCacheControl(CacheControl.noCache());
                registry.addResourceHandler(path + "/vendor/uplot/**")
                        .addResourceLocations(
                                "classpath:/META-INF/resources/webjars/uplot/" + libraries.getProperty("uplot") + "/")
                        .setCacheControl(CacheControl.noCache());
            }
        };
    }

    private static Properties libraries() {
        Properties libraries = new Properties();
        try {
            libraries.load(new ByteArrayInputStream(resource("libraries.properties")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return libraries;
    }

    /** A file of the UI's, from {@code META-INF/taskbound-dashboard} in the module's jar. */
    static byte[] resource(String name) {
        String path = "/META-INF/taskbound-dashboard/" + name;
        try (InputStream in = DashboardUiConfiguration.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("The dashboard's " + path + " is missing from its jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
