package io.emkit.data;

import static org.assertj.core.api.Assertions.assertThat;

import io.emkit.EmkitException;
import org.junit.jupiter.api.Test;

class InvalidDataExceptionTest {
    @Test
    void cellMessage() {
        InvalidDataException e = InvalidDataException.atCell("faithful.csv", 12, 2, "waiting", "'abc' is not a number");

        assertThat(e).isInstanceOf(EmkitException.class)
                .hasMessage("faithful.csv: line 12, column 2 ('waiting'): 'abc' is not a number");
        assertThat(e.file()).isEqualTo("faithful.csv");
        assertThat(e.line()).isEqualTo(12);
        assertThat(e.column()).isEqualTo(2);
        assertThat(e.columnName()).isEqualTo("waiting");
        assertThat(e.detail()).isEqualTo("'abc' is not a number");
    }

    @Test
    void lineFileAndColumnMessages() {
        assertThat(InvalidDataException.atLine("data.csv", 7, "3 fields, expected 2 (as in line 1)"))
                .hasMessage("data.csv: line 7: 3 fields, expected 2 (as in line 1)");
        assertThat(InvalidDataException.ofFile("nope.csv", "no such file")).hasMessage("nope.csv: no such file");
        assertThat(InvalidDataException.atColumn("d.csv", 3, "c", "selected twice"))
                .hasMessage("d.csv: column 3 ('c'): selected twice");
        assertThat(InvalidDataException.atColumn("d.csv", 0, "c", "odd")).hasMessage("d.csv: column 'c': odd");
        assertThat(InvalidDataException.atCell(null, 4, 1, null, "bad")).hasMessage("line 4, column 1: bad");
    }

    @Test
    void messageIsOneLine() {
        InvalidDataException e = InvalidDataException.atCell("a\nb.csv", 1, 1, "x\ty", "'c\rd' is not a number");

        assertThat(e.getMessage()).doesNotContain("\n", "\r", "\t")
                .isEqualTo("a\\nb.csv: line 1, column 1 ('x\\ty'): 'c\\rd' is not a number");
    }

    @Test
    void quoteShortensLongText() {
        assertThat(InvalidDataException.quote("abc")).isEqualTo("'abc'");
        assertThat(InvalidDataException.quote("z".repeat(41))).isEqualTo("'" + "z".repeat(40) + "...'");
    }
}
