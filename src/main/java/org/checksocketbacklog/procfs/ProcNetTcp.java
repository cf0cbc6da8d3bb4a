package org.checksocketbacklog.procfs;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * The LISTEN and SYN_RECV rows of /proc/net/tcp or /proc/net/tcp6:
 * {@code sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode ...}.
 * For a LISTEN row (st 0A) rx_queue is the accept queue (sk_ack_backlog); the backlog is not shown.
 * A SYN_RECV row (st 03) is a request socket, with the listener's local address and port.
 */
public final class ProcNetTcp {
    public static final int STATE_SYN_RECV = 0x03;
    public static final int STATE_LISTEN = 0x0A;

    /** One row that matters here. {@code pending} is rx_queue, meaningful for LISTEN rows. */
    public record Row(int state, byte[] localAddress, int localPort, long pending, long inode) {
    }

    private ProcNetTcp() {
    }

    public static List<Row> parse(String text, String file) throws ProcFileException {
        if (!ProcText.header(text).trim().startsWith("sl")) {
            throw new ProcFileException(file + " has an unexpected header");
        }
        List<Row> rows = new ArrayList<>();
        String[] fields = new String[10];
        for (String line : ProcText.body(text)) {
            if (line.isBlank()) {
                continue;
            }
            Row row = parseRow(line, fields);
            if (row == null) {
                throw new ProcFileException(file + " has a line that cannot be read: \"" + line.trim() + "\"");
            }
            if (row.state() == STATE_LISTEN || row.state() == STATE_SYN_RECV) {
                rows.add(row);
            }
        }
        return rows;
    }

    /**
     * Null when the line does not have the shape the kernel prints: an address of 8 or 32 hex digits,
     * a port of at most 4 (0..65535), a state of 2, queues of 8 hex digits each (never negative) and a
     * decimal inode.
     */
    private static Row parseRow(String line, String[] fields) {
        if (ProcText.split(line, fields) < 0) {
            return null;
        }
        String local = fields[1];
        int colon = local.indexOf(':');
        String queues = fields[4];
        int queueColon = queues.indexOf(':');
        if (colon < 0 || queueColon < 0) {
            return null;
        }
        byte[] address = address(local.substring(0, colon));
        long port = ProcText.hex(local.substring(colon + 1), 4);
        long state = ProcText.hex(fields[3], 2);
        long transmitQueue = ProcText.hex(queues.substring(0, queueColon), 8);
        long receiveQueue = ProcText.hex(queues.substring(queueColon + 1), 8);
        long inode = ProcText.decimal(fields[9]);
        if (address == null || port < 0 || state < 0 || transmitQueue < 0 || receiveQueue < 0 || inode < 0) {
            return null;
        }
        return new Row((int) state, address, (int) port, receiveQueue, inode);
    }

    /**
     * The kernel prints the address as 32-bit words with %08X, each word read in host byte order
     * from the network-order address; writing each word back in host order recovers the bytes.
     */
    static byte[] address(String hex) {
        if (hex.length() != 8 && hex.length() != 32) {
            return null;
        }
        ByteBuffer bytes = ByteBuffer.allocate(hex.length() / 2).order(ByteOrder.nativeOrder());
        for (int i = 0; i < hex.length(); i += 8) {
            long word = ProcText.hex(hex.substring(i, i + 8), 8);
            if (word < 0) {
                return null;
            }
            bytes.putInt((int) word);
        }
        return bytes.array();
    }
}
