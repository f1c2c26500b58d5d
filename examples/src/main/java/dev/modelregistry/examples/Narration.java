package dev.modelregistry.examples;

import java.io.PrintStream;

/**
 * How the examples tell their story: numbered steps, indented details, and a check after each step
 * that stops the program (non-zero exit, so CI notices) when the registry did not behave as told.
 */
public final class Narration {
    private final PrintStream out;
    private int step;

    public Narration(PrintStream out) {
        this.out = out;
    }

    /** Starts the next numbered step. */
    public void say(String what) {
        out.println();
        out.printf("%d. %s%n", ++step, what);
    }

    /** A line under the current step. */
    public void detail(String format, Object... args) {
        out.printf("   " + format + "%n", args);
    }

    /** A multi-line text (a table, a rendered report) under the current step, indented. */
    public void block(String text) {
        for (String line : text.split("\n")) {
            out.println("     " + line);
        }
    }

    /** Stops the example when a step did not behave as described. */
    public static void check(boolean condition, String what) {
        if (!condition) {
            throw new IllegalStateException("Example step misbehaved: expected " + what);
        }
    }
}
