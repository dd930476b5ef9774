package io.emkit.kernels;

/**
 * Squared Euclidean distances from rows to all K centroids of a {@link CentroidTable} held transposed
 * ({@code D × Kp}, centroid after centroid along each feature), in SIMD lanes across the centroids. Each lane
 * performs the portable loop's operations in its order: {@code s = 0}, then for each feature in turn
 * {@code t = c_j − x_j}, {@code s = s + t·t}, a separate multiply and add, so every distance is the portable
 * one bit for bit ({@code (c − x)² = (x − c)²} exactly). Implemented on the Vector API only
 * ({@code VectorCentroidKernels}), loaded by name by {@link CentroidTable}.
 */
interface CentroidKernels {
    /**
     * {@code out[c]} = the squared distance from row {@code x[xo .. xo + d)} to centroid {@code c}, for
     * {@code c < kp}; the padding centroids' distances are {@code +∞}.
     *
     * @param x   the rows, row-major
     * @param xo  where the row starts
     * @param ct  the centroids transposed, {@code d × kp}, padding +∞
     * @param d   D
     * @param kp  K rounded up to the padding
     * @param out receives {@code kp} distances
     */
    void squaredDistances(double[] x, int xo, double[] ct, int d, int kp, double[] out);

    /**
     * The nearest centroid of each of {@code rows} consecutive rows (ties to the lower index) and the squared
     * distance to it.
     *
     * @param x     the rows, row-major
     * @param xo    where the first row starts
     * @param rows  how many rows, each {@code d} values after the previous one
     * @param ct    the centroids transposed, {@code d × kp}, padding +∞
     * @param d     D
     * @param kp    K rounded up to the padding
     * @param label receives the rows' nearest centroids from index 0
     * @param dist  receives their squared distances from index 0
     */
    void nearest(double[] x, int xo, int rows, double[] ct, int d, int kp, int[] label, double[] dist);

    /**
     * The nearest centroid to one row (ties to the lower index), with the squared distance to it in
     * {@code two[0]} and the least squared distance to any other centroid in {@code two[1]}: what
     * {@link CentroidTable#nearestTwo} returns.
     *
     * @param x   the rows, row-major
     * @param xo  where the row starts
     * @param ct  the centroids transposed, {@code d × kp}, padding +∞
     * @param d   D
     * @param kp  K rounded up to the padding
     * @param out scratch for {@code kp} distances
     * @param two receives the two least distances
     * @return the nearest centroid
     */
    int nearestTwo(double[] x, int xo, double[] ct, int d, int kp, double[] out, double[] two);

    /**
     * {@link #nearestTwo} by products in float lanes, for two rows at once (the same row twice for one), for
     * {@link CentroidTable#nearestTwo}: each value is {@code ‖c‖² − 2·x·c}, a chain of fused multiply-adds in
     * float, in feature order, from {@code ‖c‖²}, the rows' values rounded to float. Not the portable loop's
     * distances less {@code ‖x‖²}: close to them within a bound the caller knows, with a sixth of the vector
     * arithmetic.
     *
     * @param xc       the two rows, centred as the products are (in double), one after the other
     * @param xco      where the first starts
     * @param products the centroids, centred, times −2, transposed, {@code d × kp}, padding 0
     * @param norms    their squared norms, {@code kp}, padding +∞
     * @param d        D
     * @param kp       K rounded up to the padding
     * @param two      receives the first row's least value and the least of its others, then the second's
     * @param best     receives each row's lowest centroid at its least value
     */
    void nearestTwoByProductsOfPair(double[] xc, int xco, float[] products, float[] norms, int d, int kp,
                                    double[] two, int[] best);

    /**
     * Adds row {@code x[xo .. xo + d)}, times {@code weight}, to {@code sum[so .. so + d)}: each entry
     * {@code sum + weight·x}, a separate multiply and add as the portable loop's (none where the weight is 1), so
     * the sums are the portable loop's bit for bit.
     *
     * @param sum    the sums, row-major
     * @param so     where the row's sums start
     * @param weight the row's weight
     * @param x      the rows, row-major
     * @param xo     where the row starts
     * @param d      D
     */
    void addRow(double[] sum, int so, double weight, double[] x, int xo, int d);

    /** @return the lanes of one vector: {@link #potentials} takes candidates padded to a multiple of them */
    int lanes();

    /**
     * Greedy k-means++'s measure of its candidates, {@link CentroidTable#potentials}: for each candidate
     * {@code c < kp}, {@code potential[c] = Σ_i w_i · min(dist_i, ‖x_i − c‖²)} over rows {@code [from, to)}, summed
     * in row order ({@code w_i = 1} without weights), each term as the portable loop computes it.
     *
     * @param x         the rows, row-major
     * @param from      the first row
     * @param to        past the last row
     * @param ct        the candidates transposed, {@code d × kp}, padding +∞
     * @param d         D
     * @param kp        the candidates rounded up to a multiple of {@link #lanes()}
     * @param dist      each row's squared distance to the nearest centre so far
     * @param w         the rows' weights, or {@code null}
     * @param potential receives {@code kp} sums (the padding's are meaningless)
     * @param trials    receives each row's {@code min(dist_i, ‖x_i − c‖²)} at {@code i·kp + c}, or {@code null}
     */
    void potentials(double[] x, int from, int to, double[] ct, int d, int kp, double[] dist, double[] w,
                    double[] potential, double[] trials);
}
