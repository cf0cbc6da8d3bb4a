package org.checksocketbacklog.testsupport.lifecycle;

import java.time.Duration;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Bounded waits for the kernel to show a state a helper has just set up: a row in /proc, a thread
 * asleep in connect(), a counter that has risen. Every wait polls every 2 ms and gives up after
 * {@link #SETTLE_TIMEOUT}, so a helper that is wrong about the kernel fails the test instead of
 * hanging it.
 */
public final class KernelWait {
    /** How long a helper waits for the kernel to show a state it has set up. */
    public static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(5);
    private static final long POLL_MS = 2;

    private KernelWait() {
    }

    /** Polls {@code condition} every 2 ms for at most SETTLE_TIMEOUT; {@code onTimeout} says what was seen. */
    public static void until(BooleanSupplier condition, Supplier<String> onTimeout) {
        untilPresent(() -> condition.getAsBoolean() ? Optional.of(Boolean.TRUE) : Optional.empty(), onTimeout);
    }

    /** Polls {@code attempt} every 2 ms for at most SETTLE_TIMEOUT and returns its first value. */
    public static <T> T untilPresent(Supplier<Optional<T>> attempt, Supplier<String> onTimeout) {
        Deadline deadline = deadline();
        while (true) {
            Optional<T> value = attempt.get();
            if (value.isPresent()) {
                return value.get();
            }
            if (deadline.passed()) {
                throw new IllegalStateException("kernel state not reached within " + SETTLE_TIMEOUT + ": "
                        + onTimeout.get());
            }
            pause();
        }
    }

    /** SETTLE_TIMEOUT from now, for a wait of several steps that shares one limit. */
    public static Deadline deadline() {
        return new Deadline(System.nanoTime() + SETTLE_TIMEOUT.toNanos());
    }

    private static void pause() {
        try {
            Thread.sleep(POLL_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the kernel", e);
        }
    }

    /** A moment on the System.nanoTime() clock. */
    public static final class Deadline {
        private final long nanos;

        private Deadline(long nanos) {
            this.nanos = nanos;
        }

        public boolean passed() {
            return System.nanoTime() > nanos;
        }

        /**
         * Waits for {@code thread} to end, but not past the deadline (and at least 1 ms, so that
         * every thread is looked at even when an earlier one used up the time). An interrupt ends
         * the wait and stays set; the caller sees the thread still alive.
         */
        public void join(Thread thread) {
            long left = Math.max(1, (nanos - System.nanoTime()) / 1_000_000);
            try {
                thread.join(left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
