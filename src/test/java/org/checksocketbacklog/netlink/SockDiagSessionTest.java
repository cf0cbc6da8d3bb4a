package org.checksocketbacklog.netlink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SockDiagSessionTest {
    private static final RecordedDump DUMP = new RecordedDump("unix-listeners");

    /** The recorded reply with NLM_F_DUMP_INTR set on its first message. */
    private static ReplayTransport interrupted() {
        Datagram first = DUMP.replies().get(0);
        ByteBuffer bytes = ByteBuffer.allocate(first.bytes().remaining()).order(ByteOrder.nativeOrder());
        bytes.put(first.bytes().duplicate()).flip();
        bytes.putShort(6, (short) (bytes.getShort(6) | Netlink.NLM_F_DUMP_INTR));
        return new ReplayTransport(List.of(new Datagram(bytes, first.fullLength()), DUMP.replies().get(1)),
                DUMP.sequence());
    }

    @Test
    void anInterruptedDumpIsRunAgainOnAFreshSocket() throws Exception {
        List<ReplayTransport> opened = new ArrayList<>();
        try (SockDiagSession session = new SockDiagSession(() -> {
            ReplayTransport transport = opened.isEmpty() ? interrupted() : DUMP.transport();
            opened.add(transport);
            return transport;
        })) {
            assertEquals(3, UnixDiag.decodeListeners(session.dump(UnixDiag.listenerRequest())).size());
        }
        assertEquals(2, opened.size());
        assertTrue(opened.get(0).closed(), "the interrupted socket is closed");
        assertTrue(opened.get(1).closed(), "and the session's own at its end");
    }

    @Test
    void aDumpInterruptedEveryTimeEndsInAnError() {
        List<ReplayTransport> opened = new ArrayList<>();
        NetlinkException e = assertThrows(NetlinkException.class, () -> {
            try (SockDiagSession session = new SockDiagSession(() -> {
                ReplayTransport transport = interrupted();
                opened.add(transport);
                return transport;
            })) {
                session.dump(UnixDiag.listenerRequest());
            }
        });
        assertEquals(SockDiagSession.MAX_ATTEMPTS, opened.size());
        assertEquals("the kernel marked the socket dump as interrupted (NLM_F_DUMP_INTR) 3 times in a row", e.getMessage());
    }

    @Test
    void dumpsOfOneSessionShareItsSocketWithTheirOwnSequenceNumbers() throws Exception {
        List<ReplayTransport> opened = new ArrayList<>();
        try (SockDiagSession session = new SockDiagSession(() -> {
            ReplayTransport transport = ReplayTransport.ofConversations(List.of(DUMP.replies(), DUMP.replies()),
                    DUMP.sequence());
            opened.add(transport);
            return transport;
        })) {
            session.dump(UnixDiag.listenerRequest());
            session.dump(UnixDiag.listenerRequest());
        }
        assertEquals(1, opened.size());
        List<ByteBuffer> sent = opened.get(0).sent();
        assertEquals(2, sent.size());
        assertNotEquals(sent.get(0).getInt(8), sent.get(1).getInt(8), "nlmsg_seq");
    }
}
