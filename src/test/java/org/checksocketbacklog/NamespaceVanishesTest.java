package org.checksocketbacklog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.checksocketbacklog.arguments.Configs;
import org.checksocketbacklog.evaluation.CheckResult;
import org.checksocketbacklog.evaluation.MissingSelector;
import org.checksocketbacklog.evaluation.SocketItem;
import org.checksocketbacklog.kernel.NamespaceDoor;
import org.checksocketbacklog.kernel.NetworkNamespaceFinder;
import org.checksocketbacklog.nativeio.NetlinkSocket;
import org.checksocketbacklog.nativeio.NetworkNamespaceEntry;
import org.checksocketbacklog.plugin.Status;
import org.checksocketbacklog.procfs.ProcFiles;
import org.checksocketbacklog.testsupport.processes.BoundedProcess;
import org.checksocketbacklog.testsupport.processes.TestNamespace;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A namespace that ends between being found and being entered (its container stopped): the check
 * goes on with the others, and says so when the operator named the one that ended. The door
 * used here deletes the namespace just before entering it, so the end is real, not simulated.
 */
class NamespaceVanishesTest {
    private TestNamespace staying;
    private TestNamespace leaving;
    private Path directory;
    private final List<AutoCloseable> sockets = new ArrayList<>();

    @BeforeEach
    void create() throws Exception {
        assumeTrue(TestNamespace.available(), "needs root and iproute2 for network namespaces");
        staying = new TestNamespace();
        leaving = new TestNamespace();
        directory = Files.createTempDirectory("csb-vanish");
        for (TestNamespace namespace : List.of(staying, leaving)) {
            Path path = directory.resolve(namespace.name() + ".sock");
            namespace.inside(() -> {
                ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
                server.bind(UnixDomainSocketAddress.of(path), 4);
                sockets.add(server);
                return null;
            });
        }
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable socket : sockets) {
            socket.close();
        }
        if (staying != null) {
            staying.close();
        }
        if (leaving != null) {
            // Deleted by the door already in the tests; ip netns delete of a gone name only fails.
            try {
                leaving.close();
            } catch (IllegalStateException e) {
                // gone
            }
        }
        if (directory != null) {
            try (var files = Files.walk(directory)) {
                for (Path path : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
    }

    private CheckResult check(String... args) throws Exception {
        NamespaceDoor real = new NetworkNamespaceEntry();
        String gone = "/run/netns/" + leaving.name();
        NamespaceDoor ending = new NamespaceDoor() {
            @Override
            public void enter(String file) throws EntryRefused {
                if (file.equals(gone)) {
                    List<String> delete = List.of("ip", "netns", "delete", leaving.name());
                    BoundedProcess.run(delete, java.time.Duration.ofSeconds(20)).requireSuccess(delete);
                }
                real.enter(file);
            }
        };
        SocketBacklogCheck check = new SocketBacklogCheck(new ProcFiles(Path.of("/proc")),
                () -> NetlinkSocket.open(5000), ending, new NetworkNamespaceFinder(Path.of("/proc"), Path.of("/run/netns")));
        return check.run(Configs.config(args));
    }

    private static List<String> names(CheckResult result) {
        List<String> names = new ArrayList<>();
        for (SocketItem socket : result.sockets()) {
            names.add(socket.name());
        }
        return names;
    }

    @Test
    void aNamedNamespaceThatEndedIsReportedAndTheOthersRead() throws Exception {
        CheckResult result = check("--netns", staying.name(), "--netns", leaving.name(), "-s", directory + "/*");
        assertEquals(List.of(directory.resolve(staying.name() + ".sock") + " in netns " + staying.name()), names(result));
        assertEquals(List.of(new MissingSelector("netns " + leaving.name(), Status.CRITICAL,
                MissingSelector.Hint.NO_NAMESPACE, "it ended during the check")), result.missing());
        assertEquals(Status.CRITICAL, result.state());
    }

    @Test
    void withAllNetnsANamespaceThatEndedIsNoLongerThere() throws Exception {
        CheckResult result = check("--all-netns", "-s", directory + "/*");
        assertTrue(names(result).contains(directory.resolve(staying.name() + ".sock") + " in netns " + staying.name()),
                names(result).toString());
        assertTrue(names(result).stream().noneMatch(name -> name.contains(leaving.name())), names(result).toString());
        assertEquals(List.of(), result.missing(), "nothing was asked of it by name");
        assertEquals(Status.OK, result.state());
    }
}
