package org.checksocketbacklog.kernel;

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
    static final int STATE_SYN_RECV = 0x03;
    static final int STATE_LISTEN = 0x0A;

    /** One row that matters here. {@code queued} is rx_queue, meaningful for LISTEN rows. */
    public record Row(int state, byte[] localAddress, int localPort, long queued, long inode) {
    }

    private ProcNetTcp() {
    }

    public static List<Row> parse(String text, String file) throws KernelReadException {
        if (!ProcText.header(text).trim().startsWith("sl")) {
            throw new KernelReadException(file + " has an unexpected header");
        }
        List<Row> rows = new ArrayList<>();
        String[] fields = new String[10];
        for (String line : ProcText.body(text)) {
            if (line.isBlank()) {
                continue;
            }
            Row row = parseRow(line, fields);
            if (row == null) {
                throw new KernelReadException(file + " has a line that cannot be read: \"" + line.trim() + "\"");
            }
            if (row.state() == STATE_LISTEN || row.state() == STATE_SYN_RECV) {
                rows.add(row);
            }
        }
        return rows;
    }

    private static Row parseRow(String line, String[] fields) {
        if (ProcText.split(line, fields) < 0) {
            return null;
        }
        try {
            String local = fields[1];
            int colon = local.indexOf(':');
            String queues = fields[4];
            int queueColon = queues.indexOf(':');
            if (colon < 0 || queueColon < 0) {
                return null;
            }
            byte[] address = address(local.substring(0, colon));
            if (address == null) {
                return null;
            }
            return new Row(Integer.parseInt(fields[3], 16), address, Integer.parseInt(local.substring(colon + 1), 16),
                    Long.parseLong(queues.substring(queueColon + 1), 16), Long.parseLong(fields[9]));
        } catch (NumberFormatException e) {
            return null;
        }
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
            bytes.putInt((int) Long.parseLong(hex.substring(i, i + 8), 16));
        }
        return bytes.array();
    }
}
