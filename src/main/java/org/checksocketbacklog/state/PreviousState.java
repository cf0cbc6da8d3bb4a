package org.checksocketbacklog.state;

/**
 * What the previous run left: nothing (the first run), its counters, or a file of ours that is
 * damaged (cut short, edited), which the new state then replaces.
 *
 * @param state  the previous run's counters, or null
 * @param damage what is wrong with the file, or null
 */
public record PreviousState(CounterState state, String damage) {
    public static final PreviousState NONE = new PreviousState(null, null);

    static PreviousState of(CounterState state) {
        return new PreviousState(state, null);
    }

    static PreviousState damaged(String why) {
        return new PreviousState(null, why);
    }
}
