package io.emkit.init;

import java.util.Arrays;

/**
 * A plain, slow statement of hcvvv's rules as {@code reference/mclust/hcvvv-emulation.R} gives them: costs in
 * a full matrix by cluster, the whole upper triangle of the slots scanned every step (last minimum in packed
 * order), the last slot moved into the emptied one, determinants by elimination with partial pivoting.
 */
final class FullScanHcvvv {
    private FullScanHcvvv() {
    }

    private static final class Cluster {
        int label;
        int m;
        double[] mean;
        double tr;
        double[][] w;
        double[][] ws;
        double term;
    }

    /** @return {into, from}: 0-based labels merged per step */
    static int[][] merges(double[][] z) {
        int n = z.length;
        int p = z[0].length;
        double total = 0;
        for (int k = 0; k < p; k++) {
            double mean = 0;
            for (double[] row : z) {
                mean += row[k];
            }
            mean /= n;
            for (double[] row : z) {
                total += (row[k] - mean) * (row[k] - mean);
            }
        }
        double a1 = Math.max(total / ((double) n * p), Math.ulp(1.0));
        Cluster[] cl = new Cluster[n];
        for (int i = 0; i < n; i++) {
            Cluster c = new Cluster();
            c.label = i;
            c.m = 1;
            c.mean = z[i].clone();
            c.w = new double[p][p];
            c.ws = new double[p][p];
            c.term = Math.log(a1);
            cl[i] = c;
        }
        double[][] cost = new double[n][n];
        for (int j = 1; j < n; j++) {
            for (int i = 0; i < j; i++) {
                Cluster c = combine(cl[i], cl[j], cl[i].w, cl[j].w, a1);
                cost[i][j] = c.term - (cl[i].term + cl[j].term);
                cost[j][i] = cost[i][j];
            }
        }
        int[] slots = new int[n];
        for (int i = 0; i < n; i++) {
            slots[i] = i;
        }
        int g = n;
        int newest = -1;
        int[][] out = new int[2][n - 1];
        for (int s = 0; s < n - 1; s++) {
            int si = -1;
            int sj = -1;
            double best = Double.POSITIVE_INFINITY;
            for (int j = 1; j < g; j++) {
                for (int i = 0; i < j; i++) {
                    if (cost[slots[i]][slots[j]] <= best) {
                        best = cost[slots[i]][slots[j]];
                        si = i;
                        sj = j;
                    }
                }
            }
            int ii = slots[si];
            int jj = slots[sj];
            slots[sj] = slots[g - 1];
            g--;
            Cluster a = cl[ii];
            Cluster b = cl[jj];
            double d = cost[ii][jj];
            Cluster c = combine(a, b, ii == newest ? a.w : a.ws, jj == newest ? b.w : b.ws, a1);
            if (ii != newest && jj != newest) {
                c.term = d + a.term + b.term;
            }
            c.label = Math.min(a.label, b.label);
            c.ws = stored(c.w, c.m);
            out[0][s] = c.label;
            out[1][s] = Math.max(a.label, b.label);
            cl[ii] = c;
            cl[jj] = null;
            newest = ii;
            for (int k = 0; k < g; k++) {
                int o = slots[k];
                if (o != ii) {
                    Cluster u = combine(c, cl[o], c.w, cl[o].ws, a1);
                    cost[ii][o] = u.term - (c.term + cl[o].term);
                    cost[o][ii] = cost[ii][o];
                }
            }
        }
        return out;
    }

    private static Cluster combine(Cluster a, Cluster b, double[][] wa, double[][] wb, double a1) {
        int p = a.mean.length;
        Cluster c = new Cluster();
        c.m = a.m + b.m;
        double f = Math.sqrt((double) a.m * b.m / c.m);
        double[] v = new double[p];
        double vv = 0;
        c.mean = new double[p];
        for (int k = 0; k < p; k++) {
            v[k] = f * (a.mean[k] - b.mean[k]);
            vv += v[k] * v[k];
            c.mean[k] = (a.m * a.mean[k] + b.m * b.mean[k]) / c.m;
        }
        c.w = new double[p][p];
        for (int r = 0; r < p; r++) {
            for (int q = 0; q < p; q++) {
                c.w[r][q] = (wa[r][q] + wb[r][q]) + v[r] * v[q];
            }
        }
        c.tr = (a.tr + b.tr) + vv;
        double traceForm = c.m * Math.log((c.tr + a1) / c.m);
        c.term = traceForm;
        if (c.m > p && c.tr != 0) {
            double det = det(c.w, c.m);
            if (det > 0) {
                c.term = c.m * Math.log(det + (c.tr + a1) / c.m);
            }
        }
        return c;
    }

    private static double[][] stored(double[][] w, int m) {
        int p = w.length;
        if (m < 3) {
            return w;
        }
        if (!(w[0][0] > 0)) {
            return new double[p][p];
        }
        int k = Math.min(m - 1, p);
        double[][] r = new double[k][p];
        for (int row = 0; row < k; row++) {
            for (int q = row; q < p; q++) {
                r[row][q] = w[0][q] / Math.sqrt(w[0][0]);
            }
        }
        double[][] out = new double[p][p];
        for (int a = 0; a < p; a++) {
            for (int b = 0; b < p; b++) {
                for (int row = 0; row < k; row++) {
                    out[a][b] += r[row][a] * r[row][b];
                }
            }
        }
        return out;
    }

    private static double det(double[][] w, int m) {
        int p = w.length;
        double[][] a = new double[p][];
        for (int r = 0; r < p; r++) {
            a[r] = Arrays.stream(w[r]).map(x -> x / m).toArray();
        }
        double det = 1;
        for (int c = 0; c < p; c++) {
            int pivot = c;
            for (int r = c + 1; r < p; r++) {
                if (Math.abs(a[r][c]) > Math.abs(a[pivot][c])) {
                    pivot = r;
                }
            }
            if (a[pivot][c] == 0) {
                return 0;
            }
            if (pivot != c) {
                double[] t = a[pivot];
                a[pivot] = a[c];
                a[c] = t;
                det = -det;
            }
            det *= a[c][c];
            for (int r = c + 1; r < p; r++) {
                double f = a[r][c] / a[c][c];
                for (int q = c; q < p; q++) {
                    a[r][q] -= f * a[c][q];
                }
            }
        }
        return det;
    }
}
