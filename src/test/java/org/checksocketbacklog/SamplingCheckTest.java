package org.checksocketbacklog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.checksocketbacklog.arguments.Configs;
import org.checksocketbacklog.evaluation.CheckResult;
import org.checksocketbacklog.evaluation.Sampling;
import org.checksocketbacklog.evaluation.SocketItem;
import org.checksocketbacklog.nativeio.NetlinkSocket;
import org.checksocketbacklog.plugin.Status;
import org.checksocketbacklog.procfs.ProcFiles;
import org.checksocketbacklog.testsupport.unix.SocketType;
import org.checksocketbacklog.testsupport.unix.UnixListener;
import org.checksocketbacklog.testsupport.unix.UnixListeners;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * --samples on a real listener whose queue fills for a few hundred milliseconds, one second after
 * the check starts: a single look (the check without --samples) is over before the burst and sees
 * an empty queue; twenty looks 100 ms apart catch it full, with its blocked clients at their peak.
 */
class SamplingCheckTest {
    private static final long BURST_DELAY_MILLIS = 1000;
    private static final long BURST_MILLIS = 400;

    private final SocketBacklogCheck check = new SocketBacklogCheck(new ProcFiles(Path.of("/proc")),
            () -> NetlinkSocket.open(5000));
    private final ExecutorService burster = Executors.newSingleThreadExecutor();
    private UnixListeners sockets;

    @BeforeEach
    void create() {
        sockets = new UnixListeners();
    }

    @AfterEach
    void close() {
        burster.shutdownNow();
        sockets.close();
    }

    /** The queue of {@code listener} (backlog 2) full, with {@code blocked} clients waiting, for a while, then drained. */
    private Future<?> burstLater(UnixListener listener, int blocked) {
        return burster.submit(() -> {
            Thread.sleep(BURST_DELAY_MILLIS);
            listener.queue(3);
            listener.startBlockedConnectors(blocked);
            Thread.sleep(BURST_MILLIS);
            for (int i = 0; i < 3 + blocked; i++) {
                listener.acceptOne(); // each freed slot lets a blocked client in, which is accepted in turn
                if (i < blocked) {
                    listener.awaitConnectorsFinished(i + 1);
                }
            }
            return null;
        });
    }

    @Test
    void aBurstBetweenTwoChecksIsCaughtBySamplingAndMissedByOneLook() throws Exception {
        UnixListener listener = sockets.listenAbstract(UnixListeners.uniqueName(), SocketType.STREAM, 2);
        String selector = "@" + listener.kernelName().substring(1);
        Future<?> burst = burstLater(listener, 2);

        CheckResult oneLook = check.run(Configs.config("-s", selector));
        assertEquals(Status.OK, oneLook.state(), "one look, before the burst");
        assertEquals(0, oneLook.sockets().get(0).metric("pending").value());

        CheckResult sampled = check.run(Configs.config("-s", selector, "--samples", "20", "--sample-interval", "100"));
        burst.get(10, TimeUnit.SECONDS);
        SocketItem item = sampled.sockets().get(0);
        assertEquals(Status.CRITICAL, sampled.state(), "judged on the peak: the full queue");
        assertEquals(3, item.metric("pending").value(), "backlog 2 holds 3");
        assertEquals(2, item.metric("blocked").value(), "the blocked clients at their peak");
        assertEquals(0, item.metric("pending-last").value(), "the last look after the burst had drained");
        Sampling sampling = sampled.sampling();
        assertEquals(20, sampling.taken());
        Sampling.Queue queue = sampling.queues().get(listener.inode());
        assertTrue(queue.full() >= 2 && queue.full() <= 6, "a 400 ms burst seen in 2 to 6 looks 100 ms apart: "
                + queue.full());
        assertTrue(sampling.spanMillis() >= 1900 && sampling.spanMillis() < 4000, sampling.spanMillis() + " ms");
    }

    @Test
    void everyLookThatFitsInTheTimeoutIsTakenOnAFixedGrid() throws Exception {
        UnixListener listener = sockets.listenAbstract(UnixListeners.uniqueName(), SocketType.STREAM, 2);
        String selector = "@" + listener.kernelName().substring(1);
        // 30 pauses of 100 ms: exactly what -t 5 leaves (the timeout less 2 s), so all are taken,
        // and on a grid from the first look, so that slow looks or sleeps do not add up.
        CheckResult result = check.run(Configs.config("-s", selector, "--samples", "31", "--sample-interval", "100",
                "-t", "5"));
        assertEquals(31, result.sampling().taken(), result.sampling().toString());
        assertTrue(result.sampling().spanMillis() >= 3000 && result.sampling().spanMillis() < 3100,
                "30 intervals of 100 ms: " + result.sampling());
    }
}
