package io.taskbound.autoconfigure;

import io.taskbound.process.WorkerBoot;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.context.ApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.util.ClassUtils;

/**
 * What a worker JVM needs to boot this application's context as {@link SpringWorkerBeans} does:
 * the application's class, its active profiles, and the properties it got from anywhere but its
 * configuration files, which the worker reads itself from the same classpath.
 *
 * <p>Those properties are the ones set on the command line, by code ({@code
 * EnvironmentPostProcessor}s, default properties, test property sources) and as system properties
 * other than the JVM's own, each with the value it has here. A post-processor that would start
 * something at start-up when a property is missing (an embedded database) thus finds it set in the
 * worker and leaves it be. Environment variables reach the worker because it inherits them.
 */
final class SpringWorkerBoot {

    static final String APPLICATION = "application";
    static final String PROFILES = "profiles";
    static final String PROPERTY = "property.";

    private static final Logger log = LoggerFactory.getLogger(SpringWorkerBoot.class);

    // Read by the worker from its own classpath, or about this JVM only.
    private static final Set<String> NOT_PASSED = Set.of(
            StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
            "random",
            "configurationProperties",
            "applicationInfo",
            "server.ports");
    private static final Set<String> JVM_PROPERTY_PREFIXES = Set.of(
            "java.",
            "jdk.",
            "sun.",
            "os.",
            "user.",
            "file.",
            "line.",
            "path.",
            "native.",
            "stdout.",
            "stderr.",
            "awt.",
            "jna.",
            "jboss.",
            "surefire.",
            "basedir",
            "localRepository");

    private SpringWorkerBoot() {}

    /**
     * The boot of this application's workers; {@link WorkerBoot#PLAIN} where the context has not
     * exactly one {@code @SpringBootApplication} (or {@code @SpringBootConfiguration}) to boot.
     */
    static WorkerBoot of(ApplicationContext context, ConfigurableEnvironment environment) {
        String[] applications = context.getBeanNamesForAnnotation(SpringBootConfiguration.class);
        if (applications.length != 1) {
            log.info(
                    "Worker JVMs of process lanes make jobs' objects with their no-arg constructors: the context"
                            + " has {} @SpringBootConfiguration classes, not exactly one to boot in them",
                    applications.length);
            return WorkerBoot.PLAIN;
        }
        Class<?> application = ClassUtils.getUserClass(context.getType(applications[0], false));
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put(APPLICATION, application.getName());
        settings.put(PROFILES, String.join(",", environment.getActiveProfiles()));
        properties(environment).forEach((name, value) -> settings.put(PROPERTY + name, value));
        return WorkerBoot.of(SpringWorkerBeans.class, settings);
    }

    private static Map<String, String> properties(ConfigurableEnvironment environment) {
        Map<String, String> properties = new LinkedHashMap<>();
        for (PropertySource<?> source : environment.getPropertySources()) {
            if (!(source instanceof EnumerablePropertySource<?> enumerable)
                    || NOT_PASSED.contains(source.getName())
                    || source.getName().startsWith("Config resource")) {
                continue;
            }
            boolean system = source.getName().equals(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);
            for (String name : enumerable.getPropertyNames()) {
                if (properties.containsKey(name) || !passed(name, system)) {
                    continue;
                }
                try {
                    String value = environment.getProperty(name);
                    if (value != null) {
                        properties.put(name, value);
                    }
                } catch (IllegalArgumentException unresolvable) {
                    // A placeholder nothing resolves here; the worker meets it as the node would.
                }
            }
        }
        return properties;
    }

    private static boolean passed(String name, boolean systemProperty) {
        if (name.startsWith("taskbound.worker") || name.startsWith("spring.profiles.")) {
            return false;
        }
        return !systemProperty || JVM_PROPERTY_PREFIXES.stream().noneMatch(name::startsWith);
    }
}
