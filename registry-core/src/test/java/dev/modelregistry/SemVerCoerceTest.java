package dev.modelregistry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("Coercing a loose version string")
class SemVerCoerceTest {

    @ParameterizedTest(name = "\"{0}\" gives {1}")
    @DisplayName("reads the first one to three numbers, missing parts 0, and ignores the rest")
    @CsvSource(delimiter = ';', textBlock = """
            v1.2;                 1.2.0
            1.2;                  1.2.0
            1;                    1.0.0
            1.2.3.4;              1.2.3
            ' 1.2.3 ';            1.2.3
            release-1.4.0-final;  1.4.0
            1.0-SNAPSHOT;         1.0.0
            1.2-rc.1;             1.2.0
            1.2.3-01;             1.2.3
            01.02.03;             1.2.3
            2020.01.15;           2020.1.15
            V1.2.3;               1.2.3
            =1.2.3;               1.2.3
            version 3;            3.0.0
            x1.2.3y;              1.2.3
            1.2.x;                1.2.0
            0;                    0.0.0
            2147483647.0.0.1;     2147483647.0.0
            """)
    void loose(String text, String expected) {
        assertThat(SemVer.coerce(text)).hasValueSatisfying(v -> {
            assertThat(v).hasToString(expected);
            assertThat(v.isPreRelease()).isFalse();
            assertThat(v.build()).isEmpty();
        });
    }

    @ParameterizedTest(name = "\"{0}\" gives {1}")
    @DisplayName("keeps a valid version whole, pre-release and build metadata included")
    @CsvSource(delimiter = ';', textBlock = """
            1.2.3-rc.1;                1.2.3-rc.1
            ' v1.2.3-rc.1+b7 ';        1.2.3-rc.1+b7
            '\\t1.0.0+build.5\\n';     1.0.0+build.5
            '\u00A01.0.0-beta\u00A0';  1.0.0-beta
            '\uFEFF2.0.0-0';           2.0.0-0
            """)
    void strict(String text, String expected) {
        String unescaped = text.replace("\\t", "\t").replace("\\n", "\n");
        assertThat(SemVer.coerce(unescaped)).hasValueSatisfying(v -> {
            assertThat(v).hasToString(expected);
            assertThat(v.build()).isEqualTo(SemVer.parse(expected).build());
        });
    }

    @ParameterizedTest(name = "\"{0}\"")
    @DisplayName("gives nothing for text without a usable number, never an exception")
    @ValueSource(strings = {"", " ", "abc", "v", "x.y.z", "latest", "-", "...", "3000000000.1.2",
        "2147483648", "v99999999999.0.0", "\u0000", "\uD800"})
    void nothing(String text) {
        assertThat(SemVer.coerce(text)).isEmpty();
    }

    @Test
    @DisplayName("gives nothing for text longer than MAX_LENGTH after stripping")
    void tooLong() {
        String padded = " ".repeat(1000) + "1.2.3" + " ".repeat(1000);
        assertThat(SemVer.coerce(padded)).hasValue(SemVer.of(1, 2, 3));
        String tooLong = "1.2.3-" + "a".repeat(SemVer.MAX_LENGTH);
        assertThat(SemVer.coerce(tooLong)).isEmpty();
        assertThat(SemVer.coerce("x".repeat(SemVer.MAX_LENGTH - 5) + "1.2.3"))
                .hasValue(SemVer.of(1, 2, 3));
    }

    @Test
    @DisplayName("refuses null as a programming error")
    void refusesNull() {
        assertThatThrownBy(() -> SemVer.coerce(null))
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("must not be null");
    }
}
