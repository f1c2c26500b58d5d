package dev.modelregistry;

/**
 * A version as written in a range, where trailing parts may be missing or wildcards: {@code 1},
 * {@code 1.2.x}, {@code *}, {@code 1.2.3-beta}. A missing or wildcard part is -1, and so is every
 * part after it, as node-semver's caret and tilde treat {@code 1.x.3} like {@code 1.x}.
 *
 * @param full the complete version when no part is a wildcard, else null
 * @param raw the text as written (after any operator), which node-semver compares literally in one
 *     place: {@code >=0.0.0} but not {@code >=v0.0.0} counts as "any"
 * @param misordered a wildcard followed by a number, as in {@code 1.x.3} or {@code x.1}, which
 *     node-semver refuses as a primitive comparator but accepts after {@code ^}, {@code ~} and in
 *     hyphen ranges
 */
record PartialVersion(int major, int minor, int patch, SemVer full, String raw,
        boolean misordered) {

    boolean anyWildcard() {
        return full == null;
    }

    /**
     * Reads {@code written}, after any run of {@code v}, {@code =} and spaces.
     *
     * @param rangeText the whole range, which error messages quote
     */
    static PartialVersion parse(String rangeText, String written) {
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
                throw VersionRangeParser.invalid(rangeText, "\"" + written
                        + "\" has more than three parts");
            }
            parts[count] = number(rangeText, s.substring(pos, end), written);
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
            throw VersionRangeParser.invalid(rangeText, "\"" + written
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
            throw VersionRangeParser.invalid(rangeText, e.getMessage());
        }
        boolean misordered = (wildcards[0] && count > 1 && !wildcards[1])
                || (wildcards[1] && count > 2 && !wildcards[2]);
        if (parts[0] < 0) {
            parts[1] = -1;
        }
        if (parts[1] < 0) {
            parts[2] = -1;
        }
        return new PartialVersion(parts[0], parts[1], parts[2], full, written, misordered);
    }

    /**
     * The length of the run of {@code v}, {@code =} (and, within a hyphen range, spaces) that
     * node-semver skips before a version. A partial version may carry any such run
     * ({@code v=1.x}); a full version only a single {@code v}, because node-semver then checks it as
     * a plain comparator.
     */
    static int prefixLength(String text) {
        int i = 0;
        while (i < text.length()
                && (text.charAt(i) == 'v' || text.charAt(i) == '=' || text.charAt(i) == ' ')) {
            i++;
        }
        return i;
    }

    /** Refuses a full version written with more than a single {@code v} in front. */
    void requireSimplePrefix(String rangeText) {
        int length = prefixLength(raw);
        if (length > 1 || (length == 1 && raw.charAt(0) != 'v')) {
            throw VersionRangeParser.invalid(rangeText, "\"" + raw + "\": a full version may only"
                    + " be preceded by a single v");
        }
    }

    /** One part: a wildcard ({@code x}, {@code X} or {@code *}, giving -1) or a number. */
    static int number(String rangeText, String id, String written) {
        if (id.equals("x") || id.equals("X") || id.equals("*")) {
            return -1;
        }
        boolean digits = !id.isEmpty();
        for (int i = 0; i < id.length() && digits; i++) {
            digits = id.charAt(i) >= '0' && id.charAt(i) <= '9';
        }
        if (!digits) {
            throw VersionRangeParser.invalid(rangeText, "\"" + written + "\" is not a version,"
                    + " partial version or wildcard");
        }
        if (id.length() > 1 && id.charAt(0) == '0') {
            throw VersionRangeParser.invalid(rangeText, "\"" + written + "\" has a leading zero");
        }
        if (id.length() > 10 || Long.parseLong(id) > Integer.MAX_VALUE) {
            throw VersionRangeParser.invalid(rangeText, "\"" + written + "\" has a number larger"
                    + " than " + Integer.MAX_VALUE);
        }
        return Integer.parseInt(id);
    }
}
