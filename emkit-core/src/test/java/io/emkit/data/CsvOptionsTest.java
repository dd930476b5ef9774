package io.emkit.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.emkit.EmkitException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvOptionsTest {
    @Test
    void defaultsAndCopies() {
        CsvOptions d = CsvOptions.defaults();
        CsvOptions o = d.withHeader(HeaderMode.ABSENT).withDelimiter(';').withColumns("a", "2");

        assertThat(d.header()).isEqualTo(HeaderMode.AUTO);
        assertThat(d.delimiter()).isEqualTo(',');
        assertThat(d.columns()).isEmpty();
        assertThat(o.header()).isEqualTo(HeaderMode.ABSENT);
        assertThat(o.delimiter()).isEqualTo(';');
        assertThat(o.columns()).containsExactly("a", "2");
        assertThat(o).isEqualTo(CsvOptions.defaults().withColumns(List.of("a", "2")).withDelimiter(';')
                .withHeader(HeaderMode.ABSENT));
        assertThatThrownBy(() -> d.withDelimiter('"')).isInstanceOf(EmkitException.class);
        assertThatThrownBy(() -> d.withDelimiter('\n')).isInstanceOf(EmkitException.class);
    }

    @Test
    void columnsAreCopied() {
        List<String> wanted = new ArrayList<>(List.of("a"));
        CsvOptions o = CsvOptions.defaults().withColumns(wanted);
        wanted.add("b");

        assertThat(o.columns()).containsExactly("a");
    }
}
