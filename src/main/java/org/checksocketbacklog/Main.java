package org.checksocketbacklog;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.checksocketbacklog.arguments.ArgumentBytes;
import org.checksocketbacklog.arguments.Arguments;
import org.checksocketbacklog.arguments.CheckConfig;
import org.checksocketbacklog.arguments.ExtraOpts;
import org.checksocketbacklog.arguments.Request;
import org.checksocketbacklog.arguments.UsageException;
import org.checksocketbacklog.kernel.KernelReadException;
import org.checksocketbacklog.kernel.NetworkNamespaceFinder;
import org.checksocketbacklog.nativeio.NativeLoader;
import org.checksocketbacklog.nativeio.NetlinkSocket;
import org.checksocketbacklog.nativeio.NetworkNamespaceEntry;
import org.checksocketbacklog.netlink.NetlinkException;
import org.checksocketbacklog.netlink.NetlinkTransport;
import org.checksocketbacklog.plugin.Status;
import org.checksocketbacklog.procfs.ProcFiles;
import org.checksocketbacklog.report.ListenerList;
import org.checksocketbacklog.selection.Selection;
import org.checksocketbacklog.report.PluginOutput;
import org.checksocketbacklog.report.Report;

/**
 * The only class that prints and exits. Every way the check can end reaches {@link #emit} once:
 * a result, a usage error, a kernel read failure, an unexpected exception, or the timeout.
 * An uncaught exception would exit 1, which a monitoring server reads as WARNING, so nothing escapes.
 *
 * <p>The exit status is the state's (0..3), plus the value of the system property
 * {@value #EXIT_BASE_PROPERTY} when it is set: the launcher passes 10, so that it can tell a status
 * that main() chose (10..13) from any way the JVM itself can end (1 for a JVM that could not start,
 * 128+N for a signal, ...), and turn the latter into one UNKNOWN line. With the property set, Main
 * also says on stderr, just before it writes the output, which state that output has
 * ({@value #WRITING_STATE} and the exit code, one line): a JVM killed after that point (by the
 * launcher's outer bound, say) has already written, or begun to write, the plugin's output, and
 * the launcher then exits with that state instead of adding a line of its own.
 */
public final class Main {
    static final String PROGRAM = "check_socket_backlog";
    /** Added to the state's exit code; set by the launcher (docs/startup.md), absent for java -jar. */
    static final String EXIT_BASE_PROPERTY = "check_socket_backlog.exit_base";
    /** What Main writes on stderr before the output, with the state's exit code (launcher mode only). */
    static final String WRITING_STATE = "check_socket_backlog: writing state ";
    /** Highest base: the exit status must stay below 128, where the shell's "killed by signal N" starts. */
    static final int MAX_EXIT_BASE = 100;
    /**
     * How long before -t the watchdog ends the check, counted from main(). The launcher kills the JVM
     * at -t minus 10% (at most 0.5 s) from its own start, and the JVM's start-up (50 ms on an idle
     * host, 0.1-0.3 s on a slow 2-CPU VM) comes before main(): a 1 s margin lets main() end the check
     * itself, with its own message or the state it is writing, while start-up took less than 0.5 s
     * (0.4 s for -t 1, where the margin is half of -t).
     */
    static final long WATCHDOG_MARGIN_MILLIS = 1000;
    /** How long the watchdog waits for its own UNKNOWN line to be written before it halts anyway. */
    static final long WATCHDOG_WRITE_GRACE_MILLIS = 200;

    /** The exit code of the state whose output is being or was written; -1 while nothing was. */
    private static final AtomicInteger EMITTED = new AtomicInteger(-1);
    private static final int EXIT_BASE = exitBase(System.getProperty(EXIT_BASE_PROPERTY));

    private Main() {
    }

    public static void main(String[] args) {
        // First of all: the watchdog covers everything main() does, parsing and help included, with
        // the default -t until the arguments say otherwise.
        Watchdog watchdog = Watchdog.start(Arguments.DEFAULT_TIMEOUT_SECONDS);
        // JNA and libc load on the other CPU while the arguments are parsed and /proc is read. Not
        // when an argument mentions "proc": --source proc is the way to run without JNA at all.
        if (!mentionsProc(args)) {
            NativeLoader.startInBackground();
        }
        int verbosity = 0;
        PluginOutput output;
        try {
            ExtraOpts.Expanded expanded = ExtraOpts.expand(ArgumentBytes.recover(args, Path.of("/proc/self/cmdline")),
                    System.getenv());
            Request request;
            try {
                request = Arguments.parse(expanded.args(), System.getenv(Arguments.STATE_PATH_VARIABLE));
            } catch (UsageException e) {
                throw expanded.redacted(e);
            }
            if (request instanceof Request.Help) {
                // As the C plugins do: --help and --version are not a check result, so UNKNOWN.
                output = new PluginOutput(Status.UNKNOWN, Arguments.help(PROGRAM));
            } else if (request instanceof Request.Version) {
                output = new PluginOutput(Status.UNKNOWN, PROGRAM + " " + version() + "\n");
            } else if (request instanceof Request.ListListeners) {
                Request.ListListeners list = (Request.ListListeners) request;
                if (watchdog != null) {
                    watchdog.limit(list.config().timeoutSeconds());
                }
                // Not a check result: OK (exit 0) when the listeners could be read, as a listing;
                // a selector that selects nothing is a listing that cannot be what was meant.
                CheckConfig config = list.config();
                Selection selection = checkOf(config).listeners(config);
                boolean selectors = !config.sockets().isEmpty() || !config.ports().isEmpty() || config.ownerSelectors();
                output = !selection.missing().isEmpty()
                        ? Report.unknown("--list: nothing listens on " + String.join(", ", selection.missing())
                                + ", so no service could be written for it")
                        : selectors && selection.listeners().isEmpty()
                        ? Report.unknown("--list: -x leaves out every listener the selectors select")
                        : new PluginOutput(Status.OK, ListenerList.render(selection.listeners(), list.format()));
            } else {
                CheckConfig config = ((Request.Check) request).config();
                verbosity = config.verbosity();
                if (watchdog != null) {
                    watchdog.limit(config.timeoutSeconds());
                }
                output = check(config);
            }
        } catch (UsageException e) {
            output = Report.unknown("invalid arguments: " + e.getMessage() + " (see " + PROGRAM + " --help)");
        } catch (KernelReadException e) {
            output = Report.unknown(e.getMessage());
            trace(e, verbosity);
        } catch (OutOfMemoryError e) {
            // Not a bug of the check: no memory or no thread for the JVM (a process limit, ulimit -v).
            output = Report.unknown("the Java runtime ran out of memory or threads: " + e.getMessage() + " (raise the "
                    + "process limit, ulimit -u, or the memory limit, ulimit -v, of the check's user)");
            trace(e, verbosity);
        } catch (Throwable e) {
            output = Report.unknown("internal error: " + e + (verbosity >= 3 ? "" : " (run with -vvv for a stack trace on stderr)"));
            trace(e, verbosity);
        }
        emit(output);
        // The state of what was written: the watchdog's, if it wrote first.
        System.exit(EXIT_BASE + EMITTED.get());
    }

    private static PluginOutput check(CheckConfig config) throws KernelReadException {
        return Report.render(checkOf(config).run(config), new Report.Options(config.verbosity(), config.quiet(),
                config.maxOutput()));
    }

    private static SocketBacklogCheck checkOf(CheckConfig config) {
        long deadline = System.nanoTime() + config.timeoutSeconds() * 1_000_000_000L;
        ProcFiles proc = new ProcFiles(Path.of("/proc"));
        // An anonymous class, not a lambda: lambdas are spun at run time, classes come from the archive.
        NetlinkTransport.Opener opener = new NetlinkTransport.Opener() {
            @Override
            public NetlinkTransport open() throws NetlinkException {
                try {
                    // The receive timeout is what is left of -t, so netlink alone cannot overrun it.
                    return NetlinkSocket.open(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                } catch (LinkageError e) {
                    // NetlinkSocket links against JNA: without lib/jna-*.jar (or with a broken one) it
                    // cannot even be loaded. That is "no sock_diag here", so --source auto reads /proc.
                    throw NetlinkException.unavailable("cannot load JNA for netlink (" + e
                            + "; is lib/jna-*.jar installed?)");
                }
            }
        };
        // The way into other network namespaces only when asked for: nothing of it on the usual path.
        return config.otherNamespaces()
                ? new SocketBacklogCheck(proc, opener, new NetworkNamespaceEntry(),
                        new NetworkNamespaceFinder(Path.of("/proc"), Path.of("/run/netns")))
                : new SocketBacklogCheck(proc, opener);
    }

    /**
     * Ends the process when the check overruns -t, whatever main() is blocked on: a /proc read (which
     * can block too, not only netlink), or a write to a stdout that nobody reads. If nothing was
     * written yet, it writes the UNKNOWN timeout line; if main() is writing, it halts with the state
     * being written, without writing again. A daemon thread, so a finished check exits without it.
     */
    private static final class Watchdog extends Thread {
        private final long startNanos = System.nanoTime();
        private volatile long deadlineNanos;
        private volatile int seconds;

        private Watchdog(int seconds) {
            super("timeout");
            setDaemon(true);
            limit(seconds);
        }

        /** The started watchdog, or null if no thread can be created (the outer bound still holds). */
        static Watchdog start(int seconds) {
            try {
                Watchdog watchdog = new Watchdog(seconds);
                watchdog.start();
                return watchdog;
            } catch (Throwable e) {
                // OutOfMemoryError "unable to create native thread" under a thread limit: the check can
                // still run, and the launcher's timeout(1) still ends it.
                return null;
            }
        }

        void limit(int newSeconds) {
            long millis = newSeconds * 1000L - Math.min(WATCHDOG_MARGIN_MILLIS, newSeconds * 500L);
            seconds = newSeconds;
            deadlineNanos = startNanos + millis * 1_000_000L;
            interrupt();
        }

        @Override
        public void run() {
            for (;;) {
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                try {
                    Thread.sleep(left / 1_000_000 + 1);
                } catch (InterruptedException e) {
                    // limit() moved the deadline: sleep again until the new one.
                }
            }
            PluginOutput timeout = Report.unknown("timed out after " + seconds + " s reading the kernel's socket "
                    + "tables (raise -t/--timeout if the host is very busy)");
            if (EMITTED.compareAndSet(-1, timeout.status().exitCode())) {
                tellLauncher(timeout.status().exitCode());
                // Our own line could block too (a full pipe): write it from another thread, wait a little.
                Thread writer = new Thread("timeout-writer") {
                    @Override
                    public void run() {
                        write(timeout.text());
                    }
                };
                writer.setDaemon(true);
                try {
                    writer.start();
                    writer.join(WATCHDOG_WRITE_GRACE_MILLIS);
                } catch (Throwable e) {
                    // No thread (a thread limit) or interrupted: halt without the line rather than hang.
                }
            }
            // Mid-write or not, main() does not get to exit: the state is the one written (or being).
            Runtime.getRuntime().halt(EXIT_BASE + EMITTED.get());
        }
    }

    /** Writes the output unless something else already did or is; true if this call wrote it. */
    private static boolean emit(PluginOutput output) {
        if (!EMITTED.compareAndSet(-1, output.status().exitCode())) {
            return false;
        }
        tellLauncher(output.status().exitCode());
        write(output.text());
        return true;
    }

    private static void write(String text) {
        // Bytes in UTF-8 whatever the locale: socket paths are shown as the kernel has them.
        write(FileDescriptor.out, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Under the launcher: the state of the output about to be written, on stderr (see the class doc). */
    private static void tellLauncher(int exitCode) {
        if (EXIT_BASE != 0) {
            write(FileDescriptor.err, (WRITING_STATE + exitCode + "\n").getBytes(StandardCharsets.US_ASCII));
        }
    }

    private static void write(FileDescriptor fd, byte[] bytes) {
        try {
            FileOutputStream out = new FileOutputStream(fd);
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            // The stream is gone (the caller hung up); the exit code still carries the state.
        }
    }

    /** Whether any argument contains "proc", in any ASCII case; cheap, and never wrong in the unsafe direction. */
    static boolean mentionsProc(String[] args) {
        for (String arg : args) {
            if (arg != null && arg.length() >= 4) {
                for (int i = 0; i + 4 <= arg.length(); i++) {
                    if (arg.regionMatches(true, i, "proc", 0, 4)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** The launcher's base for exit codes: a whole number from 0 to {@value #MAX_EXIT_BASE}, else 0. */
    static int exitBase(String text) {
        if (text == null) {
            return 0;
        }
        try {
            int base = Integer.parseInt(text);
            return base >= 0 && base <= MAX_EXIT_BASE ? base : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static void trace(Throwable e, int verbosity) {
        if (verbosity >= 3) {
            e.printStackTrace();
        }
    }

    static String version() {
        String version = Main.class.getPackage().getImplementationVersion();
        return version == null ? "(development build)" : version;
    }
}
