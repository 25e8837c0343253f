package io.taskbound.command;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * An external command as its job stores it, the one argument of {@link CommandJob}: the program and
 * its arguments as a list (never a shell string, so nothing is split or expanded on the way), the
 * directory it runs in, and the variables added to the environment it inherits. Every check lives
 * in the constructor, so input is refused where it is given, and stored arguments that were changed
 * by hand are refused when the job is run.
 *
 * @param command the program, then its arguments; the program is found on the PATH of the node that
 *     runs it unless it is a path
 * @param directory where the command runs, an absolute path; null for the working directory of the
 *     node that runs it
 * @param environment variables set over the inherited environment, in clear text
 */
public record CommandLine(List<String> command, @Nullable String directory, Map<String, String> environment) {

    private static final int SHOWN_CHARACTERS = 200;

    public CommandLine {
        command = checkedCommand(command);
        if (directory != null) {
            directory = checkedDirectory(directory);
        }
        environment = checkedEnvironment(environment == null ? Map.of() : environment);
    }

    /** The command alone: in the node's working directory, with the node's environment. */
    public static CommandLine of(List<String> command) {
        return new CommandLine(command, null, Map.of());
    }

    /** This command in {@code directory}. */
    public CommandLine inDirectory(String directory) {
        return new CommandLine(command, directory, environment);
    }

    /** This command with {@code variables} set as well, over those set already. */
    public CommandLine withEnvironment(Map<String, String> variables) {
        Map<String, String> all = new LinkedHashMap<>(environment);
        // Checked before merging: a null name would otherwise fail inside the map with no message.
        all.putAll(checkedEnvironment(variables));
        return new CommandLine(command, directory, all);
    }

    /** The program: the command's first element. */
    public String program() {
        return command.getFirst();
    }

    /**
     * How messages name the command: its elements joined by spaces, those with spaces or none quoted,
     * cut after {@value #SHOWN_CHARACTERS} characters.
     */
    public String shown() {
        StringBuilder text = new StringBuilder();
        for (String element : command) {
            text.append(text.isEmpty() ? "" : " ")
                    .append(
                            element.isEmpty() || element.chars().anyMatch(Character::isWhitespace)
                                    ? "'" + element + "'"
                                    : element);
        }
        return text.length() <= SHOWN_CHARACTERS ? text.toString() : text.substring(0, SHOWN_CHARACTERS) + "…";
    }

    private static List<String> checkedCommand(@Nullable List<String> command) {
        if (command == null || command.isEmpty()) {
            throw new IllegalArgumentException("The command is empty: pass the program and its arguments, such as"
                    + " jobs.command(\"pg_dump\", \"--format=custom\", \"app\")");
        }
        List<String> checked = new ArrayList<>(command.size());
        for (int i = 0; i < command.size(); i++) {
            String element = command.get(i);
            if (element == null) {
                throw new IllegalArgumentException("Element " + (i + 1) + " of command " + command
                        + " is null: pass every argument as text (an empty argument as \"\")");
            }
            refuseNul(element, "Element " + (i + 1) + " of command " + command);
            checked.add(element);
        }
        if (checked.getFirst().isBlank()) {
            throw new IllegalArgumentException(
                    "The program of command " + command
                            + " is blank: its first element must name the program, such as \"pg_dump\" or \"/usr/bin/pg_dump\"");
        }
        return Collections.unmodifiableList(checked);
    }

    private static String checkedDirectory(String directory) {
        refuseNul(directory, "Directory \"" + directory + "\"");
        Path path;
        try {
            path = Path.of(directory);
        } catch (InvalidPathException e) {
            throw new IllegalArgumentException(
                    "Directory \"" + directory + "\" is not a path: " + e.getMessage() + "; pass an absolute path", e);
        }
        if (directory.isBlank() || !path.isAbsolute()) {
            throw new IllegalArgumentException("Directory \"" + directory + "\" of a command is not an absolute path:"
                    + " it would be read against the working directory of whichever node runs the job;"
                    + " pass an absolute one, such as Path.of(\"" + directory + "\").toAbsolutePath()");
        }
        return directory;
    }

    private static Map<String, String> checkedEnvironment(Map<String, String> variables) {
        if (variables == null) {
            throw new IllegalArgumentException("The environment variables are null: pass a map, or none at all");
        }
        Map<String, String> checked = new LinkedHashMap<>();
        for (Map.Entry<String, String> variable : variables.entrySet()) {
            String name = variable.getKey();
            String value = variable.getValue();
            if (name == null || name.isBlank()) {
                throw new IllegalArgumentException("Environment variable name "
                        + (name == null ? "is null" : "\"" + name + "\" is blank")
                        + ": name each variable, such as environment(\"LANG\", \"C.UTF-8\")");
            }
            if (name.indexOf('=') >= 0) {
                throw new IllegalArgumentException("Environment variable name \"" + name
                        + "\" holds '=', which ends a name in an environment: pass the name and the value apart,"
                        + " such as environment(\"LANG\", \"C.UTF-8\")");
            }
            refuseNul(name, "Environment variable name \"" + name + "\"");
            if (value == null) {
                throw new IllegalArgumentException("Environment variable " + name
                        + " has a null value: pass a value (\"\" for an empty one), or leave the variable out");
            }
            refuseNul(value, "The value of environment variable " + name);
            checked.put(name, value);
        }
        return Collections.unmodifiableMap(checked);
    }

    // A program receives its arguments and environment as C strings, which end at the first NUL, and
    // PostgreSQL cannot store one in the job's arguments either.
    private static void refuseNul(String text, String what) {
        if (text.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(what.replace("\0", "\\u0000")
                    + " holds a NUL character (\\u0000), which no program can receive: remove it");
        }
    }
}
