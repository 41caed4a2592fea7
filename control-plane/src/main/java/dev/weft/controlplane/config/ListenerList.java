package dev.weft.controlplane.config;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Change listeners of a store; one failing listener does not stop the others. */
final class ListenerList {

    private static final Logger LOG = Logger.getLogger(ListenerList.class.getName());
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

    void add(Runnable listener) {
        listeners.add(listener);
    }

    void fire() {
        for (Runnable listener : listeners) {
            try {
                listener.run();
            } catch (RuntimeException e) {
                LOG.log(Level.SEVERE, "config listener failed", e);
            }
        }
    }
}
