package io.emkit.data;

/** Sees rows {@code [from, to)} of a {@link Rows}, copied row-major into {@code buf}; returns true to stop. */
@FunctionalInterface
interface RowBlockVisitor {
    boolean visit(int from, int to, double[] buf);
}
