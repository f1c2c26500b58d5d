package dev.modelregistry;

import static dev.modelregistry.VersionRangeParser.invalid;

import dev.modelregistry.RangeComparator.Operator;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Desugars one node-semver comparator set, the text between two {@code ||}, into primitive
 * comparators the way node-semver's {@code Range} does: tilde, caret, x-range and hyphen forms
 * become {@code >=}/{@code <} pairs.
 */
final class ComparatorSetParser {

    private final String rangeText;
    private final String part;
    private final List<RangeComparator> out = new ArrayList<>();

    private ComparatorSetParser(String rangeText, String part) {
        this.rangeText = rangeText;
        this.part = part;
    }

    /**
     * The comparators of {@code part}, with build metadata already removed.
     *
     * @param rangeText the whole range, which error messages quote
     */
    static RangeComparator[] parse(String rangeText, String part) {
        return new ComparatorSetParser(rangeText, part).parseSet();
    }

    /** The operator written in front of a version in a range. */
    private enum Prefix {
        NONE(""), EQ("="), LT("<"), LE("<="), GT(">"), GE(">="), TILDE("~"), TILDE_GT("~>"),
        CARET("^");

        private final String symbol;

        Prefix(String symbol) {
            this.symbol = symbol;
        }

        /** The longest prefix {@code token} starts with; NONE when it starts with a version. */
        static Prefix of(String token) {
            if (token.startsWith("~>")) {
                return TILDE_GT;
            }
            if (token.startsWith(">=")) {
                return GE;
            }
            if (token.startsWith("<=")) {
                return LE;
            }
            return switch (token.isEmpty() ? ' ' : token.charAt(0)) {
                case '~' -> TILDE;
                case '^' -> CARET;
                case '>' -> GT;
                case '<' -> LT;
                case '=' -> EQ;
                default -> NONE;
            };
        }

        Operator operator() {
            return switch (this) {
                case LT -> Operator.LT;
                case LE -> Operator.LE;
                case GT -> Operator.GT;
                case GE -> Operator.GE;
                default -> Operator.EQ;
            };
        }
    }

    private RangeComparator[] parseSet() {
        List<String> tokens = tokens(part);
        int dash = tokens.indexOf("-");
        if (dash >= 0) {
            hyphen(tokens, dash);
        } else {
            for (String token : glueOperators(tokens)) {
                comparator(token);
            }
        }
        return normalise();
    }

    /**
     * Joins operators to the version after them, as node-semver's whitespace trimming does: a
     * {@code <}, {@code <=}, {@code >}, {@code >=} or {@code =} joins a following token that starts
     * like a version ({@code > =1.2.3} is {@code >=1.2.3}), then {@code ~}, {@code ~>} and
     * {@code ^} join whatever follows them.
     */
    private static List<String> glueOperators(List<String> tokens) {
        List<String> comparisons = new ArrayList<>();
        for (int i = 0; i < tokens.size(); i++) {
            String token = tokens.get(i);
            if (isComparisonOperator(token) && i + 1 < tokens.size()
                    && startsLikeVersion(tokens.get(i + 1))) {
                token += tokens.get(++i);
            }
            comparisons.add(token);
        }
        List<String> glued = new ArrayList<>();
        for (int i = 0; i < comparisons.size(); i++) {
            String token = comparisons.get(i);
            if ((token.equals("~") || token.equals("~>")) && i + 1 < comparisons.size()) {
                token = "~" + comparisons.get(++i);
            } else if (token.equals("^") && i + 1 < comparisons.size()) {
                token = "^" + comparisons.get(++i);
            }
            glued.add(token);
        }
        return glued;
    }

    private static boolean isComparisonOperator(String token) {
        return switch (token) {
            case "<", "<=", ">", ">=", "=" -> true;
            default -> false;
        };
    }

    /** Any run of {@code v} and {@code =}, then a digit or a wildcard. */
    private static boolean startsLikeVersion(String token) {
        int i = PartialVersion.prefixLength(token);
        if (i == token.length()) {
            return false;
        }
        char c = token.charAt(i);
        return (c >= '0' && c <= '9') || c == 'x' || c == 'X' || c == '*';
    }

    /**
     * node-semver's clean-up within a set: a comparator matching nothing replaces the whole set,
     * duplicates go, and "any" comparators are never stored, so an empty set is "any".
     */
    private RangeComparator[] normalise() {
        Map<String, RangeComparator> unique = new LinkedHashMap<>();
        for (RangeComparator c : out) {
            if (c.isNullSet()) {
                return new RangeComparator[] {c};
            }
            unique.putIfAbsent(c.key(), c);
        }
        return unique.values().toArray(new RangeComparator[0]);
    }

    private void comparator(String token) {
        Prefix prefix = Prefix.of(token);
        String versionText = token.substring(prefix.symbol.length());
        if (versionText.isEmpty()) {
            throw invalid(rangeText, "\"" + token + "\" has no version after the operator");
        }
        PartialVersion v = PartialVersion.parse(rangeText, versionText);
        switch (prefix) {
            case TILDE, TILDE_GT -> tilde(v);
            case CARET -> caret(v);
            default -> xRange(prefix.operator(), v);
        }
    }

    /** {@code ~1.2.3}: patch-level changes; {@code ~1}: minor-level changes. */
    private void tilde(PartialVersion v) {
        if (v.major() < 0) {
            return;
        }
        if (v.minor() < 0) {
            ge(v.major(), 0, 0);
            ltLowest(inc(v.major()), 0, 0);
        } else if (v.patch() < 0) {
            ge(v.major(), v.minor(), 0);
            ltLowest(v.major(), inc(v.minor()), 0);
        } else {
            ge(v.full());
            ltLowest(v.major(), inc(v.minor()), 0);
        }
    }

    /** {@code ^1.2.3}: changes that keep the left-most non-zero part. */
    private void caret(PartialVersion v) {
        int major = v.major();
        int minor = v.minor();
        if (major < 0) {
            return;
        }
        if (minor < 0) {
            ge(major, 0, 0);
            ltLowest(inc(major), 0, 0);
        } else if (v.patch() < 0) {
            ge(major, minor, 0);
            if (major == 0) {
                ltLowest(0, inc(minor), 0);
            } else {
                ltLowest(inc(major), 0, 0);
            }
        } else {
            ge(v.full());
            if (major != 0) {
                ltLowest(inc(major), 0, 0);
            } else if (minor != 0) {
                ltLowest(0, inc(minor), 0);
            } else {
                ltLowest(0, 0, inc(v.patch()));
            }
        }
    }

    /** Primitive comparators, where a partial version stands for all versions it matches. */
    private void xRange(Operator operator, PartialVersion v) {
        if (v.misordered()) {
            throw invalid(rangeText, "\"" + v.raw() + "\": a wildcard may only be followed by"
                    + " wildcards");
        }
        if (!v.anyWildcard()) {
            v.requireSimplePrefix(rangeText);
            // node-semver keeps the comparator as written here, so ">=0.0.0" is "any" but
            // ">=v0.0.0" is not; only pre-release 0.0.0 versions can tell the difference.
            if (!(operator == Operator.GE && v.raw().equals("0.0.0"))) {
                out.add(new RangeComparator(operator, v.full()));
            }
            return;
        }
        if (v.major() < 0) {
            if (operator == Operator.GT || operator == Operator.LT) {
                out.add(new RangeComparator(Operator.LT, RangeComparator.NULL_SET_BOUND));
            }
            return;
        }
        boolean minorWild = v.minor() < 0;
        int major = v.major();
        int minor = minorWild ? 0 : v.minor();
        switch (operator) {
            case EQ -> {
                if (minorWild) {
                    ge(major, 0, 0);
                    ltLowest(inc(major), 0, 0);
                } else {
                    ge(major, minor, 0);
                    ltLowest(major, inc(minor), 0);
                }
            }
            // >1 is >=2.0.0 and >1.2 is >=1.3.0: nothing in the named line qualifies.
            case GT -> {
                if (minorWild) {
                    ge(inc(major), 0, 0);
                } else {
                    ge(major, inc(minor), 0);
                }
            }
            // <=1.2 takes every 1.2.x, so it is <1.3.0-0.
            case LE -> {
                if (minorWild) {
                    ltLowest(inc(major), 0, 0);
                } else {
                    ltLowest(major, inc(minor), 0);
                }
            }
            case GE -> ge(major, minor, 0);
            case LT -> ltLowest(major, minor, 0);
        }
    }

    /**
     * {@code A - B}: inclusive at both ends, a partial upper end taking its whole line. A set with
     * a lone {@code -} must be exactly this; whitespace may only follow a {@code v} or {@code =}
     * prefix ({@code v 1 - 2}), as node-semver's hyphen pattern allows.
     */
    private void hyphen(List<String> tokens, int dash) {
        PartialVersion from = PartialVersion.parse(rangeText, hyphenEnd(tokens.subList(0, dash)));
        PartialVersion to = PartialVersion.parse(rangeText,
                hyphenEnd(tokens.subList(dash + 1, tokens.size())));
        if (from.major() >= 0) {
            if (from.minor() < 0) {
                ge(from.major(), 0, 0);
            } else if (from.patch() < 0) {
                ge(from.major(), from.minor(), 0);
            } else {
                from.requireSimplePrefix(rangeText);
                // Kept as written, like a typed comparator: see xRange on ">=0.0.0".
                if (!from.raw().equals("0.0.0")) {
                    out.add(new RangeComparator(Operator.GE, from.full()));
                }
            }
        }
        if (to.major() >= 0) {
            if (to.minor() < 0) {
                ltLowest(inc(to.major()), 0, 0);
            } else if (to.patch() < 0) {
                ltLowest(to.major(), inc(to.minor()), 0);
            } else {
                // node-semver rebuilds a pre-release upper end from its parts but keeps a release
                // as written, so only the latter must be a plain comparator.
                if (!to.full().isPreRelease()) {
                    to.requireSimplePrefix(rangeText);
                }
                out.add(new RangeComparator(Operator.LE, to.full()));
            }
        }
    }

    private String hyphenEnd(List<String> tokens) {
        if (tokens.isEmpty()) {
            throw invalid(rangeText, "a hyphen range needs a version on each side of \" - \"");
        }
        for (String token : tokens.subList(0, tokens.size() - 1)) {
            if (PartialVersion.prefixLength(token) != token.length()) {
                throw invalid(rangeText, "\"-\" must stand alone between two versions");
            }
        }
        return String.join(" ", tokens);
    }

    /** {@code >=M.m.p}; {@code >=0.0.0} is "any" and is not stored, as in node-semver. */
    private void ge(int major, int minor, int patch) {
        if (major != 0 || minor != 0 || patch != 0) {
            out.add(new RangeComparator(Operator.GE, SemVer.bound(major, minor, patch, false)));
        }
    }

    private void ge(SemVer version) {
        if (version.isPreRelease() || version.major() != 0 || version.minor() != 0
                || version.patch() != 0) {
            out.add(new RangeComparator(Operator.GE, version));
        }
    }

    /** {@code <M.m.p-0}: below every version of that tuple, pre-releases included. */
    private void ltLowest(int major, int minor, int patch) {
        out.add(new RangeComparator(Operator.LT, SemVer.bound(major, minor, patch, true)));
    }

    private int inc(int part) {
        if (part == Integer.MAX_VALUE) {
            throw invalid(rangeText, "a bound would exceed " + Integer.MAX_VALUE);
        }
        return part + 1;
    }

    /** Splits on runs of whitespace, as node-semver does after trimming. */
    private static List<String> tokens(String text) {
        List<String> tokens = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            while (i < text.length() && SemVer.isWhitespace(text.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < text.length() && !SemVer.isWhitespace(text.charAt(i))) {
                i++;
            }
            if (i > start) {
                tokens.add(text.substring(start, i));
            }
        }
        return tokens;
    }
}
