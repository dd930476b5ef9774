package io.emkit.em;

import com.fasterxml.jackson.databind.JsonNode;
import io.emkit.data.Sequences;
import io.emkit.gaussian.covariance.CovarianceType;
import io.emkit.hmm.HiddenMarkov;
import io.emkit.hmm.covariates.CovariateHmm;
import io.emkit.hmm.covariates.CovariateSequences;
import io.emkit.hmm.semimarkov.Durations;
import io.emkit.hmm.semimarkov.SemiMarkov;
import io.emkit.io.ModelFiles;
import io.emkit.labels.ClassLabels;
import io.emkit.labels.SemiSupervisedHmm;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sequence models' distributed plans ({@link DistributedFit.OverSequences}) run as an engine runs them — the
 * sequences in canonical order cut into parts, each part's statistics from the kernel, merged in part order —
 * against the single-machine fits of the same sequences: the same iterations and log-likelihood trace (to 1e-9) and
 * the same model file numbers.
 */
class OverSequencesTest {
    /** 12 sequences of (u, x, class): a 2-state Gaussian HMM whose moves grow likelier with x; some steps labelled. */
    private static List<double[][]> steps() {
        SplittableRandom r = new SplittableRandom(13);
        List<double[][]> out = new ArrayList<>();
        for (int q = 0; q < 12; q++) {
            double[][] s = new double[20 + r.nextInt(30)][];
            int state = r.nextInt(2);
            for (int t = 0; t < s.length; t++) {
                double x = r.nextDouble() * 2 - 1;
                if (t > 0 && r.nextDouble() < 1 / (1 + Math.exp(2.0 - 1.5 * x))) {
                    state = 1 - state;
                }
                double u = state == 0 ? r.nextGaussian() : 3 + 0.7 * r.nextGaussian();
                s[t] = new double[] {u, x, r.nextDouble() < 0.3 ? state : -1};
            }
            out.add(s);
        }
        return out;
    }

    /** The plan's fit with the sequences in canonical order cut into three parts of 2, 7 and 3 sequences. */
    private static <P, S extends SufficientStatistics<S>> EmResult<P> inParts(DistributedFit.OverSequences<P, S> plan,
                                                                             Sequences all) {
        Sequences sorted = all.canonicalOrder();
        int[] cuts = {0, 2, 9, sorted.count()};
        List<Sequences> parts = new ArrayList<>();
        long[] firstStep = new long[3];
        int longest = 0;
        for (int k = 0; k < 3; k++) {
            List<double[][]> held = new ArrayList<>();
            for (int q = cuts[k]; q < cuts[k + 1]; q++) {
                held.add(sorted.sequence(q));
                longest = Math.max(longest, sorted.length(q));
            }
            firstStep[k] = sorted.start(cuts[k]);
            parts.add(Sequences.of(held, all.featureNames()));
        }
        ExpectationRunner<P, S> runner = params -> {
            S total = null;
            double ll = 0;
            for (int k = 0; k < 3; k++) {
                S part = plan.kernel().emptyStatistics(params);
                ll += plan.kernel().accumulate(params, parts.get(k), firstStep[k], part);
                if (total == null) {
                    total = part;
                } else {
                    total.merge(part);
                }
            }
            return new ExpectationMaximization.Expectation<>(total, ll);
        };
        return plan.fit(runner, new DistributedFit.OverSequences.Extent(all.count(), all.totalLength(), longest),
                all);
    }

    private static Sequences columns(List<double[][]> steps, int... which) {
        List<double[][]> out = new ArrayList<>();
        for (double[][] s : steps) {
            double[][] c = new double[s.length][which.length];
            for (int t = 0; t < s.length; t++) {
                for (int j = 0; j < which.length; j++) {
                    c[t][j] = s[t][which[j]];
                }
            }
            out.add(c);
        }
        List<String> names = List.of("u", "x", "class");
        List<String> chosen = new ArrayList<>();
        for (int j : which) {
            chosen.add(names.get(j));
        }
        return Sequences.of(out, chosen);
    }

    private static void assertSameFit(EmResult<?> local, EmResult<?> parts, JsonNode localModel,
                                      JsonNode partsModel) {
        assertThat(parts.iterations()).isEqualTo(local.iterations()).isGreaterThan(2);
        assertThat(parts.trace()).hasSameSizeAs(local.trace());
        for (int i = 0; i < local.trace().length; i++) {
            assertThat(Math.abs(parts.trace()[i] - local.trace()[i])).as("iteration %d", i)
                    .isLessThanOrEqualTo(1e-9 * Math.abs(local.trace()[i]));
        }
        assertClose(localModel, partsModel, "$");
    }

    /** The same keys and text, numbers within 1e-9 (relative, or absolute below 1). */
    private static void assertClose(JsonNode a, JsonNode b, String at) {
        assertThat(b.getNodeType()).as(at).isEqualTo(a.getNodeType());
        if (a.isContainerNode()) {
            assertThat(b.size()).as(at).isEqualTo(a.size());
            if (a.isObject()) {
                a.fieldNames().forEachRemaining(n -> assertClose(a.get(n), b.get(n), at + "." + n));
            } else {
                for (int i = 0; i < a.size(); i++) {
                    assertClose(a.get(i), b.get(i), at + "[" + i + "]");
                }
            }
        } else if (a.isNumber()) {
            assertThat(Math.abs(b.asDouble() - a.asDouble())).as(at)
                    .isLessThanOrEqualTo(1e-9 * Math.max(1, Math.abs(a.asDouble())));
        } else {
            assertThat(b).as(at).isEqualTo(a);
        }
    }

    private static HiddenMarkov config() {
        return HiddenMarkov.gaussian(2, CovarianceType.DIAG).seed(7).initializations(1).maxIterations(30);
    }

    @Test
    void aPlainHmmInPartsIsTheSingleMachineFit() {
        Sequences u = columns(steps(), 0);
        var local = config().fit(u);
        var parts = inParts(config().distributed(), u);
        assertSameFit(local, parts, ModelFiles.toTree(local.params()), ModelFiles.toTree(parts.params()));
    }

    @Test
    void aSemiMarkovModelInPartsIsTheSingleMachineFit() {
        Sequences u = columns(steps(), 0);
        SemiMarkov config = SemiMarkov.of(config(), Durations.Family.POISSON, 10);
        var local = config.fit(u);
        var parts = inParts(config.distributed(), u);
        assertSameFit(local, parts, ModelFiles.toTree(local.params()), ModelFiles.toTree(parts.params()));
    }

    @Test
    void anInputOutputHmmInPartsIsTheSingleMachineFitAndItsCovariatesMatter() {
        List<double[][]> steps = steps();
        CovariateHmm config = CovariateHmm.of(config());
        var local = config.fit(CovariateSequences.of(columns(steps, 0), columns(steps, 1).rawValues(),
                List.of("x")));
        var parts = inParts(config.distributed(List.of("x")), columns(steps, 0, 1));
        assertSameFit(local, parts, ModelFiles.toTree(local.params()),
                ModelFiles.toTree(parts.params()));
        assertThat(Math.abs(local.params().transitions().coefficients(0, 1)[1])).isGreaterThan(0.1);
    }

    @Test
    void aLabelledHmmInPartsIsTheSingleMachineFit() {
        List<double[][]> steps = steps();
        Sequences all = columns(steps, 0, 2);
        String[] cells = new String[all.totalLength()];
        for (int t = 0; t < cells.length; t++) {
            double g = all.rawValues()[2 * t + 1];
            cells[t] = g < 0 ? null : g == 0 ? "calm" : "storm";
        }
        ClassLabels labels = ClassLabels.of(cells);
        var local = SemiSupervisedHmm.of(config()).fit(columns(steps, 0), labels, 1);
        var parts = inParts(SemiSupervisedHmm.of(config()).distributed(labels.names(), 1), all);
        assertSameFit(local.em(), parts, ModelFiles.toTree(local.em().params()), ModelFiles.toTree(parts.params()));
        assertThat(SemiSupervisedHmm.stateClasses(labels.names(), 1)).isEqualTo(local.stateClasses());
        // The known states count: without them the fit is another.
        assertThat(Math.abs(config().fit(columns(steps, 0)).logLikelihood() - local.em().logLikelihood()))
                .isGreaterThan(1e-3);
    }

    @Test
    void columnsKeepsTheChosenColumnsOfEveryStep() {
        Sequences all = columns(steps(), 0, 1, 2);
        Sequences middle = all.columns(1, 2);
        assertThat(middle.featureNames()).containsExactly("x");
        assertThat(middle.count()).isEqualTo(all.count());
        for (int t = 0; t < all.totalLength(); t++) {
            assertThat(middle.rawValues()[t]).isEqualTo(all.rawValues()[3 * t + 1]);
        }
    }
}
