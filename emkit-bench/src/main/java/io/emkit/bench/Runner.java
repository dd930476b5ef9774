package io.emkit.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

import io.emkit.data.Dataset;

/**
 * One (tool, case) measurement, in its own JVM: {@code java -cp ... io.emkit.bench.Runner TOOL CASE [ITER [WARMUP]]}.
 *
 * <ol>
 * <li>generate the case's data and the common start (not timed, not in the heap figure);</li>
 * <li>convert the data to the tool's form (not timed);</li>
 * <li>warm up: one fit of WARMUP iterations (default 2), not timed;</li>
 * <li>T(2): a fit of 2 iterations; T(m): a fit of m = ITER iterations (default 20), both from the same start
 *     (2, not 1, because Commons Math cannot be asked for fewer than 2);</li>
 * <li>seconds per iteration = (T(m) − T(2)) / (m − 2), which removes what a fit call does once
 *     (validation, the initial E-step, Weka's k-means start, Spark's job set-up, building the result);
 *     T(m) / m is reported too;</li>
 * <li>the log-likelihood of the parameters the m-iteration fit returned, computed by emkit's
 *     {@code GaussianMixtureModel.logLikelihood} for every tool.</li>
 * </ol>
 * Prints one line: {@code RESULT key=value ...} (tab-separated).
 */
public final class Runner {

    /** Iterations of the baseline fit whose time is subtracted. */
    static final int BASE = 2;

    private Runner() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: Runner TOOL CASE [ITERATIONS [WARMUP]]");
            System.exit(2);
        }
        Peer peer = Peers.byName(args[0]);
        BenchCase c = BenchCase.parse(args[1]);
        int m = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        int warmup = args.length > 3 ? Integer.parseInt(args[3]) : 2;
        if (!peer.supports(c)) {
            throw new IllegalArgumentException(peer.name() + " does not run case " + c);
        }
        SyntheticData data = SyntheticData.generate(c);
        Params start = data.start();
        Dataset ds = Dataset.wrap(data.flat(), c.n(), c.d(), Dataset.defaultNames(c.d()));
        double startLl = start.toEmkit().logLikelihood(ds);

        double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        System.gc();
        HeapSampler heap = new HeapSampler();
        heap.start();
        double t1;
        double tm;
        Params result;
        try (Peer.Fit fit = peer.prepare(data, start)) {
            if (warmup > 0) {
                fit.run(warmup);
            }
            long a = System.nanoTime();
            fit.run(BASE);
            long b = System.nanoTime();
            result = fit.run(m);
            long e = System.nanoTime();
            t1 = (b - a) / 1e9;
            tm = (e - b) / 1e9;
        }
        heap.interrupt();
        heap.join();

        double ll;
        String err = "";
        try {
            ll = result.toEmkit().logLikelihood(ds);
        } catch (RuntimeException ex) {
            ll = Double.NaN;
            err = ex.getClass().getSimpleName() + ": " + ex.getMessage();
        }
        double perIter = m > BASE ? (tm - t1) / (m - BASE) : tm / m;
        StringBuilder sb = new StringBuilder("RESULT");
        kv(sb, "tool", peer.name());
        kv(sb, "case", c.id());
        kv(sb, "iterations", Integer.toString(m));
        kv(sb, "start", Boolean.toString(peer.acceptsStart()));
        kv(sb, "t_base", fmt(t1));
        kv(sb, "tm", fmt(tm));
        kv(sb, "sec_per_iter", fmt(perIter));
        kv(sb, "sec_per_iter_call", fmt(tm / m));
        kv(sb, "loglik", Double.toString(ll));
        kv(sb, "loglik_start", Double.toString(startLl));
        kv(sb, "peak_heap_mb", String.format(Locale.ROOT, "%.0f", heap.peak() / 1048576.0));
        kv(sb, "gflops", fmt(c.flopsPerIteration() / perIter / 1e9));
        kv(sb, "load_avg", fmt(loadBefore));
        kv(sb, "emkit_kernels", io.emkit.gaussian.GaussianMixture.kernels());
        kv(sb, "error", err.replace('\t', ' ').replace('\n', ' '));
        System.out.println(sb);
    }

    private static void kv(StringBuilder sb, String k, String v) {
        sb.append('\t').append(k).append('=').append(v);
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, "%.6g", v);
    }

    /** Samples the heap in use every 5 ms and keeps the largest value seen. */
    static final class HeapSampler extends Thread {
        private final MemoryMXBean mx = ManagementFactory.getMemoryMXBean();
        private final AtomicLong peak = new AtomicLong();

        HeapSampler() {
            super("heap-sampler");
            setDaemon(true);
        }

        @Override
        public void run() {
            while (!isInterrupted()) {
                peak.accumulateAndGet(mx.getHeapMemoryUsage().getUsed(), Math::max);
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    break;
                }
            }
            peak.accumulateAndGet(mx.getHeapMemoryUsage().getUsed(), Math::max);
        }

        long peak() {
            return peak.get();
        }
    }
}
