package io.emkit.select;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** The worker pools that run independent fits at once (selection, bootstrap, LRT). */
final class Workers {
    private Workers() {
    }

    /**
     * A fixed pool of daemon threads, so that an abandoned run never keeps the JVM alive; the caller shuts
     * it down.
     */
    static ExecutorService pool(int threads, String name) {
        return Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }
}
