package org.checksocketbacklog.netlink;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * One scenario of test-fixtures/netlink, recorded from a real kernel by {@link FixtureRecorder}:
 * the request, the reply datagrams, and the /proc/net/unix and ss views of the same moment.
 *
 * <p>Read from the test classpath, where pom.xml copies test-fixtures/ (as
 * {@code target/test-classes/test-fixtures}), so that a test finds its fixtures whatever the
 * working directory.
 */
public final class RecordedDump {
    /** test-fixtures/netlink as the test classpath holds it. */
    public static final Path ROOT = onClasspath("/test-fixtures/netlink");

    /** A listener the recorder created, with the figures it created it with. */
    public record Expected(String name, String kind, long inode, long pending, long backlog, long blocked) {
    }

    private final Path dir;
    private final Properties meta = new Properties();

    public RecordedDump(String scenario) {
        this(ROOT.resolve(scenario));
    }

    public RecordedDump(Path dir) {
        this.dir = dir;
        try (var in = Files.newBufferedReader(dir.resolve("meta.properties"))) {
            meta.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int sequence() {
        return Integer.parseInt(meta.getProperty("sequence"));
    }

    public byte[] request() {
        return bytes("request.bin");
    }

    public List<Datagram> replies() {
        int count = Integer.parseInt(meta.getProperty("replies"));
        List<Datagram> replies = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String name = String.format("reply-%03d.bin", i);
            ByteBuffer bytes = ByteBuffer.wrap(bytes(name)).order(ByteOrder.nativeOrder());
            replies.add(new Datagram(bytes, Integer.parseInt(meta.getProperty(name + ".fullLength"))));
        }
        return replies;
    }

    public String procNetUnix() {
        return text("proc-net-unix.txt");
    }

    public String ss() {
        return text("ss-xlH.txt");
    }

    public List<Expected> expected() {
        List<Expected> expected = new ArrayList<>();
        for (String line : text("expected.tsv").split("\n")) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\t");
            expected.add(new Expected(f[0], f[1], Long.parseLong(f[2]), Long.parseLong(f[3]), Long.parseLong(f[4]),
                    Long.parseLong(f[5])));
        }
        return expected;
    }

    /** A transport that answers any dump request with these replies, renumbered to the request's sequence. */
    public ReplayTransport transport() {
        return new ReplayTransport(replies(), sequence());
    }

    /**
     * A directory of the test classpath as a Path. Maven's test classpath is a directory tree, not
     * a jar, so the resource URL is a file: URL.
     */
    private static Path onClasspath(String name) {
        URL url = RecordedDump.class.getResource(name);
        if (url == null) {
            throw new IllegalStateException(name + " is not on the test classpath: pom.xml copies test-fixtures/"
                    + " there (mvn process-test-resources)");
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private byte[] bytes(String name) {
        try {
            return Files.readAllBytes(dir.resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String text(String name) {
        return new String(bytes(name), StandardCharsets.UTF_8);
    }
}
