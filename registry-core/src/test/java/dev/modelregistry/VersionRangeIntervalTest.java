package dev.modelregistry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("A version range in Maven interval syntax")
class VersionRangeIntervalTest {

    /** Versions around every bound used below, with pre-releases and build metadata. */
    private static final List<SemVer> PROBES = List.of("0.0.0", "0.9.9", "1.0.0", "1.0.0+b7",
            "1.0.1", "1.0.0-rc.1", "1.1.0", "1.2.0", "1.4.9", "1.5.0", "1.5.0-rc.1", "1.5.1",
            "1.99.99", "2.0.0-rc.1", "2.0.0", "2.0.0+b", "2.0.1", "2.5.0", "3.0.0-0", "3.0.0",
            "3.0.1", "10.0.0").stream().map(SemVer::parse).toList();

    @Nested
    @DisplayName("contains")
    class Contains {

        @ParameterizedTest(name = "\"{0}\" contains {1}: {2}")
        @DisplayName("exactly the versions between its bounds, each bound naming one version")
        @CsvSource(delimiter = ';', textBlock = """
                [1.5,2.0);           1.5.0;        true
                [1.5,2.0);           1.4.9;        false
                [1.5,2.0);           1.99.99;      true
                [1.5,2.0);           2.0.0;        false
                [1.5,2.0);           2.5.0;        false
                (,1.0];              1.0.0;        true
                (,1.0];              0.0.0;        true
                (,1.0];              1.0.1;        false
                (,1.0);              0.9.9;        true
                (,1.0);              1.0.0;        false
                [1.0];               1.0.0;        true
                [1.0];               1.0.0+b7;     true
                [1.0];               1.0.1;        false
                [1.2,);              1.2.0;        true
                [1.2,);              10.0.0;       true
                [1.2,);              1.1.9;        false
                (1.0,2.0);           1.0.0;        false
                (1.0,2.0);           1.0.0+b7;     false
                (1.0,2.0);           1.0.1;        true
                (1.0,2.0);           2.0.0;        false
                [1.0,2.0];           2.0.0;        true
                [1.0,2.0];           2.0.1;        false
                (1.0,);              1.0.0;        false
                (1.0,);              1.0.1;        true
                [1,2);               1.9.0;        true
                [1.2.3,1.2.3];       1.2.3;        true
                [1.0,2.0),[3.0,);    1.5.0;        true
                [1.0,2.0),[3.0,);    2.5.0;        false
                [1.0,2.0),[3.0,);    3.0.0;        true
                (,1.1),(1.1,);       1.1.0;        false
                (,1.1),(1.1,);       1.1.1;        true
                [3.0,),[1.0,2.5);    2.0.0;        true
                ]1.0,2.0[;           1.0.0;        false
                ]1.0,2.0[;           1.5.0;        true
                ]1.0,2.0[;           2.0.0;        false
                ]1.0,);              1.0.1;        true
                (,2.0[;              1.99.99;      true
                (,2.0[;              2.0.0;        false
                '  [ 1.5 , 2.0 ) ,\t[3.0,) ';  3.0.0;  true
                [2147483647.2147483647.2147483647]; 2147483647.2147483647.2147483647; true
                """)
        void betweenBounds(String range, String version, boolean expected) {
            assertThat(VersionRange.parse(range.replace("\\t", "\t")).contains(SemVer.parse(version)))
                    .isEqualTo(expected);
        }

        @ParameterizedTest(name = "\"{0}\" contains {1}: false")
        @DisplayName("no pre-release, since no bound carries one (the npm rule, unchanged)")
        @CsvSource(delimiter = ';', textBlock = """
                [1.0,2.0);   1.5.0-rc.1
                [1.0,2.0);   2.0.0-rc.1
                [1.0,2.0);   2.0.0-SNAPSHOT
                [1.0,2.0];   2.0.0-rc.1
                (,1.0];      1.0.0-0
                [1.0,);      1.0.1-alpha
                [1.0];       1.0.0-rc.1
                ]1.0,2.0[;   1.5.0-beta
                """)
        void noPreRelease(String range, String version) {
            assertThat(VersionRange.parse(range).contains(SemVer.parse(version))).isFalse();
        }

        @ParameterizedTest(name = "\"{0}\" is \"{1}\"")
        @DisplayName("the same versions as the npm comparators it stands for")
        @CsvSource(delimiter = ';', textBlock = """
                [1.5,2.0);          >=1.5.0 <2.0.0
                (,1.0];             <=1.0.0
                (,1.0);             <1.0.0
                [1.0];              =1.0.0
                [1.2,);             >=1.2.0
                (1.2,);             >1.2.0
                (1.0,2.0);          >1.0.0 <2.0.0
                [1.0,2.0];          >=1.0.0 <=2.0.0
                [1.0,2.0),[3.0,);   >=1.0.0 <2.0.0 || >=3.0.0
                ]1.0,2.0[;          >1.0.0 <2.0.0
                ]1.0,2.0];          >1.0.0 <=2.0.0
                [1.0,2.0[;          >=1.0.0 <2.0.0
                """)
        void likeNpm(String interval, String npm) {
            VersionRange a = VersionRange.parse(interval);
            VersionRange b = VersionRange.parse(npm);
            for (SemVer probe : PROBES) {
                assertThat(a.contains(probe)).as("%s contains %s", interval, probe)
                        .isEqualTo(b.contains(probe));
            }
        }
    }

    @Nested
    @DisplayName("refuses")
    class Invalid {

        @ParameterizedTest(name = "\"{0}\"")
        @DisplayName("malformed intervals, naming the text in the message")
        @ValueSource(strings = {
            "[", "(", "]", "[1.0", "[1.0,2.0", "[]", "[ ]", "(1.0)", "(1.0]", "[1.0)", "]1.0]",
            "[,1.0]", "],1.0]", "[1.0,]", "[1.0,[", "(,)", "[,]", "[1,2,3]", "[1.0,2.0],",
            "[1.0,2.0] [3.0,)", "[1.0,2.0),,[3.0,)", "[1.0,2.0)||[3.0,)", "[1.0,2.0) || ^3",
            "(,1.0]x", "(,1.0] >=0.5.0", "[1.0-SNAPSHOT,2.0)", "[1.0.0-rc.1,2.0.0)", "[1.x,2)",
            "[*,2)", "[v1.0,2)", "[1.0+b,2)", "[01.0,2)", "[1.2.3.4,5)", "[1..2,3)", "[1.,2)",
            "[.1,2)", "[3000000000,)", "[1.2147483648,)", "[a,b]", "[1 .0,2)"
        })
        void malformed(String text) {
            assertRefused(text);
        }

        @ParameterizedTest(name = "\"{0}\"")
        @DisplayName("an interval that contains no version")
        @ValueSource(strings = {"[2.0,1.0]", "[1.0,1.0)", "(1.0,1.0]", "(1.0,1.0)", "]1,1[",
            "[1.0,1.0.0)", "[1.0,2.0),(3,3]"})
        void empty(String text) {
            assertRefused(text).hasMessageContaining("contains no version");
        }

        @Test
        @DisplayName("a qualifier or pre-release in a bound, saying that intervals take none")
        void qualifier() {
            assertRefused("[1.0-SNAPSHOT,2.0)")
                    .hasMessageContaining("\"1.0-SNAPSHOT\"")
                    .hasMessageContaining("qualifiers, pre-releases and wildcards are not"
                            + " supported");
        }

        @Test
        @DisplayName("a missing bound not written with a parenthesis")
        void missingBound() {
            assertRefused("[,1.0]").hasMessageContaining("no lower bound must open with '('");
            assertRefused("[1.0,]").hasMessageContaining("no upper bound must end with ')'");
        }

        private static AbstractThrowableAssert<?, ? extends Throwable> assertRefused(String text) {
            return assertThatThrownBy(() -> VersionRange.parse(text))
                    .isInstanceOf(InvalidVersionException.class)
                    .hasMessageStartingWith("Invalid version range \"" + text + "\": ");
        }
    }

    @Nested
    @DisplayName("as a value")
    class AsValue {

        @ParameterizedTest(name = "\"{0}\"")
        @DisplayName("round-trips through toString() to an equal range that contains the same")
        @ValueSource(strings = {"[1.5,2.0)", "(,1.0]", "[1.0]", "[1.2,)", "[1.0,2.0),[3.0,)",
            "]1.0,2.0[", " ( 1 , 2 ] "})
        void roundTrips(String text) {
            VersionRange range = VersionRange.parse(text);
            VersionRange again = VersionRange.parse(range.toString());
            assertThat(range).hasToString(text);
            assertThat(again).isEqualTo(range).hasSameHashCodeAs(range);
            for (SemVer probe : PROBES) {
                assertThat(again.contains(probe)).isEqualTo(range.contains(probe));
            }
        }

        @Test
        @DisplayName("is equal by text, not by the versions it contains")
        void textIdentity() {
            assertThat(VersionRange.parse("[1.5,2.0)"))
                    .isNotEqualTo(VersionRange.parse(">=1.5.0 <2.0.0"))
                    .isNotEqualTo(VersionRange.parse("[1.5,2.0["));
        }
    }
}
