package org.checksocketbacklog.testsupport.processes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.List;
import org.checksocketbacklog.testsupport.oracles.SsView;
import org.checksocketbacklog.testsupport.unix.SocketType;
import org.checksocketbacklog.testsupport.unix.UnixListener;
import org.checksocketbacklog.testsupport.unix.UnixListeners;
import org.junit.jupiter.api.Test;

/** {@link Unprivileged} really drops to nobody, and nobody sees the same queue figures (docs/kernel-facts.md 3). */
class UnprivilegedTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @Test
    void commandRunsAsNobodyWithoutCapabilitiesWhenRoot() {
        assumeTrue(Unprivileged.isRoot(), "only meaningful as root");
        BoundedProcess.Result r = BoundedProcess.run(
                Unprivileged.command(List.of("/bin/sh", "-c", "id -u; id -G; grep CapEff /proc/self/status")), TIMEOUT);
        List<String> lines = r.requireSuccess(List.of("sh")).stdout().lines().toList();
        assertEquals(Unprivileged.nobodyIds()[0], lines.get(0), "uid");
        assertEquals(Unprivileged.nobodyIds()[1], lines.get(1), "groups: only nobody's primary group");
        assertEquals("CapEff:\t0000000000000000", lines.get(2));
    }

    @Test
    void commandIsUnchangedWhenNotRoot() {
        assumeTrue(!Unprivileged.isRoot(), "only meaningful when not root");
        assertEquals(List.of("ss", "-xl"), Unprivileged.command(List.of("ss", "-xl")));
    }

    @Test
    void nobodySeesTheSameListenerFiguresThroughSs() {
        assumeTrue(SsView.available(), "ss not installed");
        try (UnixListeners sockets = new UnixListeners()) {
            UnixListener l = sockets.listenAbstract(SocketType.STREAM, 2);
            l.queue(3);

            SsView.Listener asNobody = SsView.listenersUnprivileged().stream()
                    .filter(x -> x.inode() == l.inode()).findFirst().orElseThrow();
            assertEquals(new SsView.Listener("u_str", 3, 2, l.kernelName(), l.inode()), asNobody);
        }
    }
}
