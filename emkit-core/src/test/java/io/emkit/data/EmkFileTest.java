package io.emkit.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EmkFileTest {
    @TempDir
    Path dir;

    private Path write(Dataset d, String name) throws IOException {
        Path p = dir.resolve(name);
        try (OutputStream out = Files.newOutputStream(p)) {
            EmkFile.write(d, out);
        }
        return p;
    }

    @Test
    void roundTripKeepsEveryBitIncludingMissingValuesAndNames() throws IOException {
        SplittableRandom r = new SplittableRandom(5);
        int n = 20_000;
        int cols = 3;
        double[] v = new double[n * cols];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextGaussian() * Math.pow(10, r.nextInt(-300, 300));
        }
        v[7] = Double.NaN;
        v[100] = -0.0;
        v[101] = Double.MIN_VALUE;
        Dataset d = Dataset.wrap(v, n, cols, List.of("α", "b,c", ""));
        Path p = write(d, "a.emk");
        assertThat(EmkFile.isEmk(p)).isTrue();
        assertThat(Files.size(p) % 8).isZero();
        CsvData back = DataFiles.read(p, CsvOptions.defaults());
        assertThat(back.dataset().columnNames()).containsExactly("α", "b,c", "");
        assertThat(back.dataset().rows()).isEqualTo(n);
        double[] w = back.dataset().rawValues();
        for (int i = 0; i < v.length; i++) {
            assertThat(Double.doubleToRawLongBits(w[i])).as("value %d", i).isEqualTo(Double.doubleToRawLongBits(v[i]));
        }
        assertThat(back.missingCells()).isEqualTo(1);
        assertThat(back.firstMissing().line()).isEqualTo(3);
        assertThat(back.firstMissing().column()).isEqualTo(2);
    }

    @Test
    void selectsColumnsByNameOrNumber() throws IOException {
        Dataset d = Dataset.of(new double[][] {{1, 2, 3}, {4, 5, 6}}, List.of("a", "b", "c"));
        Path p = write(d, "s.emk");
        Dataset sel = EmkFile.read(p, CsvOptions.defaults().withColumns("c", "1")).dataset();
        assertThat(sel.columnNames()).containsExactly("c", "a");
        assertThat(sel.toArray()).isDeepEqualTo(new double[][] {{3, 1}, {6, 4}});
        assertThatThrownBy(() -> EmkFile.read(p, CsvOptions.defaults().withColumns("zz")))
                .isInstanceOf(InvalidDataException.class).hasMessageContaining("s.emk").hasMessageContaining("zz");
    }

    @Test
    void truncatedOrForeignFilesAreRefused() throws IOException {
        Dataset d = Dataset.of(new double[][] {{1, 2}, {3, 4}});
        Path p = write(d, "t.emk");
        byte[] bytes = Files.readAllBytes(p);
        Path cut = Files.write(dir.resolve("cut.emk"), Arrays.copyOf(bytes, bytes.length - 3));
        assertThatThrownBy(() -> DataFiles.read(cut, CsvOptions.defaults()))
                .isInstanceOf(InvalidDataException.class).hasMessageContaining("cut.emk").hasMessageContaining("truncated");
        Path csv = Files.writeString(dir.resolve("plain.csv"), "a,b\n1,2\n");
        assertThat(EmkFile.isEmk(csv)).isFalse();
        assertThat(DataFiles.read(csv, CsvOptions.defaults()).dataset().rows()).isEqualTo(1);
    }
}
