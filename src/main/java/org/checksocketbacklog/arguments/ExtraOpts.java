package org.checksocketbacklog.arguments;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/**
 * {@code --extra-opts[=[SECTION][@FILE]]}, as the Monitoring Plugins read it (lib/extra_opts.c and
 * lib/parse_ini.c): options kept in an ini file, so that NRPE can run a fixed command line
 * ({@code dont_blame_nrpe=0}) and still vary settings per host.
 *
 * <ul>
 *   <li>The word is {@code --extra-opts} exactly, anywhere on the command line, valued
 *       {@code --extra-opts=LOCATOR}, or {@code --extra-opts LOCATOR} when the next word does not
 *       begin with one or two dashes, or alone. It may be repeated.</li>
 *   <li>LOCATOR is {@code [SECTION][@FILE]}: SECTION defaults to the plugin's name
 *       ({@code check_socket_backlog}); FILE to $MP_CONFIG_FILE, else the first of monitoring-plugins.ini,
 *       plugins.ini, nagios-plugins.ini in a directory of $NAGIOS_CONFIG_PATH, else the first
 *       existing of the Monitoring Plugins' standard paths ({@link #DEFAULT_FILES}).</li>
 *   <li>In the file, {@code [SECTION]} lines (blanks inside the brackets ignored) start sections,
 *       lines starting with {@code #} or {@code ;} are comments, and a section's lines are
 *       {@code NAME = VALUE}: NAME a long option (or a one-letter short one), VALUE the rest of
 *       the line less surrounding blanks, quotes and all; a flag is {@code NAME} or {@code NAME=}.</li>
 *   <li>The options of every section named come first, in order, then the command line's: a
 *       command-line option given once more takes its last value, so the command line wins.</li>
 *   <li>A file that cannot be read, a section that is not in it, a line that is not an option of
 *       this plugin: UNKNOWN, naming the file and the line.</li>
 * </ul>
 *
 * Differences, each on the safe side: a section must exist but may be empty (the Monitoring Plugins
 * call an empty one invalid, which makes a placeholder section for a host an error); FILE
 * {@code -} (standard input, which a check started by a monitoring server does not have) is
 * refused rather than waited on; a file's option cannot name another file; and the errors quote
 * no content of the file, only option names, as the check may run with more privileges (sudo, to
 * see every process) than the user who wrote its command line.
 */
public final class ExtraOpts {
    public static final String OPTION = "--extra-opts";
    static final String DEFAULT_SECTION = "check_socket_backlog";
    /** lib/parse_ini.c's default_ini_path_names, in its order. */
    static final List<String> DEFAULT_FILES = List.of(
            "/usr/local/etc/monitoring-plugins/monitoring-plugins.ini",
            "/usr/local/etc/monitoring-plugins.ini",
            "/etc/monitoring-plugins/monitoring-plugins.ini",
            "/etc/monitoring-plugins.ini",
            "/etc/nagios/plugins.ini",
            "/usr/local/nagios/etc/plugins.ini",
            "/usr/local/etc/nagios/plugins.ini",
            "/etc/opt/nagios/plugins.ini",
            "/etc/nagios-plugins.ini",
            "/usr/local/etc/nagios-plugins.ini",
            "/etc/opt/nagios-plugins.ini");
    static final List<String> DEFAULT_FILE_NAMES = List.of("monitoring-plugins.ini", "plugins.ini",
            "nagios-plugins.ini");
    /** A file of options is a few lines; anything this big is not one. */
    static final int MAX_FILE_BYTES = 1 << 20;
    /**
     * The directory the check was started in, which the launcher passes on (it runs the JVM in /):
     * a relative FILE is relative to it, as for any command.
     */
    static final String WORKING_DIRECTORY = "CHECK_SOCKET_BACKLOG_CWD";

    private ExtraOpts() {
    }

    /** Whether any word asks for extra options: only then is anything read. */
    public static boolean asked(String[] args) {
        for (String arg : args) {
            if (arg.equals(OPTION) || arg.startsWith(OPTION + "=")) {
                return true;
            }
        }
        return false;
    }

    /**
     * The command line with every {@code --extra-opts} replaced: the options of the sections they
     * name first, then the other words as they were.
     *
     * @param environment the process's environment (MP_CONFIG_FILE, NAGIOS_CONFIG_PATH)
     */
    public static String[] expand(String[] args, Map<String, String> environment) throws UsageException {
        if (!asked(args)) {
            return args;
        }
        Options options = Arguments.options();
        List<String> fromFiles = new ArrayList<>();
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String locator;
            if (arg.startsWith(OPTION + "=")) {
                locator = arg.substring(OPTION.length() + 1);
            } else if (arg.equals(OPTION)) {
                boolean valued = i + 1 < args.length && !startsLikeAnOption(args[i + 1]);
                locator = valued ? args[++i] : "";
            } else {
                rest.add(arg);
                continue;
            }
            int at = locator.indexOf('@');
            String section = at == 0 || locator.isEmpty() ? DEFAULT_SECTION : at < 0 ? locator : locator.substring(0, at);
            String file = at < 0 ? defaultFile(environment) : locator.substring(at + 1);
            fromFiles.addAll(section(file, section, options, environment.get(WORKING_DIRECTORY)));
        }
        fromFiles.addAll(rest);
        return fromFiles.toArray(new String[0]);
    }

    /** lib/extra_opts.c's is_option2: one or two dashes, then anything (a lone "-" included). */
    private static boolean startsLikeAnOption(String word) {
        int dashes = 0;
        while (dashes < word.length() && word.charAt(dashes) == '-') {
            dashes++;
        }
        return dashes == 1 || dashes == 2;
    }

    private static String defaultFile(Map<String, String> environment) throws UsageException {
        String file = environment.get("MP_CONFIG_FILE");
        if (file != null) {
            return file;
        }
        String path = environment.get("NAGIOS_CONFIG_PATH");
        if (path != null) {
            for (String directory : path.split(":")) {
                for (String name : DEFAULT_FILE_NAMES) {
                    String candidate = directory + "/" + name;
                    if (exists(candidate)) {
                        return candidate;
                    }
                }
            }
        }
        for (String candidate : DEFAULT_FILES) {
            if (exists(candidate)) {
                return candidate;
            }
        }
        throw new UsageException(OPTION + ": no file named and none of the standard ones exists ($MP_CONFIG_FILE, "
                + DEFAULT_FILES.get(2) + ", " + DEFAULT_FILES.get(4) + ", ...); name one: " + OPTION
                + "=[SECTION]@FILE");
    }

    private static boolean exists(String candidate) {
        try {
            return !candidate.isEmpty() && Files.exists(Path.of(candidate));
        } catch (InvalidPathException e) {
            return false;
        }
    }

    /** The options of {@code section} in {@code file}, as command-line words. */
    static List<String> section(String file, String section, Options options, String workingDirectory)
            throws UsageException {
        String where = OPTION + ": " + printable(file);
        if (file.isEmpty() || file.equals("-")) {
            throw new UsageException(OPTION + ": name a file after @ (standard input is not read: a check has none)");
        }
        String text;
        Path path;
        try {
            path = Path.of(file);
            if (!path.isAbsolute() && workingDirectory != null && workingDirectory.startsWith("/")) {
                path = Path.of(workingDirectory).resolve(path);
            }
        } catch (InvalidPathException e) {
            throw new UsageException(where + " is not a path this system can open");
        }
        // Not a FIFO or a device, which could block the check or never end: a regular file.
        if (Files.exists(path) && !Files.isRegularFile(path)) {
            throw new UsageException(where + " is not a regular file");
        }
        try (InputStream in = Files.newInputStream(path)) {
            byte[] bytes = in.readNBytes(MAX_FILE_BYTES + 1);
            if (bytes.length > MAX_FILE_BYTES) {
                throw new UsageException(where + " is larger than " + MAX_FILE_BYTES / 1024
                        + " KiB: not a file of options");
            }
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (NoSuchFileException e) {
            throw new UsageException(where + " does not exist");
        } catch (CharacterCodingException e) {
            throw new UsageException(where + " is not UTF-8 text");
        } catch (IOException e) {
            throw new UsageException(where + " cannot be read: " + reason(e));
        }
        List<String> words = new ArrayList<>();
        boolean found = false;
        boolean inSection = false;
        boolean anySection = false;
        String[] lines = text.split("\n", -1);
        for (int number = 1; number <= lines.length; number++) {
            String line = lines[number - 1].strip();
            String at = where + " line " + number;
            if (line.isEmpty() || line.charAt(0) == '#' || line.charAt(0) == ';') {
                continue;
            }
            if (line.charAt(0) == '[') {
                if (line.charAt(line.length() - 1) != ']') {
                    throw new UsageException(at + ": a section line is [NAME], with nothing after the ]");
                }
                inSection = line.substring(1, line.length() - 1).strip().equals(section);
                found |= inSection;
                anySection = true;
                continue;
            }
            if (!anySection) {
                throw new UsageException(at + ": an option before the first [SECTION] line");
            }
            if (inSection) {
                words.addAll(option(line, options, at));
            }
        }
        if (!found) {
            throw new UsageException(where + " has no section [" + printable(section) + "]");
        }
        return words;
    }

    /** One NAME[=VALUE] line as the words the command line would have. */
    private static List<String> option(String line, Options options, String at) throws UsageException {
        int equals = line.indexOf('=');
        String name = (equals < 0 ? line : line.substring(0, equals)).strip();
        String value = equals < 0 ? null : line.substring(equals + 1).strip();
        if (name.isEmpty()) {
            throw new UsageException(at + ": a line is NAME = VALUE, and this one has no NAME");
        }
        Option option = lookUp(name, options, at);
        if (option.getLongOpt() != null && option.getLongOpt().equals("extra-opts")) {
            throw new UsageException(at + ": extra-opts cannot be set in a file of options");
        }
        String word = option.getLongOpt() != null ? "--" + option.getLongOpt() : "-" + option.getOpt();
        if (!option.hasArg()) {
            if (value != null && !value.isEmpty()) {
                throw new UsageException(at + ": " + word + " takes no value (write " + name + " alone)");
            }
            return List.of(word);
        }
        if (value == null || value.isEmpty()) {
            throw new UsageException(at + ": " + word + " needs a value (" + name + " = VALUE)");
        }
        return List.of(word, value);
    }

    /** The option NAME is: a long name in full or an unambiguous prefix, or a short one's letter. */
    private static Option lookUp(String name, Options options, String at) throws UsageException {
        if (name.length() == 1 && options.hasShortOption(name)) {
            return options.getOption(name);
        }
        if (options.hasLongOption(name)) {
            return options.getOption(name);
        }
        List<String> matching = options.getMatchingOptions(name);
        if (matching.size() == 1) {
            return options.getOption(matching.get(0));
        }
        String shown = isOptionName(name) ? "\"" + name + "\"" : "this";
        List<String> names = new ArrayList<>();
        for (String match : matching) {
            names.add("--" + match);
        }
        java.util.Collections.sort(names);
        throw new UsageException(at + ": " + (matching.isEmpty() ? "no option " + shown + " (option names as "
                + "--help lists them, without the dashes)" : shown + " is ambiguous: it could be "
                + String.join(", ", names)));
    }

    /** Option-like words are shown in messages; anything else from the file is not quoted. */
    private static boolean isOptionName(String name) {
        if (name.length() > 40) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    private static String printable(String text) {
        StringBuilder shown = new StringBuilder();
        for (int i = 0; i < text.length() && i < 80; i++) {
            char c = text.charAt(i);
            shown.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return shown.toString();
    }

    private static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied (the check runs as the monitoring user: make it readable by that user)";
        }
        if (e instanceof FileSystemException && ((FileSystemException) e).getReason() != null) {
            return ((FileSystemException) e).getReason();
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
