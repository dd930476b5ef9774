package io.emkit.cli.plot;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** The HMM decoding picture renders for 1, 2 and 5 columns to PNG and SVG of the asked size, in the states' colours. */
class HmmPlotsTest {
    @ParameterizedTest(name = "{0} columns")
    @ValueSource(ints = {1, 2, 5})
    void statesPictureRenders(int d) throws Exception {
        SplittableRandom random = new SplittableRandom(3);
        int steps = 300;
        double[][] obs = new double[steps][d];
        int[] states = new int[steps];
        int s = 0;
        for (int t = 0; t < steps; t++) {
            if (random.nextDouble() < 0.05) {
                s = (s + 1) % 3;
            }
            states[t] = s;
            for (int j = 0; j < d; j++) {
                obs[t][j] = 3 * s + random.nextGaussian();
            }
        }
        List<String> names = new ArrayList<>();
        for (int j = 0; j < d; j++) {
            names.add("x" + (j + 1));
        }
        Figure f = HmmPlots.states("test", obs, states, names, 700, 500);
        MixturePlotsTest.assertShowsComponents(MixturePlotsTest.png(f), 700, 500, 3);
        MixturePlotsTest.assertSvg(f, 700, 500, 3);
        assertThat(f.width()).isEqualTo(700);
    }
}
