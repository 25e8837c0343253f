package io.taskbound.job;

import java.lang.reflect.Type;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;

/**
 * Arguments and results as JSON. Arguments are stored as a JSON array, each element written by its
 * parameter's declared type and read back by it, so a job's stored form follows its signature and
 * not the classes of the values that were passed.
 */
public final class ArgumentCodec {

    private final ObjectMapper mapper;
    // Writers and readers are immutable and costly to build; a job's parameter types are few.
    private final Map<Type, ObjectWriter> writers = new ConcurrentHashMap<>();
    private final Map<Type, ObjectReader> readers = new ConcurrentHashMap<>();

    public ArgumentCodec(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    private ObjectWriter writer(Type type) {
        return writers.computeIfAbsent(type, t -> mapper.writerFor(javaType(t)));
    }

    private ObjectReader reader(Type type) {
        return readers.computeIfAbsent(type, t -> mapper.readerFor(javaType(t)));
    }

    /** The arguments of a call to {@code job} as a JSON array. */
    public String encodeArguments(JobDefinition job, Object[] arguments) {
        List<JobDefinition.Parameter> parameters = job.parameters();
        if (arguments.length != parameters.size()) {
            throw new IllegalArgumentException(
                    "Job \"" + job.name() + "\" takes " + parameters.size() + " arguments, got " + arguments.length);
        }
        StringBuilder json = new StringBuilder("[");
        for (int i = 0; i < arguments.length; i++) {
            JobDefinition.Parameter parameter = parameters.get(i);
            try {
                json.append(i == 0 ? "" : ",").append(writer(parameter.type()).writeValueAsString(arguments[i]));
            } catch (JacksonException e) {
                throw new IllegalArgumentException(
                        describe(job, i, parameter) + " cannot be written as JSON: " + e.getOriginalMessage(), e);
            }
        }
        return json.append(']').toString();
    }

    /**
     * Reads a stored JSON array back into arguments for {@code job}.
     *
     * @throws ArgumentDecodingException naming the job and the argument that does not fit
     */
    public Object[] decodeArguments(JobDefinition job, String json) {
        JsonNode array;
        try {
            array = mapper.readTree(json);
        } catch (JacksonException e) {
            throw new ArgumentDecodingException("Arguments of job \"" + job.name() + "\" are not valid JSON ("
                    + e.getOriginalMessage() + "): pass a JSON array such as [1, 2]");
        }
        List<JobDefinition.Parameter> parameters = job.parameters();
        if (array == null || !array.isArray() || array.size() != parameters.size()) {
            throw new ArgumentDecodingException("Arguments of job \"" + job.name() + "\" must be a JSON array of "
                    + parameters.size() + " values " + signature(parameters) + ", was " + json);
        }
        Object[] arguments = new Object[parameters.size()];
        for (int i = 0; i < arguments.length; i++) {
            JobDefinition.Parameter parameter = parameters.get(i);
            JsonNode value = array.get(i);
            try {
                arguments[i] = reader(parameter.type()).readValue(value);
            } catch (JacksonException | IllegalArgumentException e) {
                throw new ArgumentDecodingException(describe(job, i, parameter) + " cannot be read from " + value + ": "
                        + (e instanceof JacksonException j ? j.getOriginalMessage() : e.getMessage()));
            }
            if (arguments[i] == null && parameter.type() instanceof Class<?> c && c.isPrimitive()) {
                throw new ArgumentDecodingException(
                        describe(job, i, parameter) + " is null, but " + c.getSimpleName() + " cannot be null");
            }
        }
        return arguments;
    }

    /** A job's return value as JSON; null for procedures. */
    public @Nullable String encodeResult(JobDefinition job, @Nullable Object result) {
        if (job.resultType() == void.class || job.resultType() == Void.class) {
            return null;
        }
        return writer(job.resultType()).writeValueAsString(result);
    }

    /**
     * Why {@code json} is not one JSON value, for a result an executor reports from elsewhere; null
     * when it is one.
     */
    public @Nullable String whyNotJson(String json) {
        try {
            mapper.readTree(json);
            return null;
        } catch (RuntimeException e) {
            return e.getMessage();
        }
    }

    /** Reads a stored result back, as {@code type}. */
    public @Nullable Object decodeResult(@Nullable String json, Type type) {
        if (json == null || type == void.class || type == Void.class) {
            return null;
        }
        return reader(type).readValue(json);
    }

    private JavaType javaType(Type type) {
        return mapper.getTypeFactory().constructType(type);
    }

    private static String describe(JobDefinition job, int index, JobDefinition.Parameter parameter) {
        return "Argument " + (index + 1) + " (" + parameter.name() + ": " + typeName(parameter.type()) + ") of job \""
                + job.name() + "\"";
    }

    private static String signature(List<JobDefinition.Parameter> parameters) {
        StringBuilder text = new StringBuilder("(");
        for (int i = 0; i < parameters.size(); i++) {
            text.append(i == 0 ? "" : ", ")
                    .append(parameters.get(i).name())
                    .append(": ")
                    .append(typeName(parameters.get(i).type()));
        }
        return text.append(')').toString();
    }

    private static String typeName(Type type) {
        return type instanceof Class<?> c ? c.getSimpleName() : type.getTypeName();
    }
}
