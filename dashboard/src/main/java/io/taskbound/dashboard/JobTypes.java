package io.taskbound.dashboard;

import io.taskbound.Bound;
import io.taskbound.engine.TaskboundEngine;
import io.taskbound.job.JobDefinition;
import io.taskbound.settings.LaneSettings;
import java.lang.reflect.GenericArrayType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * The jobs this node can run: the catalogue of its engine's registry, with the types of their
 * parameters and results written as a reader would write them, Taskbound's own jobs left out. Empty
 * where the application made its own {@code Jobs} without an engine.
 */
final class JobTypes {

    private final @Nullable TaskboundEngine engine;

    JobTypes(@Nullable TaskboundEngine engine) {
        this.engine = engine;
    }

    /**
     * One registered job.
     *
     * @param maxAttempts attempts before a job is dead: the job's own, else its lane's
     * @param timeout how long a run may take: the job's own, else its lane's; null for no limit
     * @param method the method that runs it, such as {@code Printer.print(String)}
     */
    record JobType(
            String name,
            String lane,
            Bound bound,
            int maxAttempts,
            int priority,
            @Nullable Duration timeout,
            List<Parameter> parameters,
            String resultType,
            String method) {}

    record Parameter(String name, String type) {}

    /** Every job of the application, by name; Taskbound's own are started only from code. */
    List<JobType> list() {
        if (engine == null) {
            return List.of();
        }
        return engine.registry().applicationNames().stream()
                .map(engine.registry()::find)
                .filter(definition -> definition != null)
                .map(this::type)
                .toList();
    }

    /** The names of the application's jobs, sorted: what {@link #list()} lists. */
    Set<String> names() {
        return engine == null ? Set.of() : engine.registry().applicationNames();
    }

    /**
     * Whether {@code name} is a job of Taskbound's own, such as {@code taskbound.command}: never
     * started from the dashboard, where a command would let anyone with access run anything on the
     * application's nodes.
     */
    boolean builtIn(String name) {
        return engine != null && engine.registry().builtIn(name);
    }

    private JobType type(JobDefinition definition) {
        LaneSettings lane = engine == null ? null : engine.settings().lanes().get(definition.lane());
        int maxAttempts = definition.maxAttempts() > 0 || lane == null ? definition.maxAttempts() : lane.maxAttempts();
        Duration timeout = definition.timeout() != null || lane == null ? definition.timeout() : lane.timeout();
        return new JobType(
                definition.name(),
                definition.lane(),
                definition.bound(),
                maxAttempts,
                definition.priority(),
                timeout,
                definition.parameters().stream()
                        .map(parameter -> new Parameter(parameter.name(), name(parameter.type())))
                        .toList(),
                name(definition.resultType()),
                definition.describeMethod());
    }

    /**
     * A type as written in Java source: {@code java.lang} types by their simple name ({@code String},
     * {@code Long}), every other by its full name, with its type arguments ({@code
     * java.util.List<Long>}).
     */
    static String name(Type type) {
        return switch (type) {
            case Class<?> plain when plain.isArray() -> name(plain.getComponentType()) + "[]";
            case Class<?> plain when plain.isPrimitive() -> plain.getName();
            case Class<?> plain
            when "java.lang".equals(plain.getPackageName()) && plain.getEnclosingClass() == null ->
                plain.getSimpleName();
            case Class<?> plain -> plain.getCanonicalName() != null ? plain.getCanonicalName() : plain.getName();
            case ParameterizedType generic ->
                name(generic.getRawType())
                        + Arrays.stream(generic.getActualTypeArguments())
                                .map(JobTypes::name)
                                .collect(Collectors.joining(", ", "<", ">"));
            case GenericArrayType array -> name(array.getGenericComponentType()) + "[]";
            case WildcardType wildcard
            when wildcard.getLowerBounds().length > 0 -> "? super " + name(wildcard.getLowerBounds()[0]);
            case WildcardType wildcard
            when wildcard.getUpperBounds().length > 0 && wildcard.getUpperBounds()[0] != Object.class ->
                "? extends " + name(wildcard.getUpperBounds()[0]);
            case WildcardType wildcard -> "?";
            case TypeVariable<?> variable -> variable.getName();
            default -> type.getTypeName();
        };
    }
}
