package org.checksocketbacklog.netlink;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The request bytes, field by field (struct inet_diag_req_v2, then the bytecode attribute). */
class InetDiagRequestTest {
    private static ByteBuffer wrap(byte[] bytes) {
        return ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder());
    }

    @Test
    void listenerRequestWithoutPortsIsTheBareStruct() {
        ByteBuffer request = wrap(InetDiag.listenerRequest(InetDiag.AF_INET6, List.of()));
        assertEquals(56, request.capacity());
        assertEquals(InetDiag.AF_INET6, request.get(0));   // sdiag_family
        assertEquals(6, request.get(1));                   // sdiag_protocol = IPPROTO_TCP
        assertEquals(0, request.get(2));                   // idiag_ext
        assertEquals(1 << 10, request.getInt(4));          // idiag_states = LISTEN
        for (int i = 8; i < 56; i++) {
            assertEquals(0, request.get(i), "inet_diag_sockid byte " + i);
        }
    }

    @Test
    void synRecvRequestAsksForBothRequestSocketStates() {
        ByteBuffer request = wrap(InetDiag.synRecvRequest(InetDiag.AF_INET, List.of()));
        assertEquals(1 << 3 | 1 << 12, request.getInt(4));
    }

    @Test
    void portsBecomeABytecodeAttribute() {
        ByteBuffer request = wrap(InetDiag.listenerRequest(InetDiag.AF_INET, List.of(80, 443)));
        assertEquals(56 + 4 + 36, request.capacity());
        assertEquals(40, request.getShort(56));            // nla_len: header + 36 bytes of program
        assertEquals(1, request.getShort(58));             // INET_DIAG_REQ_BYTECODE
    }

    @Test
    void portFilterProgramLayout() {
        ByteBuffer program = wrap(InetDiag.portFilter(List.of(80, 443)));
        assertEquals(36, program.capacity(), "20 bytes a port, the last without its JMP");
        int[][] ops = {
            {InetDiag.INET_DIAG_BC_S_GE, 8, 20}, {0, 0, 80}, {InetDiag.INET_DIAG_BC_S_LE, 8, 12}, {0, 0, 80},
            {InetDiag.INET_DIAG_BC_JMP, 4, 20},
            {InetDiag.INET_DIAG_BC_S_GE, 8, 20}, {0, 0, 443}, {InetDiag.INET_DIAG_BC_S_LE, 8, 12}, {0, 0, 443},
        };
        for (int i = 0; i < ops.length; i++) {
            assertEquals(ops[i][0], program.get(4 * i), "op " + i + " code");
            assertEquals(ops[i][1], program.get(4 * i + 1), "op " + i + " yes");
            assertEquals(ops[i][2], Short.toUnsignedInt(program.getShort(4 * i + 2)), "op " + i + " no");
        }
    }
}
