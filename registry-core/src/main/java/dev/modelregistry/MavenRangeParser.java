package dev.modelregistry;

import static dev.modelregistry.VersionRangeParser.invalid;

import dev.modelregistry.RangeComparator.Operator;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads Maven's interval syntax ({@code [1.5,2.0)}, {@code (,1.0]}, {@code [1.0]},
 * {@code [1.0,2.0),[3.0,)}), with Ivy's reversed brackets as aliases for the exclusive ends
 * ({@code ]1.0,2.0[}), into comparator sets: one set per interval. The rules are documented on
 * {@link VersionRange}.
 *
 * <p>Semver4j 5.8.0 was checked for this and is not used: its only interval support, the
 * {@code IvyProcessor} of its npm range pipeline, drops the upper end of {@code [1.5,2.0)} (giving
 * {@code >=1.5.0}), turns {@code (1.0,2.0)}, {@code (,1.0)}, {@code [1.0]} and comma-separated
 * unions into a range that matches nothing, and throws {@link NumberFormatException} on a number
 * beyond {@code int}. The Ivy spellings it does translate are its oracle in the tests.
 */
final class MavenRangeParser {

    private static final String NO_BOUND = "an interval needs at least one bound; * means any"
            + " release";

    private final String text;
    private int pos;

    private MavenRangeParser(String text) {
        this.text = text;
    }

    /** True when {@code text} opens, after any whitespace, with {@code [}, {@code (} or {@code ]}. */
    static boolean isIntervalSyntax(String text) {
        int i = 0;
        while (i < text.length() && SemVer.isWhitespace(text.charAt(i))) {
            i++;
        }
        return i < text.length() && isOpening(text.charAt(i));
    }

    /** One comparator set per interval, in the order written. */
    static List<RangeComparator[]> parse(String text) {
        return new MavenRangeParser(text).intervals();
    }

    private List<RangeComparator[]> intervals() {
        List<RangeComparator[]> sets = new ArrayList<>();
        skipWhitespace();
        while (true) {
            sets.add(interval());
            skipWhitespace();
            if (pos == text.length()) {
                return sets;
            }
            if (text.charAt(pos) != ',') {
                throw invalid(text, "expected ',' between intervals at index " + pos
                        + "; interval and npm syntax do not mix");
            }
            pos++;
            skipWhitespace();
            if (pos == text.length()) {
                throw invalid(text, "a ',' must be followed by another interval");
            }
        }
    }

    private RangeComparator[] interval() {
        char open = text.charAt(pos);
        if (!isOpening(open)) {
            throw invalid(text, "expected '[', '(' or ']' at index " + pos);
        }
        int close = pos + 1;
        while (close < text.length() && !isClosing(text.charAt(close))) {
            close++;
        }
        if (close == text.length()) {
            throw invalid(text, "the interval at index " + pos + " is not closed");
        }
        String inner = text.substring(pos + 1, close);
        char end = text.charAt(close);
        pos = close + 1;
        int comma = inner.indexOf(',');
        if (comma < 0) {
            if (SemVer.strip(inner).isEmpty()) {
                throw invalid(text, NO_BOUND);
            }
            if (open != '[' || end != ']') {
                throw invalid(text, "a single version is written [VERSION]");
            }
            SemVer exact = bound(SemVer.strip(inner));
            return new RangeComparator[] {new RangeComparator(Operator.EQ, exact)};
        }
        if (inner.indexOf(',', comma + 1) >= 0) {
            throw invalid(text, "an interval has at most two bounds");
        }
        String lowerText = SemVer.strip(inner.substring(0, comma));
        String upperText = SemVer.strip(inner.substring(comma + 1));
        if (lowerText.isEmpty() && upperText.isEmpty()) {
            throw invalid(text, NO_BOUND);
        }
        if (lowerText.isEmpty() && open != '(') {
            throw invalid(text, "an interval with no lower bound must open with '('");
        }
        if (upperText.isEmpty() && end != ')') {
            throw invalid(text, "an interval with no upper bound must end with ')'");
        }
        SemVer lower = lowerText.isEmpty() ? null : bound(lowerText);
        SemVer upper = upperText.isEmpty() ? null : bound(upperText);
        boolean bothInclusive = open == '[' && end == ']';
        if (lower != null && upper != null) {
            int c = lower.compareTo(upper);
            if (c > 0 || (c == 0 && !bothInclusive)) {
                throw invalid(text, "the interval " + open + inner + end + " contains no version");
            }
        }
        List<RangeComparator> comparators = new ArrayList<>(2);
        if (lower != null) {
            comparators.add(new RangeComparator(open == '[' ? Operator.GE : Operator.GT, lower));
        }
        if (upper != null) {
            comparators.add(new RangeComparator(end == ']' ? Operator.LE : Operator.LT, upper));
        }
        return comparators.toArray(new RangeComparator[0]);
    }

    /**
     * {@code MAJOR[.MINOR[.PATCH]]}, missing parts being 0: {@code 2} and {@code 2.0} are both
     * {@code 2.0.0}. Numbers follow the npm rules (no leading zeros, at most {@code int}).
     */
    private SemVer bound(String written) {
        for (int i = 0; i < written.length(); i++) {
            char c = written.charAt(i);
            if ((c < '0' || c > '9') && c != '.') {
                throw invalid(text, "bound \"" + written + "\" must be MAJOR[.MINOR[.PATCH]];"
                        + " qualifiers, pre-releases and wildcards are not supported in intervals");
            }
        }
        String[] parts = written.split("\\.", -1);
        if (parts.length > 3) {
            throw invalid(text, "bound \"" + written + "\" has more than three parts");
        }
        int[] numbers = new int[3];
        for (int i = 0; i < parts.length; i++) {
            if (parts[i].isEmpty()) {
                throw invalid(text, "bound \"" + written + "\" has an empty part");
            }
            numbers[i] = PartialVersion.number(text, parts[i], written);
        }
        return SemVer.of(numbers[0], numbers[1], numbers[2]);
    }

    private void skipWhitespace() {
        while (pos < text.length() && SemVer.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    private static boolean isOpening(char c) {
        return c == '[' || c == '(' || c == ']';
    }

    private static boolean isClosing(char c) {
        return c == ']' || c == ')' || c == '[';
    }
}
