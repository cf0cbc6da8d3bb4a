package org.checksocketbacklog;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import org.checksocketbacklog.arguments.ArgumentBytes;
import org.checksocketbacklog.arguments.Arguments;
import org.checksocketbacklog.arguments.CheckConfig;
import org.checksocketbacklog.arguments.Request;
import org.checksocketbacklog.arguments.UsageException;
import org.checksocketbacklog.kernel.KernelReadException;
import org.checksocketbacklog.nativeio.NetlinkSocket;
import org.checksocketbacklog.netlink.NetlinkException;
import org.checksocketbacklog.netlink.NetlinkTransport;
import org.checksocketbacklog.plugin.Status;
import org.checksocketbacklog.procfs.ProcFiles;
import org.checksocketbacklog.report.PluginOutput;
import org.checksocketbacklog.report.Report;

/**
 * The only class that prints and exits. Every way the check can end reaches {@link #emit} once:
 * a result, a usage error, a kernel read failure, an unexpected exception, or the timeout.
 * An uncaught exception would exit 1, which a monitoring server reads as WARNING, so nothing escapes.
 */
public final class Main {
    static final String PROGRAM = "check_socket_backlog";
    /**
     * Where /proc is read from. For tests and debugging only, like ss's PROC_ROOT: netlink still reads
     * the live kernel.
     */
    static final String PROC_ROOT_VARIABLE = "CHECK_SOCKET_BACKLOG_PROC_ROOT";

    private static final AtomicBoolean EMITTED = new AtomicBoolean();

    private Main() {
    }

    public static void main(String[] args) {
        int verbosity = 0;
        PluginOutput output;
        try {
            Request request = Arguments.parse(ArgumentBytes.recover(args, Path.of("/proc/self/cmdline")));
            if (request instanceof Request.Help) {
                // As the C plugins do: --help and --version are not a check result, so UNKNOWN.
                output = new PluginOutput(Status.UNKNOWN, Arguments.help(PROGRAM));
            } else if (request instanceof Request.Version) {
                output = new PluginOutput(Status.UNKNOWN, PROGRAM + " " + version() + "\n");
            } else {
                CheckConfig config = ((Request.Check) request).config();
                verbosity = config.verbosity();
                output = check(config);
            }
        } catch (UsageException e) {
            output = Report.unknown("invalid arguments: " + e.getMessage() + " (see " + PROGRAM + " --help)");
        } catch (KernelReadException e) {
            output = Report.unknown(e.getMessage());
            trace(e, verbosity);
        } catch (Throwable e) {
            output = Report.unknown("internal error: " + e + (verbosity >= 3 ? "" : " (run with -vvv for a stack trace on stderr)"));
            trace(e, verbosity);
        }
        emit(output);
        System.exit(output.status().exitCode());
    }

    private static PluginOutput check(CheckConfig config) throws KernelReadException {
        long deadline = System.nanoTime() + config.timeoutSeconds() * 1_000_000_000L;
        startWatchdog(config.timeoutSeconds());
        String procRoot = System.getenv(PROC_ROOT_VARIABLE);
        ProcFiles proc = new ProcFiles(Path.of(procRoot == null || procRoot.isEmpty() ? "/proc" : procRoot));
        // An anonymous class, not a lambda: lambdas are spun at run time, classes come from the archive.
        SocketBacklogCheck check = new SocketBacklogCheck(proc, new NetlinkTransport.Opener() {
            @Override
            public NetlinkTransport open() throws NetlinkException {
                // The receive timeout is what is left of -t, so netlink alone cannot overrun it.
                return NetlinkSocket.open(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            }
        });
        return Report.render(check.run(config), new Report.Options(config.verbosity(), config.quiet(), config.maxOutput()));
    }

    /**
     * Ends the process in UNKNOWN when the check overruns -t, whatever it is blocked on (a /proc read
     * can block too, not only netlink). A daemon thread, so a finished check exits without waiting.
     */
    private static void startWatchdog(int seconds) {
        Thread watchdog = new Watchdog(seconds);
        watchdog.setDaemon(true);
        watchdog.start();
    }

    private static final class Watchdog extends Thread {
        private final int seconds;

        Watchdog(int seconds) {
            super("timeout");
            this.seconds = seconds;
        }

        @Override
        public void run() {
            try {
                Thread.sleep(seconds * 1000L);
            } catch (InterruptedException e) {
                return;
            }
            if (emit(Report.unknown("timed out after " + seconds + " s reading the kernel's socket tables "
                    + "(raise -t/--timeout if the host is very busy)"))) {
                Runtime.getRuntime().halt(Status.UNKNOWN.exitCode());
            }
        }
    }

    /** Writes the output unless something else already did; true if this call wrote it. */
    private static boolean emit(PluginOutput output) {
        if (!EMITTED.compareAndSet(false, true)) {
            return false;
        }
        // Bytes in UTF-8 whatever the locale: socket paths are shown as the kernel has them.
        try {
            FileOutputStream stdout = new FileOutputStream(FileDescriptor.out);
            stdout.write(output.text().getBytes(StandardCharsets.UTF_8));
            stdout.flush();
        } catch (IOException e) {
            // stdout is gone (the caller hung up); the exit code still carries the state.
        }
        return true;
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
