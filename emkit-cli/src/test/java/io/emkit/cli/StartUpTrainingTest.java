package io.emkit.cli;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The launchers swallow a failed training run (the archive is then simply not made), so a training command that
 * stopped working would go unnoticed but for this test.
 */
class StartUpTrainingTest {
    @Test
    void everyTrainingCommandSucceedsOnOldFaithfulAndAMissingFileFails() {
        Path faithful = Path.of("..", "examples", "faithful.csv");
        assertThat(StartUpTraining.run(faithful.toString())).isZero();
        assertThat(StartUpTraining.run(faithful.resolveSibling("no-such-file.csv").toString())).isEqualTo(Emkit.USAGE);
    }
}
