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
 * {@code -} (standard input, which a check started by a monitoring server does not have) and
 * anything but a regular file of at most {@link #MAX_FILE_BYTES} are refused rather than waited
 * on; a file cannot name another file, nor turn the check into --list; blanks are space, tab and
 * CR, as the launcher's sh trims them, and other control characters are refused; and the errors
 * quote no content of the file (a
 * bad value is named by its file and line, {@link Expanded#redacted}), as the check may run with
 * more privileges (sudo, to see every process) than the user who wrote its command line.
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
    /**
     * A file of options is a few lines; anything this big is not one. The launcher reads the file
     * too, in sh, a byte a system call, before its outer bound is set: this keeps that quick.
     */
    static final int MAX_FILE_BYTES = 64 * 1024;
    /**
     * The directory the check was started in, which the launcher passes on (it runs the JVM in /):
     * a relative FILE is relative to it, as for any command.
     */
    static final String WORKING_DIRECTORY = "CHECK_SOCKET_BACKLOG_CWD";

    private ExtraOpts() {
    }

    /** Whether any word asks for extra options: only then is anything read. */
    private static boolean asked(String[] args) {
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
    public static Expanded expand(String[] args, Map<String, String> environment) throws UsageException {
        if (!asked(args)) {
            return new Expanded(args, args, List.of());
        }
        Options options = Arguments.options();
        List<String> fromFiles = new ArrayList<>();
        List<FileValue> values = new ArrayList<>();
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
            fromFiles.addAll(section(file, section, options, environment.get(WORKING_DIRECTORY), values));
        }
        fromFiles.addAll(rest);
        return new Expanded(fromFiles.toArray(new String[0]), rest.toArray(new String[0]), List.copyOf(values));
    }

    /** A value read from a file, and where: for messages that must not quote it. */
    record FileValue(String option, String value, String where) {
    }

    /**
     * The command line once expanded, and the values its files gave.
     *
     * @param args        the options of the files' sections, then the command line's
     * @param commandLine the command line's own words, without --extra-opts
     * @param fileValues  the values among {@code args} that came from files
     */
    public record Expanded(String[] args, String[] commandLine, List<FileValue> fileValues) {
        /**
         * {@code e}, the parser's error for {@link #args}, as the caller may see it. A check run
         * with sudo must not show its caller any part of a file the caller cannot read, and the
         * parser's messages quote values, whole or in part ("expected a number at \"x\""). So when
         * the command line alone parses without this error, the error is a file's: it is named by
         * the option, the file and the line (the first of that option's lines, if several), not
         * shown.
         */
        public UsageException redacted(UsageException e) {
            boolean quotes = e.getMessage().indexOf('"') >= 0;
            for (FileValue value : fileValues) {
                quotes |= e.getMessage().contains(value.value());
            }
            if (!quotes) {
                return e; // it quotes nothing: "--list ... does not take --warning"
            }
            try {
                Arguments.parse(commandLine, null);
            } catch (UsageException own) {
                if (own.getMessage().equals(e.getMessage())) {
                    return e; // the command line's own value, which its author wrote
                }
            }
            for (FileValue value : fileValues) {
                String option = "--" + value.option();
                if (e.getMessage().startsWith(option + ":") || e.getMessage().contains("/" + option + ":")
                        || e.getMessage().startsWith(option + " ")) {
                    return new UsageException(option + ": the value at " + value.where() + " is not one it takes "
                            + "(not shown: it comes from a file)");
                }
            }
            return new UsageException(OPTION + ": a value in " + fileValues.get(0).where().replaceAll(" line [0-9]+$", "")
                    + " is not one its option takes (not shown: it comes from a file)");
        }
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
        // lib/parse_ini.c takes a set MP_CONFIG_FILE as the file, and an empty one as none found.
        if (file != null && !file.isEmpty()) {
            return file;
        }
        String path = file == null ? environment.get("NAGIOS_CONFIG_PATH") : null;
        if (path != null) {
            for (String directory : path.split(":")) {
                // strtok(3) there skips empty entries ("a::b"), which would otherwise mean "/".
                for (String name : directory.isEmpty() ? List.<String>of() : DEFAULT_FILE_NAMES) {
                    String candidate = directory + "/" + name;
                    if (exists(resolve(candidate, environment.get(WORKING_DIRECTORY)))) {
                        return candidate;
                    }
                }
            }
        }
        for (String candidate : file == null ? DEFAULT_FILES : List.<String>of()) {
            if (exists(Path.of(candidate))) {
                return candidate;
            }
        }
        throw new UsageException(OPTION + ": no file named and none of the standard ones exists ($MP_CONFIG_FILE, "
                + DEFAULT_FILES.get(2) + ", " + DEFAULT_FILES.get(4) + ", ...); name one: " + OPTION
                + "=[SECTION]@FILE");
    }

    private static boolean exists(Path candidate) {
        return candidate != null && Files.exists(candidate);
    }

    /** {@code file} as a path, a relative one from {@code workingDirectory}; null if no path. */
    private static Path resolve(String file, String workingDirectory) {
        try {
            Path path = Path.of(file);
            return path.isAbsolute() || workingDirectory == null || !workingDirectory.startsWith("/") ? path
                    : Path.of(workingDirectory).resolve(path);
        } catch (InvalidPathException e) {
            return null;
        }
    }

    /** The options of {@code section} in {@code file}, as command-line words. */
    static List<String> section(String file, String section, Options options, String workingDirectory,
            List<FileValue> values) throws UsageException {
        String shown = printable(file, Integer.MAX_VALUE);
        String where = OPTION + ": " + shown;
        if (file.isEmpty()) {
            throw new UsageException(OPTION + ": name a file after @");
        }
        if (file.equals("-")) {
            throw new UsageException(OPTION + ": standard input is not read (a check started by a monitoring server "
                    + "has none): name a file after @");
        }
        String text;
        Path path = resolve(file, workingDirectory);
        if (path == null) {
            throw new UsageException(where + " is not a path this system can open");
        }
        // Not a FIFO or a device, which could block the check or never end: a regular file. One
        // that says it is empty is not read (a /proc file says so, and may block: /proc/kmsg).
        if (Files.exists(path) && !Files.isRegularFile(path)) {
            throw new UsageException(where + " is not a regular file");
        }
        long size;
        try {
            size = Files.size(path);
        } catch (IOException e) {
            size = -1; // the open below says why
        }
        try (InputStream in = Files.newInputStream(path)) {
            byte[] bytes = size == 0 ? new byte[0] : in.readNBytes(MAX_FILE_BYTES + 1);
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
            String at = where + " line " + number;
            if (hasControlCharacter(lines[number - 1])) {
                // NUL, VT, FF...: the launcher's sh reads the file too, and drops or keeps them
                // otherwise than Java would, so the two could read different sections.
                throw new UsageException(at + ": a control character (only tabs are allowed in a line)");
            }
            String line = blankless(lines[number - 1]);
            if (line.isEmpty() || line.charAt(0) == '#' || line.charAt(0) == ';') {
                continue;
            }
            if (line.charAt(0) == '[') {
                if (line.charAt(line.length() - 1) != ']') {
                    throw new UsageException(at + ": a section line is [NAME], with nothing after the ]");
                }
                inSection = blankless(line.substring(1, line.length() - 1)).equals(section);
                found |= inSection;
                anySection = true;
                continue;
            }
            if (!anySection) {
                throw new UsageException(at + ": an option before the first [SECTION] line");
            }
            if (inSection) {
                words.addAll(option(line, options, at, values));
            }
        }
        if (!found) {
            throw new UsageException(where + " has no section [" + printable(section, 80) + "]");
        }
        return words;
    }

    /** One NAME[=VALUE] line as the words the command line would have. */
    private static List<String> option(String line, Options options, String at, List<FileValue> values)
            throws UsageException {
        int equals = line.indexOf('=');
        String name = blankless(equals < 0 ? line : line.substring(0, equals));
        String value = equals < 0 ? null : blankless(line.substring(equals + 1));
        if (name.isEmpty()) {
            throw new UsageException(at + ": a line is NAME = VALUE, and this one has no NAME");
        }
        if (name.charAt(0) == '-') {
            throw new UsageException(at + ": an option's name is written without its dashes (NAME = VALUE)");
        }
        Option option = lookUp(name, options, at);
        if (option.getLongOpt() != null && option.getLongOpt().equals("extra-opts")) {
            throw new UsageException(at + ": extra-opts cannot be set in a file of options");
        }
        if (option.getLongOpt() != null && option.getLongOpt().equals("list")) {
            // A check that reads this section would silently become a listing, which exits 0.
            throw new UsageException(at + ": list cannot be set in a file of options (it turns a check into a listing)");
        }
        // Every option has a long name. One word, --NAME=VALUE, as lib/parse_ini.c makes it: Commons
        // CLI would strip a pair of quotes from a value in a word of its own, not from this.
        String word = "--" + option.getLongOpt();
        if (!option.hasArg()) {
            if (value != null && !value.isEmpty()) {
                throw new UsageException(at + ": " + word + " takes no value (write " + name + " alone)");
            }
            return List.of(word);
        }
        if (value == null || value.isEmpty()) {
            throw new UsageException(at + ": " + word + " needs a value (" + name + " = VALUE)");
        }
        values.add(new FileValue(option.getLongOpt(), value, at.substring(OPTION.length() + 2)));
        return List.of(word + "=" + value);
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
        List<String> names = new ArrayList<>();
        for (String match : matching) {
            names.add("--" + match);
        }
        java.util.Collections.sort(names);
        // An unknown name is not shown (it may be anything the file holds); a prefix of options is
        // a piece of their names.
        throw new UsageException(at + ": " + (matching.isEmpty() ? "no such option (option names as --help lists "
                + "them, without the dashes)" : "\"" + name + "\" is ambiguous: it could be " + String.join(", ", names)));
    }

    /** The text less the blanks around it: ASCII only, like the launcher. */
    private static String blankless(String text) {
        int from = 0;
        int to = text.length();
        while (from < to && isBlank(text.charAt(from))) {
            from++;
        }
        while (to > from && isBlank(text.charAt(to - 1))) {
            to--;
        }
        return text.substring(from, to);
    }

    /** Blanks as the launcher's sh trims them: space, tab, and the CR of a DOS line. */
    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t' || c == '\r';
    }

    private static boolean hasControlCharacter(String line) {
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if ((c < 0x20 || c == 0x7f) && c != '\t' && c != '\r') {
                return true;
            }
        }
        return false;
    }

    /** {@code text} with control characters as ?, cut at {@code max} characters with "...". */
    private static String printable(String text, int max) {
        StringBuilder shown = new StringBuilder();
        for (int i = 0; i < text.length() && i < max; i++) {
            char c = text.charAt(i);
            shown.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return text.length() > max ? shown + "..." : shown.toString();
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
