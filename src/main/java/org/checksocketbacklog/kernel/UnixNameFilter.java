package org.checksocketbacklog.kernel;

/**
 * Which unix listeners are worth building, decided on the name's bytes as sock_diag reports
 * them: a host can have thousands of listeners, and a check of one of them should not pay for
 * the others. A filter may accept names that the selection then leaves out; it must never refuse
 * one that the selection would pick.
 */
public interface UnixNameFilter {
    /** Every listener: a whole-host check. */
    UnixNameFilter ALL = new UnixNameFilter() {
        @Override
        public boolean accepts(byte[] sunPath) {
            return true;
        }
    };

    /** @param sunPath UNIX_DIAG_NAME's bytes (see {@link UnixName#ofSunPath}) */
    boolean accepts(byte[] sunPath);
}
