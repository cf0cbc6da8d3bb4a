package org.checksocketbacklog.kernel;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.checksocketbacklog.netlink.DumpInterruptedException;
import org.checksocketbacklog.netlink.NetlinkException;
import org.checksocketbacklog.netlink.NetlinkTransport;
import org.checksocketbacklog.netlink.SockDiagDump;
import org.checksocketbacklog.netlink.UnixDiag;
import org.checksocketbacklog.netlink.UnixListenerRecord;

/**
 * Reads the AF_UNIX listeners: queue lengths from sock_diag, blocked connectors from /proc/net/unix
 * (sock_diag cannot see them), or everything from /proc/net/unix when sock_diag is refused.
 */
public final class UnixListenerReader {
    private final ProcFiles proc;
    private final NetlinkTransport.Opener opener;
    private int sequence = (int) System.nanoTime() & 0x7fffffff;

    public UnixListenerReader(ProcFiles proc, NetlinkTransport.Opener opener) {
        this.proc = proc;
        this.opener = opener;
    }

    public ListenerSnapshot read(SourcePreference preference) throws KernelReadException {
        if (preference == SourcePreference.PROC) {
            return fromProc(null);
        }
        List<UnixListenerRecord> records;
        try {
            records = dump();
        } catch (NetlinkException e) {
            if (preference == SourcePreference.AUTO && e.refused()) {
                return fromProc(e.getMessage());
            }
            throw new KernelReadException(e.getMessage(), e);
        }
        // Read after the dump, so a listener in the dump is normally in the table too.
        ProcNetUnix table = proc.netUnix();
        // A dump is not a snapshot: under churn it can repeat a listener. The inode identifies it.
        Map<Long, Listener> byInode = new LinkedHashMap<>();
        for (UnixListenerRecord record : records) {
            SocketKind kind = SocketKind.ofUnixType(record.type());
            if (kind == null) {
                continue;
            }
            ProcNetUnix.Entry entry = table.listener(record.inode());
            // Missing from the table: it closed between the two reads; nobody can be blocked on it.
            long blocked = entry == null ? 0 : entry.blocked();
            byInode.putIfAbsent(record.inode(),
                    Listener.unix(record.name(), kind, record.inode(), record.pending(), record.backlog(), blocked));
        }
        return new ListenerSnapshot(new ArrayList<>(byInode.values()), Source.SOCK_DIAG, null);
    }

    private List<UnixListenerRecord> dump() throws NetlinkException {
        for (int attempt = 1; ; attempt++) {
            try (NetlinkTransport transport = opener.open()) {
                List<ByteBuffer> payloads = SockDiagDump.run(transport, ++sequence, UnixDiag.listenerRequest());
                return UnixDiag.decodeListeners(payloads);
            } catch (DumpInterruptedException e) {
                if (attempt == SockDiagDump.MAX_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    private ListenerSnapshot fromProc(String fallbackReason) throws KernelReadException {
        ProcNetUnix table = proc.netUnix();
        List<Listener> listeners = new ArrayList<>(table.listeners().size());
        for (ProcNetUnix.Entry entry : table.listeners()) {
            listeners.add(Listener.unix(entry.name(), entry.kind(), entry.inode(),
                    table.embryos(entry.name(), entry.kind()), Listener.UNKNOWN, entry.blocked()));
        }
        return new ListenerSnapshot(listeners, Source.PROC, fallbackReason);
    }
}
