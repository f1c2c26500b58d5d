package dev.modelregistry;

/**
 * One primitive comparison, the unit node-semver desugars every range into and the unit
 * {@link VersionRange} tests versions against.
 */
record RangeComparator(Operator operator, SemVer version) {

    /** {@code 0.0.0-0}, the lowest possible version: {@code <0.0.0-0} matches nothing. */
    static final SemVer NULL_SET_BOUND = SemVer.bound(0, 0, 0, true);

    enum Operator {
        EQ(""), LT("<"), LE("<="), GT(">"), GE(">=");

        private final String symbol;

        Operator(String symbol) {
            this.symbol = symbol;
        }
    }

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
