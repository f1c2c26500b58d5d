package dev.modelregistry;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A set of versions written in npm's <a href="https://github.com/npm/node-semver#ranges">node-semver
 * range syntax</a>, such as {@code ^1.2}, {@code ~1.2.3}, {@code >=1.0.0 <2.0.0 || 3.x} or
 * {@code 1.2 - 2.3.4}, with node-semver's default (not loose, no {@code includePrerelease})
 * meaning, so that a range copied from a {@code package.json} selects the same versions here.
 *
 * <p>The text is desugared once, the way node-semver's {@code Range} does, into comparator sets: a
 * version is in the range when it satisfies every comparator of at least one set. npm's pre-release
 * rule applies: a version with a pre-release tag is in a set only when some comparator of that set
 * has a pre-release on the same {@code major.minor.patch} tuple, so {@code ^1.2.3-beta.2} contains
 * {@code 1.2.3-beta.4} but not {@code 1.2.4-beta.1}, and {@code *} contains no pre-release at all.
 *
 * <p>Supported: the primitive comparators {@code <}, {@code <=}, {@code >}, {@code >=}, {@code =}
 * and bare versions (whitespace may follow the operator, a leading {@code v} is accepted);
 * comparator sets separated by whitespace (AND) and {@code ||} (OR); x-ranges {@code *}, {@code x},
 * {@code X}, {@code 1.x}, {@code 1.2.*}, partial versions {@code 1}, {@code 1.2}, and the empty
 * range meaning any release; tilde ({@code ~} and its alias {@code ~>}), caret ({@code ^}) and
 * hyphen ranges. Build metadata is ignored, as node-semver strips it before parsing.
 *
 * <p>Two deliberate differences from node-semver 7.8: every number must fit in an {@code int}
 * (node-semver allows up to 2<sup>53</sup>), and a few strings that node-semver's regex rewriting
 * happens to turn into ranges, such as {@code 1.2.3*} or {@code *1.2.3}, are refused.
 *
 * <p>Equality and {@link #toString()} use the original text, which is also the JSON form.
 */
public final class VersionRange {

    /** The longest range text accepted; longer text is refused rather than parsed. */
    public static final int MAX_LENGTH = 1024;

    private static final Comparator[] ANY = new Comparator[0];
    private static final SemVer NULL_SET_BOUND = SemVer.bound(0, 0, 0, true);

    private final String text;
    private final Comparator[][] sets;

    private VersionRange(String text, Comparator[][] sets) {
        this.text = text;
        this.sets = sets;
    }

    /**
     * Parses node-semver range text, so that {@link #contains(SemVer)} never parses again.
     *
     * @param text the range; the empty string (or only whitespace) means any release
     * @return the range; never null
     * @throws InvalidVersionException if {@code text} is null, longer than {@link #MAX_LENGTH}, or
     *     not a range node-semver accepts without its {@code loose} option; the message quotes the
     *     text
     */
    @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
    public static VersionRange parse(String text) {
        if (text == null) {
            throw new InvalidVersionException("Invalid version range null: a range text is required");
        }
        if (text.length() > MAX_LENGTH) {
            throw invalid(SemVer.abbreviate(text), "longer than " + MAX_LENGTH + " characters");
        }
        List<Comparator[]> parsed = new ArrayList<>();
        int from = 0;
        while (true) {
            int bar = text.indexOf("||", from);
            String part = bar < 0 ? text.substring(from) : text.substring(from, bar);
            parsed.add(new SetParser(text, stripBuildMetadata(part)).parse());
            if (bar < 0) {
                break;
            }
            from = bar + 2;
        }
        return new VersionRange(text, simplify(parsed));
    }

    /**
     * True when {@code version} satisfies every comparator of at least one comparator set and, if
     * it is a pre-release, that set names a pre-release of the same {@code major.minor.patch}.
     * Allocates nothing, because registries call it once per stored version when resolving.
     */
    public boolean contains(SemVer version) {
        for (Comparator[] set : sets) {
            if (testSet(set, version)) {
                return true;
            }
        }
        return false;
    }

    /** The text this range was parsed from, unchanged; also its JSON form. */
    @JsonValue
    @Override
    public String toString() {
        return text;
    }

    /** Equal when parsed from the same text, even if two different texts mean the same set. */
    @Override
    public boolean equals(Object o) {
        return o == this || (o instanceof VersionRange other && text.equals(other.text));
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    /**
     * The desugared comparator sets in node-semver's format, as {@code semver.validRange} prints
     * them ({@code ^1.2} gives {@code >=1.2.0 <2.0.0-0}, any version gives {@code *}), so tests can
     * check the desugaring against node-semver's own fixtures.
     */
    String desugared() {
        StringBuilder sb = new StringBuilder();
        for (int s = 0; s < sets.length; s++) {
            if (s > 0) {
                sb.append("||");
            }
            for (int c = 0; c < sets[s].length; c++) {
                if (c > 0) {
                    sb.append(' ');
                }
                sb.append(sets[s][c].key());
            }
        }
        return sb.isEmpty() ? "*" : sb.toString();
    }

    /**
     * Removes every {@code +identifiers} group, as node-semver does before it desugars a set:
     * build metadata never affects which versions match, so {@code >=0.0.0+b} is {@code >=0.0.0}
     * and {@code 1+b} is {@code 1}. A {@code +} not followed by an identifier stays, and fails later.
     */
    private static String stripBuildMetadata(String part) {
        int plus = part.indexOf('+');
        if (plus < 0) {
            return part;
        }
        StringBuilder sb = new StringBuilder(part.length());
        int copied = 0;
        while (plus >= 0) {
            int end = plus + 1;
            while (end < part.length() && isIdentifierChar(part.charAt(end))) {
                end++;
            }
            if (end > plus + 1) {
                while (end + 1 < part.length() && part.charAt(end) == '.'
                        && isIdentifierChar(part.charAt(end + 1))) {
                    end++;
                    while (end < part.length() && isIdentifierChar(part.charAt(end))) {
                        end++;
                    }
                }
                sb.append(part, copied, plus);
                copied = end;
            }
            plus = part.indexOf('+', end);
        }
        return sb.append(part, copied, part.length()).toString();
    }

    private static boolean isIdentifierChar(char c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-';
    }

    private static boolean testSet(Comparator[] set, SemVer version) {
        for (Comparator comparator : set) {
            if (!comparator.test(version)) {
                return false;
            }
        }
        if (!version.isPreRelease()) {
            return true;
        }
        // A pre-release is only wanted by a set that opts in on its exact tuple: >=1.2.3-beta.2
        // lets 1.2.3-beta.4 in, but nobody asked for 1.2.4-alpha.notready.
        for (Comparator comparator : set) {
            SemVer allowed = comparator.version();
            if (allowed.isPreRelease()
                    && allowed.major() == version.major()
                    && allowed.minor() == version.minor()
                    && allowed.patch() == version.patch()) {
                return true;
            }
        }
        return false;
    }

    /**
     * node-semver's clean-up across sets: when there are several, sets that match nothing are
     * dropped (unless all do) and a set that matches everything swallows the rest. Membership is
     * unchanged; the point is a shorter {@link #desugared()} form and a faster {@link #contains}.
     */
    private static Comparator[][] simplify(List<Comparator[]> parsed) {
        if (parsed.size() == 1) {
            return parsed.toArray(new Comparator[0][]);
        }
        List<Comparator[]> kept = new ArrayList<>();
        for (Comparator[] set : parsed) {
            if (!isNullSet(set)) {
                kept.add(set);
            }
        }
        if (kept.isEmpty()) {
            return new Comparator[][] {parsed.get(0)};
        }
        for (Comparator[] set : kept) {
            if (set.length == 0) {
                return new Comparator[][] {ANY};
            }
        }
        return kept.toArray(new Comparator[0][]);
    }

    private static boolean isNullSet(Comparator[] set) {
        return set.length == 1 && set[0].isNullSet();
    }

    private static InvalidVersionException invalid(String text, String reason) {
        return new InvalidVersionException("Invalid version range \"" + text + "\": " + reason);
    }

    private enum Operator {
        EQ(""), LT("<"), LE("<="), GT(">"), GE(">=");

        private final String symbol;

        Operator(String symbol) {
            this.symbol = symbol;
        }
    }

    /** One primitive comparison, the unit node-semver desugars every range into. */
    private record Comparator(Operator operator, SemVer version) {

        boolean test(SemVer candidate) {
            int c = candidate.compareTo(version);
            return switch (operator) {
                case EQ -> c == 0;
                case LT -> c < 0;
                case LE -> c <= 0;
                case GT -> c > 0;
                case GE -> c >= 0;
            };
        }

        /** {@code <0.0.0-0}: below the lowest possible version, so it matches nothing. */
        boolean isNullSet() {
            return operator == Operator.LT && version.equals(NULL_SET_BOUND);
        }

        /** node-semver's {@code Comparator.value}: the operator and the version. */
        String key() {
            return operator.symbol + version;
        }
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

    /**
     * A version as written in a range, where trailing parts may be missing or wildcards: {@code 1},
     * {@code 1.2.x}, {@code *}, {@code 1.2.3-beta}. A missing or wildcard part is -1, and so is
     * every part after it, as node-semver's caret and tilde treat {@code 1.x.3} like {@code 1.x}.
     *
     * @param full the complete version when no part is a wildcard, else null
     * @param raw the text as written (after any operator), which node-semver compares literally in
     *     one place: {@code >=0.0.0} but not {@code >=v0.0.0} counts as "any"
     * @param misordered a wildcard followed by a number, as in {@code 1.x.3} or {@code x.1}, which
     *     node-semver refuses as a primitive comparator but accepts after {@code ^}, {@code ~} and
     *     in hyphen ranges
     */
    private record Partial(int major, int minor, int patch, SemVer full, String raw,
            boolean misordered) {

        boolean anyWildcard() {
            return full == null;
        }
    }

    /** Parses and desugars one comparator set: the text between two {@code ||}. */
    private static final class SetParser {
        private final String rangeText;
        private final String part;
        private final List<Comparator> out = new ArrayList<>();

        SetParser(String rangeText, String part) {
            this.rangeText = rangeText;
            this.part = part;
        }

        Comparator[] parse() {
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
         * {@code <}, {@code <=}, {@code >}, {@code >=} or {@code =} joins a following token that
         * starts like a version ({@code > =1.2.3} is {@code >=1.2.3}), then {@code ~}, {@code ~>}
         * and {@code ^} join whatever follows them.
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
            int i = prefixLength(token);
            if (i == token.length()) {
                return false;
            }
            char c = token.charAt(i);
            return (c >= '0' && c <= '9') || c == 'x' || c == 'X' || c == '*';
        }

        /**
         * The length of the run of {@code v}, {@code =} (and, within a hyphen range, spaces) that
         * node-semver skips before a version. A partial version may carry any such run
         * ({@code v=1.x}); a full version only a single {@code v}, because node-semver then checks
         * it as a plain comparator.
         */
        private static int prefixLength(String text) {
            int i = 0;
            while (i < text.length()
                    && (text.charAt(i) == 'v' || text.charAt(i) == '=' || text.charAt(i) == ' ')) {
                i++;
            }
            return i;
        }

        /**
         * node-semver's clean-up within a set: a comparator matching nothing replaces the whole
         * set, duplicates go, and "any" comparators are never stored, so an empty set is "any".
         */
        private Comparator[] normalise() {
            Map<String, Comparator> unique = new LinkedHashMap<>();
            for (Comparator c : out) {
                if (c.isNullSet()) {
                    return new Comparator[] {c};
                }
                unique.putIfAbsent(c.key(), c);
            }
            return unique.values().toArray(new Comparator[0]);
        }

        private void comparator(String token) {
            Prefix prefix = Prefix.of(token);
            String versionText = token.substring(prefix.symbol.length());
            if (versionText.isEmpty()) {
                throw invalid(rangeText, "\"" + token + "\" has no version after the operator");
            }
            Partial v = partial(versionText);
            switch (prefix) {
                case TILDE, TILDE_GT -> tilde(v);
                case CARET -> caret(v);
                default -> xRange(prefix.operator(), v);
            }
        }

        /** {@code ~1.2.3}: patch-level changes; {@code ~1}: minor-level changes. */
        private void tilde(Partial v) {
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
        private void caret(Partial v) {
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
        private void xRange(Operator operator, Partial v) {
            if (v.misordered()) {
                throw invalid(rangeText, "\"" + v.raw() + "\": a wildcard may only be followed by"
                        + " wildcards");
            }
            if (!v.anyWildcard()) {
                requireSimplePrefix(v);
                // node-semver keeps the comparator as written here, so ">=0.0.0" is "any" but
                // ">=v0.0.0" is not; only pre-release 0.0.0 versions can tell the difference.
                if (!(operator == Operator.GE && v.raw().equals("0.0.0"))) {
                    out.add(new Comparator(operator, v.full()));
                }
                return;
            }
            if (v.major() < 0) {
                if (operator == Operator.GT || operator == Operator.LT) {
                    out.add(new Comparator(Operator.LT, NULL_SET_BOUND));
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
         * {@code A - B}: inclusive at both ends, a partial upper end taking its whole line. A set
         * with a lone {@code -} must be exactly this; whitespace may only follow a {@code v} or
         * {@code =} prefix ({@code v 1 - 2}), as node-semver's hyphen pattern allows.
         */
        private void hyphen(List<String> tokens, int dash) {
            Partial from = partial(hyphenEnd(tokens.subList(0, dash)));
            Partial to = partial(hyphenEnd(tokens.subList(dash + 1, tokens.size())));
            if (from.major() >= 0) {
                if (from.minor() < 0) {
                    ge(from.major(), 0, 0);
                } else if (from.patch() < 0) {
                    ge(from.major(), from.minor(), 0);
                } else {
                    requireSimplePrefix(from);
                    // Kept as written, like a typed comparator: see xRange on ">=0.0.0".
                    if (!from.raw().equals("0.0.0")) {
                        out.add(new Comparator(Operator.GE, from.full()));
                    }
                }
            }
            if (to.major() >= 0) {
                if (to.minor() < 0) {
                    ltLowest(inc(to.major()), 0, 0);
                } else if (to.patch() < 0) {
                    ltLowest(to.major(), inc(to.minor()), 0);
                } else {
                    // node-semver rebuilds a pre-release upper end from its parts but keeps a
                    // release as written, so only the latter must be a plain comparator.
                    if (!to.full().isPreRelease()) {
                        requireSimplePrefix(to);
                    }
                    out.add(new Comparator(Operator.LE, to.full()));
                }
            }
        }

        private String hyphenEnd(List<String> tokens) {
            if (tokens.isEmpty()) {
                throw invalid(rangeText, "a hyphen range needs a version on each side of \" - \"");
            }
            for (String token : tokens.subList(0, tokens.size() - 1)) {
                if (prefixLength(token) != token.length()) {
                    throw invalid(rangeText, "\"-\" must stand alone between two versions");
                }
            }
            return String.join(" ", tokens);
        }

        private void requireSimplePrefix(Partial v) {
            int length = prefixLength(v.raw());
            if (length > 1 || (length == 1 && v.raw().charAt(0) != 'v')) {
                throw invalid(rangeText, "\"" + v.raw() + "\": a full version may only be preceded"
                        + " by a single v");
            }
        }

        /** {@code >=M.m.p}; {@code >=0.0.0} is "any" and is not stored, as in node-semver. */
        private void ge(int major, int minor, int patch) {
            if (major != 0 || minor != 0 || patch != 0) {
                out.add(new Comparator(Operator.GE, SemVer.bound(major, minor, patch, false)));
            }
        }

        private void ge(SemVer version) {
            if (version.isPreRelease() || version.major() != 0 || version.minor() != 0
                    || version.patch() != 0) {
                out.add(new Comparator(Operator.GE, version));
            }
        }

        /** {@code <M.m.p-0}: below every version of that tuple, pre-releases included. */
        private void ltLowest(int major, int minor, int patch) {
            out.add(new Comparator(Operator.LT, SemVer.bound(major, minor, patch, true)));
        }

        private int inc(int part) {
            if (part == Integer.MAX_VALUE) {
                throw invalid(rangeText, "a bound would exceed " + Integer.MAX_VALUE);
            }
            return part + 1;
        }

        private Partial partial(String written) {
            String s = written.substring(prefixLength(written));
            int[] parts = {-1, -1, -1};
            boolean[] wildcards = new boolean[3];
            int count = 0;
            int pos = 0;
            while (true) {
                int end = pos;
                while (end < s.length() && s.charAt(end) != '.' && s.charAt(end) != '-') {
                    end++;
                }
                if (count == 3) {
                    throw invalid(rangeText, "\"" + written + "\" has more than three parts");
                }
                parts[count] = number(s.substring(pos, end), written);
                wildcards[count] = parts[count] < 0;
                count++;
                pos = end;
                if (pos < s.length() && s.charAt(pos) == '.') {
                    pos++;
                    continue;
                }
                break;
            }
            if (pos < s.length() && count < 3) {
                throw invalid(rangeText, "\"" + written
                        + "\": a pre-release needs all of MAJOR.MINOR.PATCH");
            }
            boolean anyWildcard = wildcards[0] || wildcards[1] || wildcards[2];
            SemVer full = null;
            try {
                if (count == 3 && !anyWildcard) {
                    full = SemVer.parse(s);
                } else if (pos < s.length()) {
                    SemVer.parse("0.0.0" + s.substring(pos));
                }
            } catch (InvalidVersionException e) {
                throw invalid(rangeText, e.getMessage());
            }
            boolean misordered = (wildcards[0] && count > 1 && !wildcards[1])
                    || (wildcards[1] && count > 2 && !wildcards[2]);
            if (parts[0] < 0) {
                parts[1] = -1;
            }
            if (parts[1] < 0) {
                parts[2] = -1;
            }
            return new Partial(parts[0], parts[1], parts[2], full, written, misordered);
        }

        /** One part of a partial version: a wildcard (-1) or a number without leading zeros. */
        private int number(String id, String written) {
            if (id.equals("x") || id.equals("X") || id.equals("*")) {
                return -1;
            }
            boolean digits = !id.isEmpty();
            for (int i = 0; i < id.length() && digits; i++) {
                digits = id.charAt(i) >= '0' && id.charAt(i) <= '9';
            }
            if (!digits) {
                throw invalid(rangeText, "\"" + written + "\" is not a version, partial version or"
                        + " wildcard");
            }
            if (id.length() > 1 && id.charAt(0) == '0') {
                throw invalid(rangeText, "\"" + written + "\" has a leading zero");
            }
            if (id.length() > 10 || Long.parseLong(id) > Integer.MAX_VALUE) {
                throw invalid(rangeText, "\"" + written + "\" has a number larger than "
                        + Integer.MAX_VALUE);
            }
            return Integer.parseInt(id);
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
}
