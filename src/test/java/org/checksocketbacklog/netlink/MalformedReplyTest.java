package org.checksocketbacklog.netlink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Every way a reply can be malformed, made by changing one field of a reply recorded from a real
 * kernel (test-fixtures/netlink/unix-listeners). Offsets into its first message, whose layout is:
 * nlmsghdr at 0 (len 96), unix_diag_msg at 16, UNIX_DIAG_NAME at 32 (len 44), UNIX_DIAG_RQLEN at 76
 * (len 12, payload rqueue=4 wqueue=3 at 80), UNIX_DIAG_SHUTDOWN at 88.
 */
class MalformedReplyTest {
    private static final RecordedDump DUMP = new RecordedDump("unix-listeners");

    /** Runs the recorded dump with its first datagram changed by {@code change}. */
    private static String failureOf(Consumer<ByteBuffer> change) {
        List<Datagram> replies = DUMP.replies();
        Datagram first = replies.get(0);
        ByteBuffer bytes = ByteBuffer.allocate(first.bytes().remaining()).order(ByteOrder.nativeOrder());
        bytes.put(first.bytes().duplicate()).flip();
        change.accept(bytes);
        ReplayTransport transport = new ReplayTransport(
                List.of(new Datagram(bytes, bytes.remaining()), replies.get(1)), DUMP.sequence());
        NetlinkException e = assertThrows(NetlinkException.class,
                () -> UnixDiag.decodeListeners(SockDiagDump.run(transport, 5, UnixDiag.listenerRequest())));
        assertTrue(e.getMessage().startsWith("malformed sock_diag reply from the kernel: "), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), "one line");
        return e.getMessage();
    }

    @Test
    void recordedLayoutIsTheOneTheseTestsAssume() throws NetlinkException {
        ByteBuffer first = DUMP.replies().get(0).bytes();
        assertEquals(96, first.getInt(0));
        assertEquals(Netlink.SOCK_DIAG_BY_FAMILY, first.getShort(4));
        assertEquals(UnixDiag.UNIX_DIAG_NAME, first.getShort(34));
        assertEquals(12, first.getShort(76));
        assertEquals(UnixDiag.UNIX_DIAG_RQLEN, first.getShort(78));
        assertEquals(4, first.getInt(80));
        assertEquals(3, first.getInt(84));
    }

    @Test
    void messageLengthBelowTheHeaderSize() {
        assertTrue(failureOf(b -> b.putInt(0, 12)).contains("claims 12 bytes"));
    }

    @Test
    void messageLengthPastTheDatagramEnd() {
        assertTrue(failureOf(b -> b.putInt(0, 0xffff)).contains("claims 65535 bytes"));
    }

    @Test
    void headerCutShort() {
        assertTrue(failureOf(b -> b.limit(b.getInt(0) + 10)).contains("header is cut short"));
    }

    @Test
    void attributeLengthPastTheMessageEnd() {
        assertTrue(failureOf(b -> b.putShort(32, (short) 200)).contains("attribute 0 claims 200 bytes"));
    }

    @Test
    void attributeLengthBelowItsHeader() {
        assertTrue(failureOf(b -> b.putShort(32, (short) 2)).contains("attribute 0 claims 2 bytes"));
    }

    @Test
    void queueLengthsOfTheWrongSize() {
        String message = failureOf(b -> b.putShort(76, (short) 11));
        assertTrue(message.contains("7-byte UNIX_DIAG_RQLEN"), message);
    }

    @Test
    void queueLengthsMissing() {
        // Renumber the attribute to a type the decoder ignores, as if the kernel had not sent it.
        String message = failureOf(b -> b.putShort(78, (short) 9));
        assertTrue(message.contains("no UNIX_DIAG_RQLEN"), message);
    }

    @Test
    void queuedClientsThatAreNotWholeU32s() {
        // UNIX_DIAG_SHUTDOWN (one byte) renumbered to UNIX_DIAG_ICONS: 1 byte is no list of inodes.
        String message = failureOf(b -> b.putShort(90, (short) UnixDiag.UNIX_DIAG_ICONS));
        assertTrue(message.contains("1-byte UNIX_DIAG_ICONS, not a whole number of u32"), message);
    }

    @Test
    void queuedClientsAreReadAsInodes() throws NetlinkException {
        // The 40 bytes of UNIX_DIAG_NAME renumbered to UNIX_DIAG_ICONS: ten u32, the name's bytes.
        List<Datagram> replies = DUMP.replies();
        ByteBuffer bytes = ByteBuffer.allocate(replies.get(0).bytes().remaining()).order(ByteOrder.nativeOrder());
        bytes.put(replies.get(0).bytes().duplicate()).flip();
        int first = bytes.getInt(36);
        bytes.putShort(34, (short) UnixDiag.UNIX_DIAG_ICONS);
        ReplayTransport transport = new ReplayTransport(List.of(new Datagram(bytes, bytes.remaining()), replies.get(1)),
                DUMP.sequence());
        UnixListenerRecord record = UnixDiag.decodeListeners(SockDiagDump.run(transport, 5,
                UnixDiag.listenerRequest(false, true))).get(0);
        assertEquals(10, record.clients().length);
        assertEquals(Integer.toUnsignedLong(first), record.clients()[0]);
        assertEquals(0, record.name().length, "no name attribute left");
    }

    @Test
    void wrongAddressFamily() {
        assertTrue(failureOf(b -> b.put(16, (byte) 2)).contains("family 2"));
    }

    @Test
    void shortSocketRecord() {
        // A message whose payload is 8 bytes, shorter than a unix_diag_msg.
        assertTrue(failureOf(b -> {
            b.putInt(0, 24);
            b.limit(24);
        }).contains("unix_diag_msg has 8 bytes"));
    }

    @Test
    void doneWithANegativeStatusCarriesItsErrno() {
        List<Datagram> replies = DUMP.replies();
        Datagram done = replies.get(1);
        ByteBuffer bytes = ByteBuffer.allocate(done.bytes().remaining()).order(ByteOrder.nativeOrder());
        bytes.put(done.bytes().duplicate()).flip();
        assertEquals(Netlink.NLMSG_DONE, bytes.getShort(4));
        bytes.putInt(16, -Errno.EPERM);
        ReplayTransport transport = new ReplayTransport(List.of(replies.get(0), new Datagram(bytes, 20)),
                DUMP.sequence());
        NetlinkException e = assertThrows(NetlinkException.class,
                () -> SockDiagDump.run(transport, 5, UnixDiag.listenerRequest()));
        assertEquals(Errno.EPERM, e.errno());
        assertTrue(e.refused(), "EPERM is a policy refusal: the /proc fallback applies");
    }
}
