package org.checksocketbacklog.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.List;
import org.checksocketbacklog.testsupport.processes.BoundedProcess;
import org.checksocketbacklog.testsupport.processes.TestNamespace;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Findings provoked by a real misconfiguration: a namespace whose somaxconn is lowered to 8 and a
 * service that asks listen(100) there, so the kernel caps its backlog at 8 (ss shows the 8).
 */
class FindingsIT {
    private TestNamespace namespace;
    private ServerSocketChannel server;
    private int port;

    @BeforeEach
    void create() {
        assumeTrue(TestNamespace.available(), "needs root and iproute2 for a network namespace");
        namespace = new TestNamespace();
        namespace.sysctl("net.core.somaxconn", "8");
        port = namespace.inside(() -> {
            server = ServerSocketChannel.open(StandardProtocolFamily.INET);
            server.bind(new InetSocketAddress("127.0.0.1", 0), 100);
            return ((InetSocketAddress) server.getLocalAddress()).getPort();
        });
    }

    @AfterEach
    void close() throws Exception {
        if (server != null) {
            server.close();
        }
        if (namespace != null) {
            namespace.close();
        }
    }

    @Test
    void aBacklogCappedBySomaxconnAndTheNamespacesLowSomaxconnAreFound() {
        BoundedProcess.Result ss = namespace.exec("ss", "-Hltn", "sport = :" + port);
        assertTrue(ss.stdout().trim().split("\\s+")[2].equals("8"), "the kernel capped listen(100) at 8: " + ss.stdout());
        BoundedProcess.Result result = BoundedProcess.run(List.of(LauncherIT.LAUNCHER.toAbsolutePath().toString(),
                "--netns", namespace.name(), "-p", "127.0.0.1:" + port, "--findings-state", "warning"),
                Duration.ofSeconds(30));
        assertEquals(1, result.exitCode(), result.stdout());
        String where = "127.0.0.1:" + port + " in netns " + namespace.name();
        assertTrue(result.stdout().startsWith("BACKLOG WARNING - " + where + " backlog capped at somaxconn 8; netns "
                + namespace.name() + " somaxconn 8 (host "), result.stdout());
        assertTrue(result.stdout().contains("\n\t\\_[WARNING] - finding: " + where + ": backlog 8 is net.core.somaxconn: the service "
                + "probably asked for more and was capped"), result.stdout());
        assertTrue(result.stdout().contains("\n\t\\_[WARNING] - finding: netns " + namespace.name() + ": somaxconn 8, the host's "),
                result.stdout());

        BoundedProcess.Result plain = BoundedProcess.run(List.of(LauncherIT.LAUNCHER.toAbsolutePath().toString(),
                "--netns", namespace.name(), "-p", "127.0.0.1:" + port), Duration.ofSeconds(30));
        assertEquals(0, plain.exitCode(), "without -v or --findings-state, nothing is said: " + plain.stdout());
        assertTrue(!plain.stdout().contains("finding:"), plain.stdout());
    }
}
