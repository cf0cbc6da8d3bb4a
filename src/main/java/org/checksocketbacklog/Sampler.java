package org.checksocketbacklog;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.checksocketbacklog.arguments.CheckConfig;
import org.checksocketbacklog.evaluation.Sampling;
import org.checksocketbacklog.kernel.KernelReadException;
import org.checksocketbacklog.kernel.Listener;
import org.checksocketbacklog.kernel.ListenerSnapshot;
import org.checksocketbacklog.kernel.SourcePreference;
import org.checksocketbacklog.kernel.TcpListener;
import org.checksocketbacklog.kernel.TcpListenerReader;
import org.checksocketbacklog.kernel.UnixListener;
import org.checksocketbacklog.kernel.UnixListenerReader;
import org.checksocketbacklog.kernel.UnixNameFilter;
import org.checksocketbacklog.netlink.SockDiagSession;

/**
 * The looks after the first (--samples N): the selected listeners' queues read again every
 * --sample-interval on the netlink socket the first look opened, each listener kept at its peak.
 * Only the accept queues and the blocked clients are sampled: the SYN-RECV count, which walks
 * every connected TCP socket of the host, is the first look's. The listeners to watch are those
 * the first look selected; one that closes is kept at what it had.
 */
final class Sampler {
    private Sampler() {
    }

    /** The selected listeners at their peaks, and what the looks saw; {@code selected} is the first look, counted. */
    static Result sample(CheckConfig config, List<Listener> selected, UnixListenerReader unixReader,
            TcpListenerReader tcpReader, SockDiagSession session, SourcePreference unixSource,
            SourcePreference tcpSource, UnixNameFilter unixNames, List<Integer> ports, long deadlineNanos)
            throws KernelReadException {
        Map<Long, long[]> queues = new HashMap<>(); // inode -> peak, last, seen, full
        Map<Long, Long> peakBlocked = new HashMap<>();
        boolean anyUnix = false;
        boolean anyTcp = false;
        for (Listener listener : selected) {
            queues.put(listener.inode(), new long[] {listener.pending(), listener.pending(), 1, listener.full() ? 1 : 0});
            if (listener instanceof UnixListener unix) {
                anyUnix = true;
                if (unix.blocked().isPresent()) {
                    peakBlocked.put(unix.inode(), unix.blocked().getAsLong());
                }
            } else {
                anyTcp = true;
            }
        }
        long first = System.nanoTime();
        long last = first;
        int taken = 1;
        long intervalNanos = config.sampleIntervalMillis() * 1_000_000L;
        // Looks on a fixed grid from the first: a look that ran long or a sleep that overshot does
        // not push the later ones back, so N looks span (N - 1) intervals as asked.
        while (taken < config.samples() && first + taken * intervalNanos - deadlineNanos < 0) {
            sleepUntil(first + taken * intervalNanos);
            last = System.nanoTime();
            List<Listener> look = new ArrayList<>();
            List<UnixListener> fullUnix = new ArrayList<>();
            if (anyUnix) {
                for (UnixListener listener : unixReader.read(unixSource, unixNames, session).listeners()) {
                    if (queues.containsKey(listener.inode())) {
                        look.add(listener);
                        if (listener.full()) {
                            fullUnix.add(listener);
                        }
                    }
                }
            }
            if (anyTcp) {
                ListenerSnapshot<TcpListener> tcp = tcpReader.readQueues(tcpSource, ports, session);
                for (TcpListener listener : tcp.listeners()) {
                    if (queues.containsKey(listener.inode())) {
                        look.add(listener);
                    }
                }
            }
            for (Listener listener : look) {
                long[] queue = queues.get(listener.inode());
                queue[0] = Math.max(queue[0], listener.pending());
                queue[1] = listener.pending();
                queue[2]++;
                queue[3] += listener.full() ? 1 : 0;
            }
            // Blocked clients, only while a queue is full, from /proc/net/unix: counted at their peak.
            if (!fullUnix.isEmpty()) {
                for (UnixListener counted : unixReader.countBlocked(fullUnix).listeners()) {
                    Long before = peakBlocked.get(counted.inode());
                    if (counted.blocked().isPresent() && (before == null || counted.blocked().getAsLong() > before)) {
                        peakBlocked.put(counted.inode(), counted.blocked().getAsLong());
                    }
                }
            }
            taken++;
        }
        List<Listener> peaks = new ArrayList<>(selected.size());
        Map<Long, Sampling.Queue> summary = new HashMap<>();
        for (Listener listener : selected) {
            long[] queue = queues.get(listener.inode());
            summary.put(listener.inode(), new Sampling.Queue(queue[0], queue[1], (int) queue[2], (int) queue[3]));
            if (listener instanceof UnixListener unix) {
                Long blocked = peakBlocked.get(unix.inode());
                peaks.add(new UnixListener(unix.name(), unix.kind(), unix.inodes(), queue[0], unix.backlog(),
                        blocked != null ? OptionalLong.of(blocked) : unix.blocked(), unix.extraLines()));
            } else {
                TcpListener tcp = (TcpListener) listener;
                peaks.add(new TcpListener(tcp.endpoint(), tcp.inode(), queue[0], tcp.backlog(), tcp.synRecv(),
                        tcp.cgroupId()));
            }
        }
        return new Result(peaks, new Sampling(taken, config.samples(), config.sampleIntervalMillis(),
                (last - first) / 1_000_000, summary));
    }

    /**
     * @param listeners the selected listeners, in the first look's order, each with its peak
     *                  pending count and blocked clients
     * @param sampling  what the looks saw
     */
    record Result(List<Listener> listeners, Sampling sampling) {
    }

    private static void sleepUntil(long nanos) throws KernelReadException {
        long left;
        while ((left = nanos - System.nanoTime()) > 0) {
            try {
                Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new KernelReadException("interrupted between two samples", e);
            }
        }
    }
}
