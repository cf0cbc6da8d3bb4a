package org.checksocketbacklog.arguments;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.checksocketbacklog.plugin.Range;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --extra-opts=[SECTION][@FILE], read as the Monitoring Plugins' lib/parse_ini.c reads it. */
class ExtraOptsTest {
    @TempDir
    Path directory;

    private Path file(String text) throws IOException {
        Path file = directory.resolve("plugins.ini");
        Files.writeString(file, text);
        return file;
    }

    private static String[] expand(String... args) throws UsageException {
        return ExtraOpts.expand(args, Map.of()).args();
    }

    private String failure(String text, String... args) throws IOException {
        Path file = file(text);
        String[] withFile = new String[args.length];
        for (int i = 0; i < args.length; i++) {
            withFile[i] = args[i].replace("FILE", file.toString());
        }
        UsageException e = assertThrows(UsageException.class, () -> expand(withFile));
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e.getMessage().replace(file.toString(), "FILE");
    }

    @Test
    void aCommandLineWithoutItIsLeftAsItIs() throws UsageException {
        String[] args = {"-s", "/run/x.sock", "--extra", "-v"};
        assertSame(args, expand(args));
    }

    @Test
    void theSectionsOptionsComeFirstAsLongOptionsThenTheCommandLine() throws Exception {
        Path file = file("# defaults\n[check_socket_backlog]\nbasis = socket\n  warning=70  \nverbose\nquiet=\n"
                + "; and per host\n[ web01 ]\nport = 8080\nc = 90\n");
        assertArrayEquals(new String[] {"--basis=socket", "--warning=70", "--verbose", "--quiet", "-t", "5"},
                expand("--extra-opts=@" + file, "-t", "5"));
        assertArrayEquals(new String[] {"--port=8080", "--critical=90", "-v"},
                expand("-v", "--extra-opts", "web01@" + file), "a section of its own; a one-letter name is the short option");
        assertArrayEquals(new String[] {"--port=8080", "--critical=90", "--basis=socket", "--warning=70", "--verbose",
            "--quiet"}, expand("--extra-opts=web01@" + file, "--extra-opts=@" + file), "repeated: in order");
    }

    @Test
    void theCommandLineWinsBecauseTheLastValueCounts() throws Exception {
        Path file = file("[check_socket_backlog]\nwarning = 70\n");
        CheckConfig config = ((Request.Check) Arguments.parse(expand("-w", "60", "--extra-opts=@" + file))).config();
        assertEquals(Range.parse("60"), config.usage().warning());
    }

    @Test
    void theValueIsTheRestOfTheLineQuotesAndSemicolonsIncluded() throws Exception {
        Path file = file("[check_socket_backlog]\r\nsocket = /run/a b;c.sock \r\nexclude=\"x\"\r\n");
        assertArrayEquals(new String[] {"--socket=/run/a b;c.sock", "--exclude=\"x\""},
                expand("--extra-opts=@" + file), "a DOS file's CRs go with the blanks");
    }

    @Test
    void aPrefixOfALongNameIsThatOption() throws Exception {
        Path file = file("[check_socket_backlog]\ntime = 20\n");
        assertArrayEquals(new String[] {"--timeout=20"}, expand("--extra-opts=@" + file));
    }

    @Test
    void theLocatorIsTheNextWordUnlessItLooksLikeAnOption() throws Exception {
        Path file = file("[check_socket_backlog]\nverbose\n[other]\nquiet\n");
        Map<String, String> environment = Map.of("MP_CONFIG_FILE", file.toString());
        assertArrayEquals(new String[] {"--verbose", "-s", "x"}, ExtraOpts.expand(new String[] {"--extra-opts", "-s",
            "x"}, environment).args(), "default section of $MP_CONFIG_FILE");
        assertArrayEquals(new String[] {"--quiet"}, ExtraOpts.expand(new String[] {"--extra-opts", "other"}, environment).args());
        assertArrayEquals(new String[] {"--verbose"}, ExtraOpts.expand(new String[] {"--extra-opts="}, environment).args());
    }

    /** The launcher runs the JVM in /; a relative FILE is the caller's, from the directory it passes. */
    @Test
    void aRelativeFileIsFoundFromTheDirectoryTheCheckWasStartedIn() throws Exception {
        file("[check_socket_backlog]\nverbose\n");
        assertArrayEquals(new String[] {"--verbose"}, ExtraOpts.expand(new String[] {"--extra-opts=@plugins.ini"}, Map.of(ExtraOpts.WORKING_DIRECTORY, directory.toString())).args());
    }

    @Test
    void nagiosConfigPathIsSearchedForTheStandardNames() throws Exception {
        Path file = file("[check_socket_backlog]\nverbose\n");
        assertArrayEquals(new String[] {"--verbose"}, ExtraOpts.expand(new String[] {"--extra-opts"}, Map.of("NAGIOS_CONFIG_PATH", directory.resolve("none") + "::" + file.getParent())).args());
    }

    @Test
    void anEmptySectionGivesNothingAndAMissingOneIsAnError() throws Exception {
        Path file = file("[check_socket_backlog]\n# nothing for this host\n[web]\n");
        assertArrayEquals(new String[] {"-v"}, expand("--extra-opts=web@" + file, "-v"));
        assertEquals("--extra-opts: FILE has no section [db]", failure("[web]\n", "--extra-opts=db@FILE"));
    }

    @Test
    void badLinesAreNamedByFileAndLine() throws Exception {
        assertEquals("--extra-opts: FILE line 3: no such option (option names as --help lists them, without "
                + "the dashes)", failure("[check_socket_backlog]\n\nsockett = /run/x\n", "--extra-opts=@FILE"));
        assertEquals("--extra-opts: FILE line 2: --warning needs a value (warning = VALUE)",
                failure("[check_socket_backlog]\nwarning\n", "--extra-opts=@FILE"));
        assertEquals("--extra-opts: FILE line 2: --verbose takes no value (write verbose alone)",
                failure("[check_socket_backlog]\nverbose = yes\n", "--extra-opts=@FILE"));
        assertEquals("--extra-opts: FILE line 1: an option before the first [SECTION] line",
                failure("warning=70\n[check_socket_backlog]\n", "--extra-opts=@FILE"));
        assertEquals("--extra-opts: FILE line 1: a section line is [NAME], with nothing after the ]",
                failure("[check_socket_backlog] x\n", "--extra-opts=@FILE"));
        assertEquals("--extra-opts: FILE line 2: a line is NAME = VALUE, and this one has no NAME",
                failure("[check_socket_backlog]\n= 70\n", "--extra-opts=@FILE"));
        assertEquals("--extra-opts: FILE line 2: \"bl\" is ambiguous: it could be --blocked-critical, --blocked-warning",
                failure("[check_socket_backlog]\nbl=1\n", "--extra-opts=@FILE"));
        assertEquals("--extra-opts: FILE line 2: extra-opts cannot be set in a file of options",
                failure("[check_socket_backlog]\nextra-opts=@/etc/x.ini\n", "--extra-opts=@FILE"));
        // A bad line of another section is not this check's business, as lib/parse_ini.c skips them.
        assertArrayEquals(new String[] {"--verbose"}, expand("--extra-opts=@" + file("[check_socket_backlog]\n"
                + "verbose\n[other]\nno such option\n")));
    }

    /** The check may run with more privileges than the author of its command line: no file content is echoed. */
    @Test
    void nothingButOptionNamesIsQuotedFromTheFile() throws Exception {
        String message = failure("[check_socket_backlog]\nroot:$6$secret:19000:0:99999:7:::\n", "--extra-opts=@FILE");
        assertEquals("--extra-opts: FILE line 2: no such option (option names as --help lists them, without the "
                + "dashes)", message);
        assertFalse(failure("root:$6$secret:19000:0:99999:7:::\n", "--extra-opts=@FILE").contains("secret"));
    }

    /** Values from a file are not shown in the errors of the options they are given to. */
    @Test
    void aBadValueFromAFileIsNamedByItsLineNotShown() throws Exception {
        Path file = file("[db]\ncritical = s3cr3t-passw0rd\n");
        UsageException e = parsed("--extra-opts=db@" + file);
        assertEquals("--critical: the value at " + file + " line 2 is not one it takes (not shown: it comes from a "
                + "file)", e.getMessage());
    }

    /** Nor a part of one (the parser quotes the bad part of a range), nor is the command line's blamed on a file. */
    @Test
    void aBadValueIsTheFilesOnlyIfTheCommandLineAloneParses() throws Exception {
        Path file = file("[check_socket_backlog]\nwarning = @SECRET\n[other]\nprocess = x\n");
        assertEquals("--warning: the value at " + file + " line 2 is not one it takes (not shown: it comes from a "
                + "file)", parsed("--extra-opts=@" + file).getMessage());
        // The file's x is quoted in the message too, but the error is the command line's own.
        UsageException own = parsed("--extra-opts=other@" + file, "-c", "~:x");
        assertTrue(own.getMessage().startsWith("-c/--critical: invalid range \"~:x\""), own.getMessage());
    }

    private static UsageException parsed(String... args) throws UsageException {
        ExtraOpts.Expanded expanded = ExtraOpts.expand(args, Map.of());
        return assertThrows(UsageException.class, () -> {
            try {
                Arguments.parse(expanded.args());
            } catch (UsageException raw) {
                throw expanded.redacted(raw);
            }
        });
    }

    @Test
    void controlCharactersOtherThanTabsAreRefused() throws Exception {
        assertEquals("--extra-opts: FILE line 3: a control character (only tabs are allowed in a line)",
                failure("[check_socket_backlog]\ntimeout = 20\n[check_socket_backlog\0]\ntimeout = 3\n",
                        "--extra-opts=@FILE"));
        assertEquals("--extra-opts: FILE line 2: a control character (only tabs are allowed in a line)",
                failure("[check_socket_backlog]\nverbose\u000b\n", "--extra-opts=@FILE"));
    }

    /** Blanks are C's isspace(), as the launcher's sh sees them: a value ending in U+2003 keeps it. */
    @Test
    void onlyAsciiBlanksAreTrimmedAndNamesHaveNoDashes() throws Exception {
        Path file = file("[check_socket_backlog]\ntimeout = 30\u2003\n");
        assertArrayEquals(new String[] {"--timeout=30\u2003"}, expand("--extra-opts=@" + file));
        assertEquals("--extra-opts: FILE line 2: an option's name is written without its dashes (NAME = VALUE)",
                failure("[check_socket_backlog]\n--timeout = 30\n", "--extra-opts=@FILE"));
    }

    @Test
    void aFileThatSaysItIsEmptyIsNotRead() throws Exception {
        // /proc files say they are empty, and some block when read (/proc/kmsg).
        assertTrue(failure("", "--extra-opts=@/proc/self/mountinfo").endsWith("has no section [check_socket_backlog]"));
    }

    @Test
    void filesThatCannotBeOptionsAreRefusedWithoutReadingThem() throws Exception {
        assertEquals("--extra-opts: FILE is not a regular file", failure("", "--extra-opts=@" + directory)
                .replace(directory.toString(), "FILE"));
        Path fifo = directory.resolve("fifo");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        assertEquals("--extra-opts: FIFO is not a regular file", failure("", "--extra-opts=@" + fifo)
                .replace(fifo.toString(), "FIFO"), "a FIFO would block the check");
        assertEquals("--extra-opts: FILE does not exist", failure("", "--extra-opts=@" + directory.resolve("none"))
                .replace(directory.resolve("none").toString(), "FILE"));
        assertTrue(failure("", "--extra-opts=@-").contains("standard input is not read"));
        assertEquals("--extra-opts: name a file after @", failure("", "--extra-opts=@"));
        Path binary = directory.resolve("binary.ini");
        Files.write(binary, new byte[] {'[', (byte) 0xff, ']', '\n'});
        assertEquals("--extra-opts: FILE is not UTF-8 text", failure("", "--extra-opts=@" + binary)
                .replace(binary.toString(), "FILE"));
        Path big = directory.resolve("big.ini");
        Files.writeString(big, "#".repeat(ExtraOpts.MAX_FILE_BYTES + 1), StandardCharsets.US_ASCII);
        assertTrue(failure("", "--extra-opts=@" + big).endsWith("is larger than 64 KiB: not a file of options"));
    }

    @Test
    void aPrefixOfTheOptionReachesTheParserAndIsRefused() {
        UsageException e = assertThrows(UsageException.class, () -> Arguments.parse(new String[] {"--extra=@/x"}));
        assertTrue(e.getMessage().startsWith("write --extra-opts in full"), e.getMessage());
    }
}
