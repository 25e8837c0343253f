package io.taskbound.registry;

import io.taskbound.InvalidJobDefinitionException;
import io.taskbound.Job;
import io.taskbound.JobContext;
import io.taskbound.JobRef;
import io.taskbound.Recurring;
import io.taskbound.UnknownJobException;
import io.taskbound.job.JobCatalog;
import io.taskbound.job.JobDefinition;
import io.taskbound.schedule.RecurringDefinition;
import io.taskbound.settings.TaskboundSettings;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.springframework.core.annotation.MergedAnnotation;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.core.annotation.MergedAnnotations.SearchStrategy;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * The {@code @Job} methods this node can run, by stable name and by method. A node claims only
 * jobs whose names are registered here, so nodes running different versions of an application can
 * share one database.
 */
public final class JobRegistry implements JobCatalog {

    private final TaskboundSettings settings;
    private final Map<String, JobDefinition> byName = new ConcurrentHashMap<>();
    private final Map<Method, JobDefinition> byMethod = new ConcurrentHashMap<>();
    private final Map<String, RecurringDefinition> recurring = new ConcurrentHashMap<>();
    private final Set<String> builtIn = ConcurrentHashMap.newKeySet();
    private final MethodReferences references = new MethodReferences();

    public JobRegistry(TaskboundSettings settings) {
        this.settings = settings;
    }

    /**
     * Registers every {@code @Job} and {@code @Recurring} method of {@code bean}, whose own class
     * (not a proxy's) is {@code userClass}. Methods are invoked on {@code bean}, so proxies keep
     * their advice. A {@code @Recurring} method without {@code @Job} is a job with the defaults. The
     * annotations may sit on the method, on an interface or superclass method it overrides, or on
     * an annotation of the method's (a meta-annotation, whose attributes may be overridden with
     * {@code @AliasFor}).
     *
     * @throws InvalidJobDefinitionException if a method cannot work as a job
     * @throws io.taskbound.InvalidScheduleException if a {@code @Recurring} schedule cannot work
     */
    public List<JobDefinition> register(Object bean, Class<?> userClass) {
        List<JobDefinition> added = new ArrayList<>();
        // The most specific declaration of each method, with the annotations it inherits from the
        // interfaces and superclasses it overrides, and those that annotate its annotations.
        for (Method method :
                ReflectionUtils.getUniqueDeclaredMethods(userClass, m -> !m.isBridge() && !m.isSynthetic())) {
            MergedAnnotations annotations = MergedAnnotations.from(method, SearchStrategy.TYPE_HIERARCHY);
            MergedAnnotation<Job> job = annotations.get(Job.class);
            MergedAnnotation<Recurring> schedule = annotations.get(Recurring.class);
            if (!job.isPresent() && !schedule.isPresent()) {
                continue;
            }
            JobDefinition definition =
                    add(define(bean, userClass, method, job.isPresent() ? job.synthesize() : Defaults.JOB), userClass);
            added.add(definition);
            if (schedule.isPresent()) {
                addRecurring(RecurringDefinition.from(definition, schedule.synthesize()));
            }
        }
        return added;
    }

    /**
     * Registers a job of Taskbound's own, such as the one that runs external commands: it runs like
     * any other, but it is started only through its own API, never by name, and the catalogues shown
     * to people (the dashboard's, an unknown job's message) leave it out.
     */
    public List<JobDefinition> registerBuiltIn(Object bean, Class<?> userClass) {
        List<JobDefinition> added = register(bean, userClass);
        added.forEach(definition -> builtIn.add(definition.name()));
        return added;
    }

    /** Whether {@code name} is a job of Taskbound's own; see {@link #registerBuiltIn}. */
    public boolean builtIn(String name) {
        return builtIn.contains(name);
    }

    private void addRecurring(RecurringDefinition definition) {
        RecurringDefinition existing = recurring.putIfAbsent(definition.id(), definition);
        if (existing != null && !existing.declaredBy().equals(definition.declaredBy())) {
            throw new io.taskbound.InvalidScheduleException("Schedule id \"" + definition.id()
                    + "\" is declared by both @Recurring " + existing.declaredBy() + " and "
                    + definition.declaredBy() + ": give one of them another @Recurring(id = ...)");
        }
    }

    /** The schedules declared by {@code @Recurring} methods, by id. */
    public List<RecurringDefinition> recurring() {
        return recurring.values().stream()
                .sorted(java.util.Comparator.comparing(RecurringDefinition::id))
                .toList();
    }

    /** Where the default {@code @Job} options of a {@code @Recurring} method without one come from. */
    private static final class Defaults {
        static final Job JOB;

        static {
            try {
                JOB = Defaults.class.getDeclaredMethod("job").getAnnotation(Job.class);
            } catch (NoSuchMethodException e) {
                throw new ExceptionInInitializerError(e);
            }
        }

        @Job
        private static void job() {}
    }

    private static Set<Method> declarations(Method method, Class<?> userClass) {
        Set<Method> found = new LinkedHashSet<>();
        found.add(method);
        Set<Class<?>> types = new LinkedHashSet<>(ClassUtils.getAllInterfacesForClassAsSet(userClass));
        for (Class<?> type = userClass; type != null; type = type.getSuperclass()) {
            types.add(type);
        }
        for (Class<?> type : types) {
            try {
                found.add(type.getDeclaredMethod(method.getName(), method.getParameterTypes()));
            } catch (NoSuchMethodException notDeclaredThere) {
                // Declared elsewhere in the hierarchy, or not at all.
            }
        }
        return found;
    }

    private JobDefinition add(JobDefinition definition, Class<?> userClass) {
        JobDefinition existing = byName.putIfAbsent(definition.name(), definition);
        if (existing != null && !existing.method().equals(definition.method())) {
            throw new InvalidJobDefinitionException("Job name \"" + definition.name() + "\" is used by both "
                    + existing.describeMethod() + " and " + definition.describeMethod()
                    + ": give one of them another @Job(name = ...)");
        }
        // A method reference names the method where it was written: on the class, or on an
        // interface or superclass whose method this one overrides.
        for (Method declaration : declarations(definition.method(), userClass)) {
            byMethod.put(declaration, definition);
        }
        return definition;
    }

    private JobDefinition define(Object bean, Class<?> userClass, Method method, Job job) {
        String where = "@Job method " + JobDefinition.describe(method);
        if (Modifier.isStatic(method.getModifiers())) {
            throw new InvalidJobDefinitionException(
                    where + " is static: jobs are bean methods, make it an instance method");
        }
        if (!Modifier.isPublic(method.getModifiers())) {
            throw new InvalidJobDefinitionException(where + " is not public: make it public so it can be called");
        }
        String name = job.name().isBlank()
                ? userClass.getSimpleName() + "." + method.getName()
                : job.name().strip();
        String lane = job.lane().isBlank()
                ? settings.routes().get(job.bound())
                : job.lane().strip();
        if (!settings.lanes().containsKey(lane)) {
            throw new InvalidJobDefinitionException(where + " names lane \"" + lane
                    + "\", which is not configured: use one of "
                    + settings.lanes().keySet()
                    + " or add it under taskbound.lanes." + lane);
        }
        if (job.maxAttempts() < 0) {
            throw new InvalidJobDefinitionException(
                    where + " has maxAttempts = " + job.maxAttempts() + ": use 1 or more, or 0 for the lane's");
        }
        Duration timeout = parseTimeout(where, job.timeout());
        java.lang.reflect.Parameter[] declared = method.getParameters();
        List<JobDefinition.Parameter> parameters = new ArrayList<>();
        boolean takesContext = false;
        for (int i = 0; i < declared.length; i++) {
            if (JobContext.class.equals(declared[i].getType())) {
                if (i != declared.length - 1) {
                    throw new InvalidJobDefinitionException(
                            where + " takes a JobContext before other parameters: make it the last parameter");
                }
                takesContext = true;
            } else {
                parameters.add(new JobDefinition.Parameter(declared[i].getName(), declared[i].getParameterizedType()));
            }
        }
        method.setAccessible(true);
        return new JobDefinition(
                name,
                bean,
                method,
                job.bound(),
                lane,
                job.maxAttempts(),
                timeout,
                job.priority(),
                List.copyOf(parameters),
                takesContext);
    }

    private static @Nullable Duration parseTimeout(String where, String text) {
        if (text.isBlank()) {
            return null;
        }
        try {
            Duration timeout = Duration.parse(text.strip());
            if (timeout.isNegative() || timeout.isZero()) {
                throw new InvalidJobDefinitionException(
                        where + " has timeout \"" + text + "\": it must be positive, such as \"PT30S\"");
            }
            return timeout;
        } catch (DateTimeParseException e) {
            throw new InvalidJobDefinitionException(
                    where + " has timeout \"" + text
                            + "\", which is not an ISO-8601 duration: write it like \"PT30S\" or \"PT5M\"",
                    e);
        }
    }

    @Override
    public JobDefinition byName(String name) {
        JobDefinition definition = byName.get(name);
        if (definition == null) {
            throw new UnknownJobException(
                    "Unknown job \"" + name + "\": no @Job method with that name is registered on this node (known: "
                            + applicationNames() + ")");
        }
        return definition;
    }

    @Override
    public @Nullable JobDefinition find(String name) {
        return byName.get(name);
    }

    /** The job that a method reference such as {@code Calculator::add} names. */
    public JobDefinition byReference(JobRef reference) {
        Method method = references.method(reference);
        JobDefinition definition = byMethod.get(method);
        if (definition == null) {
            throw new UnknownJobException(JobDefinition.describe(method)
                    + " is not a registered job: annotate it with @Job and make its class a Spring bean"
                    + " (registered jobs: " + applicationNames() + ")");
        }
        return definition;
    }

    @Override
    public Set<String> names() {
        return Collections.unmodifiableSet(new TreeSet<>(byName.keySet()));
    }

    /** The names of the application's own jobs, sorted: every registered one but the built-in ones. */
    public Set<String> applicationNames() {
        Set<String> names = new TreeSet<>(byName.keySet());
        names.removeAll(builtIn);
        return Collections.unmodifiableSet(names);
    }

    public TaskboundSettings settings() {
        return settings;
    }
}
