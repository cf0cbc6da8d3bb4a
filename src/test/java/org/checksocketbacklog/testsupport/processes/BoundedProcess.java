package org.checksocketbacklog.testsupport.processes;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Runs a command with a hard time limit. Both pipes are drained while the process runs, so a
 * large output (thousands of sockets) cannot stall it on a full pipe; on timeout the process
 * is killed and the call fails instead of hanging the test run.
 */
public final class BoundedProcess {
    /** Exit status and captured output (UTF-8). */
    public record Result(int exitCode, String stdout, String stderr) {
        public Result requireSuccess(List<String> command) {
            if (exitCode != 0) {
                throw new IllegalStateException(command + " exited " + exitCode + ": " + stderr.strip());
            }
            return this;
        }
    }

    private BoundedProcess() {
    }

    public static Result run(List<String> command, Duration timeout) {
        return run(command, timeout, env -> { });
    }

    /** Like {@link #run(List, Duration)}, letting the caller adjust the child's environment. */
    public static Result run(List<String> command, Duration timeout, Consumer<Map<String, String>> environment) {
        ProcessBuilder pb = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.PIPE);
        environment.accept(pb.environment());
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + command, e);
        }
        try {
            p.getOutputStream().close();
            CompletableFuture<String> out = drain(p.getInputStream());
            CompletableFuture<String> err = drain(p.getErrorStream());
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException(command + " did not finish within " + timeout);
            }
            // The process has exited; its pipes reach EOF promptly, but stay bounded anyway.
            return new Result(p.exitValue(), out.get(timeout.toMillis(), TimeUnit.MILLISECONDS),
                    err.get(timeout.toMillis(), TimeUnit.MILLISECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + command, e);
        } catch (ExecutionException | TimeoutException | IOException e) {
            throw new IllegalStateException("cannot read output of " + command, e);
        } finally {
            p.destroyForcibly();
        }
    }

    private static CompletableFuture<String> drain(InputStream in) {
        CompletableFuture<String> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try (in) {
                f.complete(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException | RuntimeException e) {
                f.completeExceptionally(e);
            }
        }, "bounded-process-drain");
        t.setDaemon(true);
        t.start();
        return f;
    }
}
