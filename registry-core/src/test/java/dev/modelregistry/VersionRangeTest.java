package dev.modelregistry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

@DisplayName("A version range")
class VersionRangeTest {

    @Nested
    @DisplayName("agrees with node-semver's own fixtures")
    class NodeSemverFixtures {

        @ParameterizedTest(name = "\"{0}\" contains {1}")
        @MethodSource("dev.modelregistry.VersionRangeTest#rangeIncludes")
        @DisplayName("every version of range-include.js is in its range")
        void includes(String range, String version) {
            assertThat(VersionRange.parse(range).contains(SemVer.parse(version))).isTrue();
        }

        @ParameterizedTest(name = "\"{0}\" does not contain {1}")
        @MethodSource("dev.modelregistry.VersionRangeTest#rangeExcludes")
        @DisplayName("no version of range-exclude.js is in its range")
        void excludes(String range, String version) {
            assertThat(VersionRange.parse(range).contains(SemVer.parse(version))).isFalse();
        }

        @ParameterizedTest(name = "\"{0}\" desugars to {1}")
        @MethodSource("dev.modelregistry.VersionRangeTest#rangeParses")
        @DisplayName("every range of range-parse.js desugars to node-semver's comparators")
        void desugars(String range, String expected) {
            if (expected.equals("null")) {
                assertThatThrownBy(() -> VersionRange.parse(range))
                        .isInstanceOf(InvalidVersionException.class);
            } else {
                assertThat(VersionRange.parse(range).desugared()).isEqualTo(expected);
            }
        }
    }

    @Nested
    @DisplayName("desugars like node-semver")
    class Desugaring {

        @ParameterizedTest(name = "\"{0}\" desugars to {1}")
        @DisplayName("tilde, caret, x-range, hyphen and primitive forms")
        @CsvSource(delimiter = ';', textBlock = """
                ~1.2.3;              >=1.2.3 <1.3.0-0
                ~1.2;                >=1.2.0 <1.3.0-0
                ~1;                  >=1.0.0 <2.0.0-0
                ~0.2.3;              >=0.2.3 <0.3.0-0
                ~0;                  <1.0.0-0
                ~1.2.3-beta.2;       >=1.2.3-beta.2 <1.3.0-0
                ~1.x.3;              >=1.0.0 <2.0.0-0
                ~*;                  *
                ^1.2.3;              >=1.2.3 <2.0.0-0
                ^0.2.3;              >=0.2.3 <0.3.0-0
                ^0.0.3;              >=0.0.3 <0.0.4-0
                ^1.2.3-beta.2;       >=1.2.3-beta.2 <2.0.0-0
                ^0.0.3-beta;         >=0.0.3-beta <0.0.4-0
                ^0.2.3-beta;         >=0.2.3-beta <0.3.0-0
                ^1.2.x;              >=1.2.0 <2.0.0-0
                ^0.0.x;              <0.1.0-0
                ^0.0;                <0.1.0-0
                ^0.1.x;              >=0.1.0 <0.2.0-0
                ^1.x;                >=1.0.0 <2.0.0-0
                ^0.x;                <1.0.0-0
                ^*;                  *
                1.2.3 - 2.3.4;       >=1.2.3 <=2.3.4
                1.2 - 2.3.4;         >=1.2.0 <=2.3.4
                1.2.3 - 2.3;         >=1.2.3 <2.4.0-0
                1.2.3 - 2;           >=1.2.3 <3.0.0-0
                1.2.3-rc.1 - 2.0.0-rc.2; >=1.2.3-rc.1 <=2.0.0-rc.2
                x - x;               *
                0.0.0 - 1.0.0;       <=1.0.0
                v0.0.0 - 1.0.0;      >=0.0.0 <=1.0.0
                >1.2;                >=1.3.0
                >1;                  >=2.0.0
                >=1.2;               >=1.2.0
                <1.2;                <1.2.0-0
                <=1.2;               <1.3.0-0
                <=1;                 <2.0.0-0
                <=0.7.x;             <0.8.0-0
                >=1.2.x;             >=1.2.0
                >=0;                 *
                =1.x;                >=1.0.0 <2.0.0-0
                =*;                  *
                <=*;                 *
                <*;                  <0.0.0-0
                >*;                  <0.0.0-0
                ^1.x.3;              >=1.0.0 <2.0.0-0
                x.1 - 2;             <3.0.0-0
                1.2.x-beta;          >=1.2.0 <1.3.0-0
                *.*.*-beta;          *
                v1.2.3;              1.2.3
                =1.2.3;              1.2.3
                = 1.2.3;             1.2.3
                >=v1.2.3;            >=1.2.3
                = v1.2.3;            1.2.3
                >= v1.2.3;           >=1.2.3
                1.2.3+build.5;       1.2.3
                >=1.2.3+build.5;     >=1.2.3
                1+build;             >=1.0.0 <2.0.0-0
                ^1.2+b.7;            >=1.2.0 <2.0.0-0
                1.2.3 +build;        1.2.3
                1.2.3 - 2.0.0+b;     >=1.2.3 <=2.0.0
                >=0.0.0+b <=0.0.0-beta; <=0.0.0-beta
                >=0.0.0;             *
                >=0.0.0 <=0.0.0-beta;  <=0.0.0-beta
                >=v0.0.0 <=0.0.0-beta; >=0.0.0 <=0.0.0-beta
                >=1.2.3 >=1.2.3;     >=1.2.3
                * 1.2.3;             1.2.3
                1.2.3 <0.0.0-0;      <0.0.0-0
                1.2.3 ||;            *
                <1.0.0 || >=2.0.0;   <1.0.0||>=2.0.0
                >x || 1.2.3;         1.2.3
                >x || <x;            <0.0.0-0
                ~> 1.2;              >=1.2.0 <1.3.0-0
                > =1.2.3;            >=1.2.3
                ~ >1;                >=1.0.0 <2.0.0-0
                ~ = 1;               >=1.0.0 <2.0.0-0
                v=10;                >=10.0.0 <11.0.0-0
                ==1.x;               >=1.0.0 <2.0.0-0
                >==1;                >=1.0.0
                ~=x;                 *
                ~v=1.2.3;            >=1.2.3 <1.3.0-0
                ^=v1.2.3-rc.1;       >=1.2.3-rc.1 <2.0.0-0
                =1 - 2;              >=1.0.0 <3.0.0-0
                v 1 - 2;             >=1.0.0 <3.0.0-0
                1 - v=2.0.0-rc.1;    >=1.0.0 <=2.0.0-rc.1
                2147483647.2147483647.2147483647; 2147483647.2147483647.2147483647
                """)
        void desugars(String range, String expected) {
            assertThat(VersionRange.parse(range).desugared()).isEqualTo(expected);
        }

        @Test
        @DisplayName("the empty range and a blank range mean any release")
        void emptyMeansAny() {
            assertThat(VersionRange.parse("").desugared()).isEqualTo("*");
            assertThat(VersionRange.parse(" \t ").desugared()).isEqualTo("*");
            assertThat(VersionRange.parse("").contains(SemVer.parse("0.0.0"))).isTrue();
        }

        @Test
        @DisplayName("any run of whitespace, tabs and newlines included, separates comparators")
        void whitespace() {
            VersionRange range = VersionRange.parse("  >= 1.2.3 \t\n <\u00A02.0.0  ");
            assertThat(range.desugared()).isEqualTo(">=1.2.3 <2.0.0");
        }
    }

    @Nested
    @DisplayName("contains")
    class Contains {

        @ParameterizedTest(name = "\"{0}\" contains {1}: {2}")
        @DisplayName("a version exactly when node-semver's satisfies() says so")
        @CsvSource(delimiter = ';', textBlock = """
                >1.2.3-alpha.3;          1.2.3-alpha.7;   true
                >1.2.3-alpha.3;          1.2.3-alpha.3;   false
                >1.2.3-alpha.3;          3.4.5-alpha.9;   false
                >1.2.3-alpha.3;          3.4.5;           true
                ^1.2.3-beta.2;           1.2.3-beta.4;    true
                ^1.2.3-beta.2;           1.2.3-beta.10;   true
                ^1.2.3-beta.2;           1.2.3-beta.1;    false
                ^1.2.3-beta.2;           1.2.3;           true
                ^1.2.3-beta.2;           1.2.4;           true
                ^1.2.3-beta.2;           1.2.4-beta.2;    false
                ^1.2.3-beta.2;           2.0.0-beta.1;    false
                ~1.2.3-beta.2;           1.2.3-beta.4;    true
                ~1.2.3-beta.2;           1.2.4-beta.2;    false
                ~1.2.3-beta.2;           1.2.5;           true
                ~1.2.3-beta.2;           1.3.0;           false
                ^0.0.3-beta;             0.0.3-pr.2;      true
                ^0.0.3-beta;             0.0.3-alpha;     false
                ^0.0.3-beta;             0.0.3;           true
                ^0.0.3-beta;             0.0.4;           false
                >=1.2.3-alpha <1.2.3;    1.2.3-beta;      true
                >=1.2.3 <=1.2.3-rc.1;    1.2.3-alpha;     false
                1.2.3-rc.1;              1.2.3-rc.1;      true
                1.2.3-rc.1;              1.2.3-rc.1+b.9;  true
                1.2.3-rc.1;              1.2.3-rc.2;      false
                *;                       1.0.0-alpha;     false
                '';                      1.0.0-alpha;     false
                x;                       0.0.0;           true
                ^1.2.3;                  1.2.3;           true
                ^1.2.3;                  1.99.99;         true
                ^1.2.3;                  2.0.0;           false
                ^1.2.3;                  1.2.2;           false
                ^0.2.3;                  0.2.9;           true
                ^0.2.3;                  0.3.0;           false
                ^0.2.3;                  0.2.2;           false
                ^0.0.3;                  0.0.3;           true
                ^0.0.3;                  0.0.4;           false
                ^1.2.x;                  1.9.0;           true
                ^1.2.x;                  1.1.9;           false
                ^0.0.x;                  0.0.7;           true
                ^0.0.x;                  0.1.0;           false
                ^0.0;                    0.0.9;           true
                ^0.0;                    0.1.0;           false
                ^1.x;                    1.99.0;          true
                ^1.x;                    2.0.0;           false
                ^0.x;                    0.99.0;          true
                ^0.x;                    1.0.0;           false
                ~1.2.3;                  1.2.99;          true
                ~1.2.3;                  1.3.0;           false
                ~1.2.3;                  1.2.2;           false
                ~1.2;                    1.2.0;           true
                ~1;                      1.99.0;          true
                ~1;                      2.0.0;           false
                ~0.2.3;                  0.2.5;           true
                ~0.2.3;                  0.3.0;           false
                1.2 - 2.3.4;             1.2.0;           true
                1.2 - 2.3.4;             2.3.4;           true
                1.2 - 2.3.4;             2.3.5;           false
                1.2 - 2.3.4;             1.1.9;           false
                1.2.3 - 2.3;             2.3.99;          true
                1.2.3 - 2.3;             2.4.0;           false
                1.2.3 - 2;               2.99.99;         true
                1.2.3 - 2;               3.0.0;           false
                1.2.3 - 2;               1.2.2;           false
                1.2.3-rc.1 - 2.0.0-rc.2; 2.0.0-rc.1;      true
                1.2.3-rc.1 - 2.0.0-rc.2; 2.0.0;           false
                1.2.3-rc.1 - 2.0.0-rc.2; 1.5.0-rc.1;      false
                >1.2;                    1.3.0;           true
                >1.2;                    1.2.99;          false
                <=1.2;                   1.2.99;          true
                <=1.2;                   1.3.0;           false
                <=1.2;                   1.3.0-alpha;     false
                <1.2;                    1.1.9;           true
                <1.2;                    1.2.0-beta;      false
                <1.2;                    1.1.9-beta;      false
                >=1;                     1.0.0;           true
                >=1;                     0.9.9;           false
                <1;                      0.99.99;         true
                >= 1.2.3;                1.2.3;           true
                >=1.2.3   <2.0.0;        1.9.9;           true
                '  ^1.2.3  ';            1.5.0;           true
                v1.2.3;                  1.2.3;           true
                >=v1.2.3;                1.2.3;           true
                ^v1.2.3;                 1.9.0;           true
                ~v1.2.3;                 1.2.9;           true
                =1.2.3;                  1.2.3;           true
                1.2.3+build.5;           1.2.3+other;     true
                <1.0.0 || >=2.0.0;       1.5.0;           false
                <1.0.0 || >=2.0.0;       0.9.0;           true
                <1.0.0 || >=2.0.0;       2.0.0;           true
                1.2.3 ||;                9.9.9;           true
                >x;                      1.0.0;           false
                <*;                      0.0.0;           false
                >=0.0.0 <=0.0.0-beta;    0.0.0-alpha;     true
                >=v0.0.0 <=0.0.0-beta;   0.0.0-alpha;     false
                >=2147483647.0.0;        2147483647.2147483647.2147483647; true
                """)
        void matchesNodeSemver(String range, String version, boolean expected) {
            assertThat(VersionRange.parse(range).contains(SemVer.parse(version))).isEqualTo(expected);
        }

        @Test
        @DisplayName("allocates nothing, as registries call it once per stored version")
        void allocatesNothing() {
            assumeTrue(ManagementFactory.getThreadMXBean()
                    instanceof com.sun.management.ThreadMXBean);
            com.sun.management.ThreadMXBean threads =
                    (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            assumeTrue(threads.isThreadAllocatedMemorySupported()
                    && threads.isThreadAllocatedMemoryEnabled());
            VersionRange range = VersionRange.parse("^1.2.3-beta.2 || ~2.4 || >=3.0.0 <3.5.0-0");
            SemVer[] candidates = {SemVer.parse("1.2.3-beta.4"), SemVer.parse("1.2.4-beta.1"),
                SemVer.parse("2.4.7"), SemVer.parse("3.6.0"), SemVer.parse("0.1.0")};
            int hits = 0;
            for (int i = 0; i < 20_000; i++) {
                hits += range.contains(candidates[i % candidates.length]) ? 1 : 0;
            }
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 100_000; i++) {
                hits += range.contains(candidates[i % candidates.length]) ? 1 : 0;
            }
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            assertThat(hits).isEqualTo(120_000 * 2 / 5);
            // One allocation per call would be at least 1.6 MB; the slack covers the JVM itself.
            assertThat(allocated).isLessThan(64 * 1024);
        }
    }

    @Nested
    @DisplayName("refuses")
    class Invalid {

        @ParameterizedTest(name = "\"{0}\"")
        @DisplayName("text that node-semver refuses too, naming it in the message")
        @ValueSource(strings = {
            ">=1.2.3 <", "1.2.3 - ", "1.2.3 -", "- 1.2.3", "1.2.3 - 2.0.0 - 3.0.0", "^^1", "~~1",
            "1.2.3.4", "1.2.3.x", ">01.02.03", "01", "1.02", "~1.2.3beta", "1.2.3-01", ">=1.2.3-",
            "1.2.3+", "1.2.3-beta+", "1.2.3+a..b", "1.2-beta", "1-beta", "1.x-beta", "1.x-beta+b",
            "1.2.3-beta_1", "foo", "a.b.c", "x.y.z", ">", "<=", "~", "^", "=", "~>", ">= >=1.2.3",
            ">=1.2.3<2.0.0", "1.2.3 | 2.0.0", "|||", "!=1.2.3", "==1.2.3", "=>1.2.3", "V1.2.3",
            "vv1.2.3", "v=1.2.3", "v 1.2.3", ">=v 1.2.3", ">==1.2.3", "=1.2.3 - 2", "1 - =2.0.0",
            "v 1.2.3 - 2", "1 - 2 - 3", "1 .2", "1.", "1.2.", "*.", "**", "1.x.3", "x.1",
            ">=1.x.3", "<x.x.1", "1.2.3 >*1"
        })
        void invalid(String text) {
            assertThatThrownBy(() -> VersionRange.parse(text))
                    .isInstanceOf(InvalidVersionException.class)
                    .hasMessageStartingWith("Invalid version range \"" + text + "\": ");
        }

        @ParameterizedTest(name = "\"{0}\"")
        @DisplayName("numbers beyond int, which node-semver allows up to 2^53")
        @ValueSource(strings = {
            "2147483648", "1.2147483648", "1.2.3 - 99999999999", "^2147483647.0.0",
            ">1.2147483647", "<=2147483647", "~1.2147483647.0"
        })
        void beyondInt(String text) {
            assertThatThrownBy(() -> VersionRange.parse(text))
                    .isInstanceOf(InvalidVersionException.class)
                    .hasMessageStartingWith("Invalid version range \"" + text + "\": ");
        }

        @ParameterizedTest(name = "\"{0}\"")
        @DisplayName("garbage that node-semver's regex rewriting happens to turn into a range")
        @ValueSource(strings = {"1.2.3*", "*1.2.3", "<*1.2.3", "^= 1.2.3"})
        void rewritingAccidents(String text) {
            assertThatThrownBy(() -> VersionRange.parse(text))
                    .isInstanceOf(InvalidVersionException.class);
        }

        @Test
        @DisplayName("null")
        void nullText() {
            assertThatThrownBy(() -> VersionRange.parse(null))
                    .isInstanceOf(InvalidVersionException.class)
                    .hasMessageContaining("null");
        }

        @Test
        @DisplayName("text longer than MAX_LENGTH, quoting only its start")
        void tooLong() {
            String text = ">=1.0.0" + " ".repeat(VersionRange.MAX_LENGTH);
            assertThatThrownBy(() -> VersionRange.parse(text))
                    .isInstanceOf(InvalidVersionException.class)
                    .hasMessageStartingWith("Invalid version range \">=1.0.0 ")
                    .hasMessageContaining("longer than " + VersionRange.MAX_LENGTH);
        }

        @Test
        @DisplayName("a version too broken for its comparator, saying why")
        void explainsTheVersion() {
            assertThatThrownBy(() -> VersionRange.parse("^1.2.3-01"))
                    .hasMessageContaining("leading zeros");
        }
    }

    @Nested
    @DisplayName("as a value")
    class AsValue {

        @Test
        @DisplayName("prints, and is equal by, the text it was parsed from")
        void textIdentity() {
            VersionRange range = VersionRange.parse(">= 1.2  <2");
            assertThat(range).hasToString(">= 1.2  <2");
            assertThat(range).isEqualTo(VersionRange.parse(">= 1.2  <2"));
            assertThat(range).hasSameHashCodeAs(VersionRange.parse(">= 1.2  <2"));
            assertThat(range).isNotEqualTo(VersionRange.parse(">=1.2.0 <2.0.0-0"));
        }

        @Test
        @DisplayName("is a plain JSON string")
        void json() throws IOException {
            ObjectMapper mapper = new ObjectMapper();
            VersionRange range = VersionRange.parse("^1.2 || ~2.0.1");
            String json = mapper.writeValueAsString(range);
            assertThat(json).isEqualTo("\"^1.2 || ~2.0.1\"");
            assertThat(mapper.readValue(json, VersionRange.class)).isEqualTo(range);
            assertThatThrownBy(() -> mapper.readValue("\"^^1\"", VersionRange.class))
                    .isInstanceOf(ValueInstantiationException.class)
                    .hasRootCauseInstanceOf(InvalidVersionException.class);
        }
    }

    static Stream<Arguments> rangeIncludes() throws IOException {
        return pairs("range-include.txt", "|", true);
    }

    static Stream<Arguments> rangeExcludes() throws IOException {
        return pairs("range-exclude.txt", "|", true);
    }

    static Stream<Arguments> rangeParses() throws IOException {
        return pairs("range-parse.txt", "=>", false);
    }

    /**
     * Reads a fixture of {@code LEFT <separator> RIGHT} lines, skipping blanks and {@code #}
     * comments. Ranges may contain {@code ||}, so the include and exclude fixtures split on the
     * last {@code |} (versions never contain one).
     */
    private static Stream<Arguments> pairs(String file, String separator, boolean splitOnLast)
            throws IOException {
        List<Arguments> cases = new ArrayList<>();
        try (InputStream in = VersionRangeTest.class.getResourceAsStream("/node-semver/" + file)) {
            assertThat(in).as(file).isNotNull();
            BufferedReader reader = new BufferedReader(new InputStreamReader(in,
                    StandardCharsets.UTF_8));
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                int at = splitOnLast ? line.lastIndexOf(separator) : line.indexOf(separator);
                String left = line.substring(0, at).strip().replace("\\t", "\t");
                String right = line.substring(at + separator.length()).strip();
                cases.add(Arguments.of(left, right));
            }
        }
        assertThat(cases).as(file).isNotEmpty();
        return cases.stream();
    }
}
