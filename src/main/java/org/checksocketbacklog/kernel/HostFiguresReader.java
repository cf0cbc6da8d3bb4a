package org.checksocketbacklog.kernel;

import java.util.Optional;
import org.checksocketbacklog.procfs.ProcFileException;
import org.checksocketbacklog.procfs.ProcFiles;

/** Reads the {@link HostFigures} from /proc, once per check. */
public final class HostFiguresReader {
    private HostFiguresReader() {
    }

    /**
     * @param cpus the CPU count given on the command line, or null to count /proc/cpuinfo's processors
     * @param tcp  whether to read the TCP settings and counters too
     */
    public static HostFigures read(ProcFiles proc, Integer cpus, boolean tcp) throws KernelReadException {
        try {
            int somaxconn = proc.somaxconn();
            int cpuCount = cpus != null ? cpus : proc.cpuinfoProcessors();
            String cpusSource = cpus != null ? "--cpus" : proc.cpuinfoPath() + " (processor lines)";
            Optional<HostFigures.Tcp> tcpFigures = tcp ? Optional.of(new HostFigures.Tcp(proc.tcpMaxSynBacklog(),
                    proc.tcpSyncookies(), proc.tcpExtCounters(HostFigures.Tcp.COUNTERS))) : Optional.empty();
            return new HostFigures(somaxconn, proc.somaxconnPath().toString(), cpuCount, cpusSource, tcpFigures);
        } catch (ProcFileException e) {
            throw new KernelReadException(e.getMessage(), e);
        }
    }
}
