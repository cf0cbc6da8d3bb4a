package org.checksocketbacklog.netlink;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.checksocketbacklog.kernel.UnixName;
import org.checksocketbacklog.testsupport.oracles.SsView;
import org.junit.jupiter.api.Test;

/** The sock_diag codec and dump loop on replies recorded from a real kernel (test-fixtures/netlink). */
class UnixDiagFixtureTest {
    private static List<UnixListenerRecord> decode(RecordedDump dump) throws NetlinkException {
        return UnixDiag.decodeListeners(SockDiagDump.run(dump.transport(), 77, UnixDiag.listenerRequest()));
    }

    private static Map<Long, UnixListenerRecord> byInode(List<UnixListenerRecord> records) {
        return records.stream().collect(Collectors.toMap(UnixListenerRecord::inode, Function.identity()));
    }

    @Test
    void requestIsByteForByteWhatWasSentToTheKernel() {
        RecordedDump dump = new RecordedDump("unix-listeners");
        ByteBuffer request = Netlink.dumpRequest(dump.sequence(), UnixDiag.listenerRequest());
        byte[] bytes = new byte[request.remaining()];
        request.get(bytes);
        assertArrayEquals(dump.request(), bytes);
        assertEquals(40, bytes.length, "nlmsghdr 16 + unix_diag_req 24");
    }

    @Test
    void listenersDecodeToTheFiguresTheRecorderCreated() throws NetlinkException {
        RecordedDump dump = new RecordedDump("unix-listeners");
        Map<Long, UnixListenerRecord> records = byInode(decode(dump));
        assertEquals(3, dump.expected().size());
        for (RecordedDump.Expected expected : dump.expected()) {
            UnixListenerRecord record = records.get(expected.inode());
            assertNotNull(record, expected.name());
            assertEquals(expected.name(), UnixName.ofSunPath(record.name()).procText());
            assertEquals(expected.pending(), record.pending(), expected.name() + " pending");
            assertEquals(expected.backlog(), record.backlog(), expected.name() + " backlog");
            assertEquals(expected.kind().equals("UNIX_STREAM") ? 1 : 5, record.type(), expected.name() + " type");
        }
    }

    /** UNIX_DIAG_NAME is sun_path as bound: "\0name" for an abstract name, NULs and all; "path\0" for a path. */
    @Test
    void namesAreTheKernelsBytes() throws NetlinkException {
        RecordedDump dump = new RecordedDump("unix-listeners");
        Set<String> names = decode(dump).stream().map(record -> new String(record.name(), StandardCharsets.ISO_8859_1))
                .collect(Collectors.toSet());
        assertTrue(names.contains("\0csb-fixture\0seq"), names.toString());
        assertTrue(names.stream().anyMatch(n -> n.endsWith("/with space.sock\0")), names.toString());
        Set<String> written = decode(dump).stream().map(record -> UnixName.ofSunPath(record.name()).procText())
                .collect(Collectors.toSet());
        assertTrue(written.contains("@csb-fixture@seq"), "as ss and /proc print it: " + written);
    }

    @Test
    void decodedFiguresEqualWhatSsPrintedAtTheSameMoment() throws NetlinkException {
        for (String scenario : List.of("unix-listeners", "unix-multipart")) {
            RecordedDump dump = new RecordedDump(scenario);
            Map<Long, UnixListenerRecord> records = byInode(decode(dump));
            List<SsView.Listener> ss = SsView.parse(dump.ss());
            assertEquals(ss.size(), records.size(), scenario + ": listener count");
            for (SsView.Listener row : ss) {
                UnixListenerRecord record = records.get(row.inode());
                assertNotNull(record, scenario + ": " + row.localName());
                assertEquals(row.localName(), UnixName.ofSunPath(record.name()).procText());
                assertEquals(row.recvQ(), record.pending(), row.localName() + " Recv-Q");
                assertEquals(row.sendQ(), record.backlog(), row.localName() + " Send-Q");
            }
        }
    }

    @Test
    void multiPartReplyYieldsEveryListenerOnce() throws NetlinkException {
        RecordedDump dump = new RecordedDump("unix-multipart");
        assertTrue(dump.replies().size() >= 3, "the fixture spans several datagrams");
        List<UnixListenerRecord> records = decode(dump);
        Set<Long> inodes = new HashSet<>();
        for (UnixListenerRecord record : records) {
            assertTrue(inodes.add(record.inode()), "inode " + record.inode() + " twice");
        }
        Map<Long, UnixListenerRecord> byInode = byInode(records);
        assertEquals(400, dump.expected().size());
        for (RecordedDump.Expected expected : dump.expected()) {
            UnixListenerRecord record = byInode.get(expected.inode());
            assertNotNull(record, expected.name());
            assertEquals(expected.pending(), record.pending(), expected.name());
            assertEquals(expected.backlog(), record.backlog(), expected.name());
        }
    }

    @Test
    void truncatedDatagramIsAnErrorNotASilentLoss() {
        RecordedDump dump = new RecordedDump("unix-truncated");
        Datagram first = dump.replies().get(0);
        assertTrue(first.truncated(), "recorded with a 2 KiB buffer, MSG_TRUNC reported " + first.fullLength());
        NetlinkException e = assertThrows(NetlinkException.class,
                () -> SockDiagDump.run(dump.transport(), 77, UnixDiag.listenerRequest()));
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void truncatedBytesAloneAreRejectedAsMalformed() {
        // Without the MSG_TRUNC length, the cut shows as a message running past the datagram's end.
        RecordedDump dump = new RecordedDump("unix-truncated");
        ByteBuffer bytes = dump.replies().get(0).bytes();
        NetlinkException e = assertThrows(NetlinkException.class,
                () -> SockDiagDump.readDatagram(bytes, dump.sequence(), new DumpRecords()));
        assertTrue(e.getMessage().startsWith("malformed sock_diag reply"), e.getMessage());
    }

    @Test
    void errorReplyCarriesTheKernelsErrno() {
        RecordedDump dump = new RecordedDump("error-einval");
        NetlinkException e = assertThrows(NetlinkException.class,
                () -> SockDiagDump.run(dump.transport(), 77, UnixDiag.listenerRequest()));
        assertEquals(Errno.EINVAL, e.errno());
        assertEquals("the kernel refused the sock_diag request: EINVAL (Invalid argument)", e.getMessage());
    }

    @Test
    void interruptedDumpIsReportedForARetry() {
        // sock_diag has not been seen to set NLM_F_DUMP_INTR; the flag is set here on a recorded reply.
        RecordedDump dump = new RecordedDump("unix-listeners");
        Datagram first = dump.replies().get(0);
        ByteBuffer bytes = ByteBuffer.allocate(first.bytes().remaining()).order(ByteOrder.nativeOrder());
        bytes.put(first.bytes().duplicate()).flip();
        bytes.putShort(6, (short) (bytes.getShort(6) | Netlink.NLM_F_DUMP_INTR));
        ReplayTransport transport = new ReplayTransport(List.of(new Datagram(bytes, first.fullLength())),
                dump.sequence());
        NetlinkException e = assertThrows(NetlinkException.class,
                () -> SockDiagDump.run(transport, 77, UnixDiag.listenerRequest()));
        assertInstanceOf(DumpInterruptedException.class, e);
    }

    @Test
    void messagesOfAnotherSequenceAreSkipped() throws NetlinkException {
        RecordedDump dump = new RecordedDump("unix-listeners");
        DumpRecords payloads = new DumpRecords();
        // Read with a sequence the replies do not carry: nothing is taken, and DONE is not seen.
        boolean done = SockDiagDump.readDatagram(dump.replies().get(0).bytes(), dump.sequence() + 1, payloads);
        assertEquals(0, payloads.size());
        assertEquals(false, done);
    }

    @Test
    void replyThatNeverEndsIsBoundedByTheTimeout() {
        RecordedDump dump = new RecordedDump("unix-listeners");
        // Only the first datagram, no NLMSG_DONE: the replay then answers like an expired SO_RCVTIMEO.
        ReplayTransport transport = new ReplayTransport(List.of(dump.replies().get(0)), dump.sequence());
        NetlinkException e = assertThrows(NetlinkException.class,
                () -> SockDiagDump.run(transport, 77, UnixDiag.listenerRequest()));
        assertTrue(e.getMessage().contains("in time"), e.getMessage());
    }
}
