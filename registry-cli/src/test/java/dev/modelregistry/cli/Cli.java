package dev.modelregistry.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import picocli.CommandLine;

/** Runs the command line in-process against a given environment, capturing what it prints. */
final class Cli {
    private final Map<String, String> environment;

    Cli(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    /** The same environment with {@code key} set. */
    Cli with(String key, String value) {
        Map<String, String> env = new HashMap<>(environment);
        env.put(key, value);
        return new Cli(env);
    }

    Result run(String... args) {
        return run(false, args);
    }

    Result run(boolean interactive, String... args) {
        CommandLine cmd = RegistryCli.commandLine(environment, Clock.systemUTC(), interactive);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cmd.setOut(new PrintWriter(out, true));
        cmd.setErr(new PrintWriter(err, true));
        int exit = cmd.execute(args);
        return new Result(exit, out.toString(), err.toString());
    }

    /** What one command did. */
    record Result(int exit, String out, String err) {
        /** The error output as lines, for the one-line rule. */
        long errLines() {
            return err.lines().count();
        }

        @Override
        public String toString() {
            return "exit " + exit + "\n--- out\n" + out + "--- err\n" + err;
        }
    }
}
