package dev.modelregistry;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns {@link VersionRange} text into comparator sets: checks the text as a whole, hands Maven
 * interval syntax to {@link MavenRangeParser}, splits npm syntax on {@code ||} for {@link
 * ComparatorSetParser}, and cleans up across sets as node-semver's {@code Range} does.
 */
final class VersionRangeParser {

    private static final RangeComparator[] ANY = new RangeComparator[0];

    private VersionRangeParser() {
    }

    /**
     * The comparator sets of {@code text}, for {@link VersionRange#parse(String)}.
     *
     * @throws InvalidVersionException as documented there
     */
    static RangeComparator[][] parse(String text) {
        if (text == null) {
            throw new InvalidVersionException("Invalid version range null: a range text is required");
        }
        if (text.length() > VersionRange.MAX_LENGTH) {
            throw invalid(SemVer.abbreviate(text), "longer than " + VersionRange.MAX_LENGTH
                    + " characters");
        }
        if (MavenRangeParser.isIntervalSyntax(text)) {
            return simplify(MavenRangeParser.parse(text));
        }
        List<RangeComparator[]> parsed = new ArrayList<>();
        int from = 0;
        while (true) {
            int bar = text.indexOf("||", from);
            String part = bar < 0 ? text.substring(from) : text.substring(from, bar);
            parsed.add(ComparatorSetParser.parse(text, stripBuildMetadata(part)));
            if (bar < 0) {
                break;
            }
            from = bar + 2;
        }
        return simplify(parsed);
    }

    static InvalidVersionException invalid(String text, String reason) {
        return new InvalidVersionException("Invalid version range \"" + text + "\": " + reason);
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

    /**
     * node-semver's clean-up across sets: when there are several, sets that match nothing are
     * dropped (unless all do) and a set that matches every release swallows the rest. That gives a
     * shorter {@link VersionRange#desugared()} form and a faster {@link VersionRange#contains}, and
     * changes membership only as node-semver does: a pre-release that a swallowed set let in is
     * out, so {@code ~1.2.3-beta || *} does not contain {@code 1.2.3-beta}.
     */
    private static RangeComparator[][] simplify(List<RangeComparator[]> parsed) {
        if (parsed.size() == 1) {
            return parsed.toArray(new RangeComparator[0][]);
        }
        List<RangeComparator[]> kept = new ArrayList<>();
        for (RangeComparator[] set : parsed) {
            if (!isNullSet(set)) {
                kept.add(set);
            }
        }
        if (kept.isEmpty()) {
            return new RangeComparator[][] {parsed.get(0)};
        }
        for (RangeComparator[] set : kept) {
            if (set.length == 0) {
                return new RangeComparator[][] {ANY};
            }
        }
        return kept.toArray(new RangeComparator[0][]);
    }

    private static boolean isNullSet(RangeComparator[] set) {
        return set.length == 1 && set[0].isNullSet();
    }
}
