package org.checksocketbacklog.testsupport.processes;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.checksocketbacklog.testsupport.libc.TestLibc;

/**
 * A network namespace this test makes (ip netns add), with lo up: its own sockets, sysctls and
 * TcpExt counters, untouched by anything else on the machine. Code runs in it on one thread that
 * entered it (the sockets that thread makes belong to the namespace), and commands through
 * {@code ip netns exec}. Closing stops the thread and deletes the namespace.
 */
public final class TestNamespace implements AutoCloseable {
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);
    private static int made;

    private final String name;
    private final ExecutorService thread;

    public TestNamespace() {
        synchronized (TestNamespace.class) {
            name = "csb-test-" + ProcessHandle.current().pid() + "-" + made++;
        }
        command("ip", "netns", "add", name);
        try {
            command("ip", "-n", name, "link", "set", "lo", "up");
            thread = Executors.newSingleThreadExecutor(runnable -> {
                Thread t = new Thread(runnable, "in " + name);
                t.setDaemon(true);
                return t;
            });
            inside(() -> {
                TestLibc.enterNetworkNamespace("/run/netns/" + name);
                return null;
            });
        } catch (RuntimeException e) {
            command("ip", "netns", "delete", name);
            throw e;
        }
    }

    /** Whether namespaces can be made here (root and iproute2). */
    public static boolean available() {
        return Unprivileged.isRoot() && (new java.io.File("/usr/bin/ip").canExecute()
                || new java.io.File("/sbin/ip").canExecute() || new java.io.File("/bin/ip").canExecute());
    }

    public String name() {
        return name;
    }

    /** Runs {@code work} on the namespace's thread, within 30 s. */
    public <T> T inside(Callable<T> work) {
        Future<T> result = thread.submit(work);
        try {
            return result.get(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (Exception e) {
            result.cancel(true);
            throw new IllegalStateException("in namespace " + name + ": " + e, e);
        }
    }

    /** {@code command} run in the namespace; fails unless it exits 0. */
    public BoundedProcess.Result exec(String... command) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
        full.addAll(List.of(command));
        return BoundedProcess.run(full, COMMAND_TIMEOUT);
    }

    /** Sets a sysctl of the namespace (net.* ones are per namespace). */
    public void sysctl(String key, String value) {
        List<String> command = List.of("ip", "netns", "exec", name, "sysctl", "-q", "-w", key + "=" + value);
        BoundedProcess.run(command, COMMAND_TIMEOUT).requireSuccess(command);
    }

    private static void command(String... command) {
        BoundedProcess.run(List.of(command), COMMAND_TIMEOUT).requireSuccess(List.of(command));
    }

    @Override
    public void close() {
        if (thread != null) {
            thread.shutdownNow();
        }
        command("ip", "netns", "delete", name);
    }
}
