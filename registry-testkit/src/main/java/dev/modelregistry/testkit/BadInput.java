package dev.modelregistry.testkit;

import dev.modelregistry.ModelRegistry;
import dev.modelregistry.RegistryException;

/**
 * One hostile or malformed input of the bad-input corpus: what it is, the attempt that feeds it to a
 * registry, the exception type it must be refused with, and a fragment the message must contain so
 * that it names the problem.
 *
 * @param description what the input is, as the test is named
 * @param expected    the typed exception the attempt must end with (or a subtype)
 * @param mentions    text the exception message must contain (the value, or what is wrong with it)
 * @param attempt     feeds the input to the registry
 */
public record BadInput(String description, Class<? extends RegistryException> expected, String mentions, Attempt attempt) {

    /** Feeds one bad input to a registry; it must throw. */
    @FunctionalInterface
    public interface Attempt {
        void run(ModelRegistry registry) throws Exception;
    }

    public static BadInput of(String description, Class<? extends RegistryException> expected, String mentions, Attempt attempt) {
        return new BadInput(description, expected, mentions, attempt);
    }
}
