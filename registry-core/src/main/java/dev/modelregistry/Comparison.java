package dev.modelregistry;

import dev.modelregistry.internal.util.MessageText;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * How a threshold gate compares a measured value with its bound, written in policies by its
 * {@link #symbol()} ({@code >=}, {@code >}, {@code <=}, {@code <}, {@code ==}). Comparisons are on
 * doubles as recorded; {@link #EQUAL_TO} is exact equality, meant for counts and flags.
 */
public enum Comparison {
    AT_LEAST(">="),
    GREATER_THAN(">"),
    AT_MOST("<="),
    LESS_THAN("<"),
    EQUAL_TO("==");

    private final String symbol;

    Comparison(String symbol) {
        this.symbol = symbol;
    }

    /** The operator as written in policy documents. */
    @JsonValue
    public String symbol() {
        return symbol;
    }

    /** Whether {@code value} compares to {@code bound} as this operator requires. */
    public boolean test(double value, double bound) {
        return switch (this) {
            case AT_LEAST -> value >= bound;
            case GREATER_THAN -> value > bound;
            case AT_MOST -> value <= bound;
            case LESS_THAN -> value < bound;
            case EQUAL_TO -> value == bound;
        };
    }

    /** The comparison written as {@code symbol}; an unknown one is a {@link PolicyException} listing the known ones. */
    @JsonCreator
    public static Comparison fromSymbol(String symbol) {
        for (Comparison c : values()) {
            if (c.symbol.equals(symbol)) {
                return c;
            }
        }
        throw new PolicyException("", "unknown operator " + MessageText.quote(symbol) + "; expected one of " + symbols());
    }

    /** The known operators, comma-separated, for messages. */
    static String symbols() {
        return Arrays.stream(values()).map(Comparison::symbol).collect(Collectors.joining(", "));
    }

    @Override
    public String toString() {
        return symbol;
    }
}
