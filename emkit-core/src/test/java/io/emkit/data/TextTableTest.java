package io.emkit.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Reading CSV files with text columns as categories. */
class TextTableTest {
    @TempDir
    Path dir;

    private Path write(String text) throws Exception {
        Path p = dir.resolve("t.csv");
        Files.writeString(p, text);
        return p;
    }

    @Test
    void classifiesColumnsAndCodesCategoriesInSortedOrder() throws Exception {
        TextTable t = TextTable.read(write("\uFEFFcolour,n,\"note, quoted\"\nred,1,a\n\nyellow,2.5,b\ngreen,3,a\n"),
                CsvOptions.defaults());
        assertThat(t.hasHeader()).isTrue();
        assertThat(t.columnNames()).containsExactly("colour", "n", "note, quoted");
        assertThat(t.rows()).isEqualTo(3);
        assertThat(t.lineOf(1)).isEqualTo(4);
        assertThat(t.isNumeric(0)).isFalse();
        assertThat(t.isNumeric(1)).isTrue();
        assertThat(t.numbers(1)).containsExactly(1, 2.5, 3);
        assertThat(t.categories(0)).containsExactly("green", "red", "yellow");
        assertThat(t.codes(0, t.categories(0))).containsExactly(1, 2, 0);
        assertThat(t.columnIndex("3")).isEqualTo(2);
        assertThatThrownBy(() -> t.codes(0, List.of("red", "green")))
                .isInstanceOf(InvalidDataException.class)
                .hasMessageContaining("line 4, column 1 ('colour'): category 'yellow' is not one of the 2 known: red, green");
        assertThatThrownBy(() -> t.numbers(0)).hasMessageContaining("line 2, column 1 ('colour'): 'red' is not a finite number");
        assertThatThrownBy(() -> t.columnIndex("size")).hasMessageContaining("no column 'size'");
    }

    @Test
    void readsMissingCellsAsNaNAndRefusesRaggedRowsAndEmptyFiles() throws Exception {
        TextTable t = TextTable.read(write("a,b,c\nx,1,NA\nNA,,\ny,nan,z\n"), CsvOptions.defaults());
        assertThat(t.categories(0)).containsExactly("x", "y");
        assertThat(t.codes(0, t.categories(0))).containsExactly(0, Double.NaN, 1);
        assertThat(t.isNumeric(1)).as("numbers and missing cells").isTrue();
        assertThat(t.numbers(1)).containsExactly(1, Double.NaN, Double.NaN);
        assertThat(t.isNumeric(2)).as("text and missing cells").isFalse();
        TextTable allMissing = TextTable.read(write("a,b\nNA,1\n,2\n"), CsvOptions.defaults());
        assertThat(allMissing.isNumeric(0)).as("no number at all").isFalse();
        assertThatThrownBy(() -> TextTable.read(write("a,b\n1,2\n3\n"), CsvOptions.defaults()))
                .isInstanceOf(InvalidDataException.class).hasMessageContaining("line 3");
        assertThatThrownBy(() -> TextTable.read(write(""), CsvOptions.defaults()))
                .isInstanceOf(InvalidDataException.class).hasMessageContaining("is empty");
        TextTable noHeader = TextTable.read(write("1,2\n3,4\n"), CsvOptions.defaults());
        assertThat(noHeader.hasHeader()).isFalse();
        assertThat(noHeader.columnNames()).containsExactly("x1", "x2");
    }
}
