package io.emkit.em;

import io.emkit.gaussian.GaussianMixture;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Invalid options are refused when set, with a message naming the offending value. */
class EmOptionsValidationTest {
    private static final EmOptions D = EmOptions.defaults();

    @Test
    void negativeToleranceIsRefusedNamingTheValue() {
        assertThatThrownBy(() -> D.withTolerance(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1");
        assertThatThrownBy(() -> D.withTolerance(-1e-300)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void nonFiniteToleranceIsRefused() {
        assertThatThrownBy(() -> D.withTolerance(Double.NaN)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("NaN");
        assertThatThrownBy(() -> D.withTolerance(Double.POSITIVE_INFINITY))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Infinity");
    }

    @Test
    void negativeMaxIterationsIsRefusedNamingTheValue() {
        assertThatThrownBy(() -> D.withMaxIterations(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1");
    }

    @Test
    void zeroInitializationsIsRefusedNamingTheValue() {
        assertThatThrownBy(() -> D.withInitializations(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0");
        assertThatThrownBy(() -> D.withInitializations(-3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-3");
    }

    @Test
    void zeroThreadsIsRefusedNamingTheValue() {
        assertThatThrownBy(() -> D.withThreads(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0");
        assertThatThrownBy(() -> D.withThreads(-4)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-4");
    }

    @Test
    void zeroBlockSizeIsRefusedNamingTheValue() {
        assertThatThrownBy(() -> D.withBlockSize(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0");
    }

    @Test
    void theFluentConfigurationValidatesToo() {
        GaussianMixture g = GaussianMixture.withComponents(2);
        assertThatThrownBy(() -> g.tolerance(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1");
        assertThatThrownBy(() -> g.maxIterations(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("-1");
        assertThatThrownBy(() -> g.initializations(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> g.threads(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> g.regCovar(-1e-3)).hasMessageContaining("-0.001");
        assertThatThrownBy(() -> g.regCovar(Double.NaN)).hasMessageContaining("NaN");
    }

    @Test
    void validValuesAreKeptAndOtherSettingsUntouched() {
        EmOptions o = D.withTolerance(0).withMaxIterations(0).withInitializations(7).withThreads(3).withSeed(-5)
                .withBlockSize(11);
        assertThat(o.tolerance()).isZero();
        assertThat(o.maxIterations()).isZero();
        assertThat(o.initializations()).isEqualTo(7);
        assertThat(o.threads()).isEqualTo(3);
        assertThat(o.seed()).isEqualTo(-5);
        assertThat(o.blockSize()).isEqualTo(11);
        assertThat(D.tolerance()).as("defaults unchanged").isEqualTo(1e-8);
        assertThat(D.acceleration()).isEqualTo(Acceleration.SQUAREM);
        assertThat(o.withAcceleration(Acceleration.NONE).acceleration()).isEqualTo(Acceleration.NONE);
        assertThat(o.withAcceleration(Acceleration.NONE).blockSize()).isEqualTo(11);
        assertThat(D.maxIterations()).isEqualTo(1000);
        assertThat(D.initializations()).isEqualTo(1);
        assertThat(D.seed()).isZero();
        assertThat(D.blockSize()).isEqualTo(EmOptions.DEFAULT_BLOCK_SIZE);
    }

    @Test
    void everyWitherChangesItsOwnSettingOnly() {
        IterationListener listener = event -> { };
        EmOptions base = D.withTolerance(1e-3).withMaxIterations(50).withSeed(9).withThreads(2).withBlockSize(64)
                .withListener(listener).withAcceleration(Acceleration.DAAREM).withSearch(Search.Level.THOROUGH);
        List<Object> b = settings(base);
        assertThat(b).containsExactly(1e-3, 50, 1, 9L, 2, listener, 64, Search.Level.THOROUGH, Acceleration.DAAREM);

        assertThat(settings(base.withTolerance(0.5))).isEqualTo(changed(b, 0, 0.5));
        assertThat(settings(base.withMaxIterations(7))).isEqualTo(changed(b, 1, 7));
        assertThat(settings(base.withSeed(-1))).isEqualTo(changed(b, 3, -1L));
        assertThat(settings(base.withThreads(5))).isEqualTo(changed(b, 4, 5));
        assertThat(settings(base.withListener(IterationListener.NONE))).isEqualTo(changed(b, 5, IterationListener.NONE));
        assertThat(settings(base.withBlockSize(3))).isEqualTo(changed(b, 6, 3));
        assertThat(settings(base.withAcceleration(Acceleration.NONE))).isEqualTo(changed(b, 8, Acceleration.NONE));
        assertThat(settings(base.withSearch(Search.Level.QUICK))).isEqualTo(changed(b, 7, Search.Level.QUICK));
        List<Object> runs = settings(base.withInitializations(4));
        assertThat(runs).as("a number of runs turns the search off").isEqualTo(changed(changed(b, 2, 4), 7, null));
        assertThat(settings(base.withInitializations(4).withSearch(Search.Level.THOROUGH)))
                .as("and a search makes one run").isEqualTo(b);
        assertThat(settings(base)).as("the original unchanged").isEqualTo(b);
    }

    private static List<Object> settings(EmOptions o) {
        return Arrays.asList(o.tolerance(), o.maxIterations(), o.initializations(), o.seed(), o.threads(),
                o.listener(), o.blockSize(), o.search(), o.acceleration());
    }

    private static List<Object> changed(List<Object> settings, int index, Object value) {
        List<Object> out = new ArrayList<>(settings);
        out.set(index, value);
        return out;
    }
}
