package org.checksocketbacklog.nativeio;

/**
 * Loads JNA and libc ({@link LibC}'s class initialisation, about 25 ms of every check on JDK 17,
 * most of it JNA setting up java.util.logging) on a thread of its own, so that it runs on the
 * second CPU while the main thread parses the arguments and reads /proc. The first netlink call
 * then finds it done, or waits for it: class initialisation runs once, and a thread that needs
 * the class waits for the one that is initialising it.
 *
 * <p>This class names no JNA type, so that it links without JNA's jar; a failure to load is kept
 * for {@link NetlinkSocket#open}, which reports it as sock_diag being unavailable.
 */
public final class NativeLoader {
    /** How long {@link #failure} waits for a load still under way; the load itself is milliseconds. */
    private static final long JOIN_MILLIS = 2000;

    private static volatile Thread loader;
    private static volatile Throwable failure;

    private NativeLoader() {
    }

    /** Starts loading, once; without a thread to spare (a thread limit), the first call loads instead. */
    public static synchronized void startInBackground() {
        if (loader != null) {
            return;
        }
        Thread thread = new Thread("jna-load") {
            @Override
            public void run() {
                try {
                    LibC.load();
                } catch (Throwable e) {
                    failure = e;
                }
            }
        };
        thread.setDaemon(true);
        try {
            thread.start();
            loader = thread;
        } catch (Throwable e) {
            // OutOfMemoryError "unable to create native thread": nothing is lost but the overlap.
        }
    }

    /** Why the background load failed, once it has ended; null if it did not fail or never ran. */
    static Throwable failure() {
        Thread thread = loader;
        if (thread != null) {
            try {
                thread.join(JOIN_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return failure;
    }
}
