package dev.modelregistry.cli;

import dev.modelregistry.InvalidNameException;
import dev.modelregistry.ModelName;
import dev.modelregistry.ModelRegistry;
import dev.modelregistry.ModelVersion;
import dev.modelregistry.NotFoundException;
import dev.modelregistry.Principal;
import dev.modelregistry.internal.util.MessageText;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** What every command does around its work: open the registry, act as the principal, close it. */
abstract class RegistryCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    private Principal principal;

    @Override
    public final Integer call() throws Exception {
        principal = cli().principal();
        prepare();
        try (ModelRegistry registry = cli().open(createsRegistry())) {
            return run(registry);
        } finally {
            out().flush();
        }
    }

    /** Only a command that writes may create a registry where there is none. */
    boolean createsRegistry() {
        return false;
    }

    /** Reads and validates local inputs before the registry is opened, so bad input touches nothing. */
    void prepare() throws Exception {
    }

    abstract int run(ModelRegistry registry) throws Exception;

    RegistryCli cli() {
        return (RegistryCli) spec.root().userObject();
    }

    Principal principal() {
        return principal;
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** Refuses unless the principal may read {@code model}, which must exist. */
    void requireReadableModel(ModelRegistry registry, String model) {
        ModelName name = ModelName.of(model);
        RegistryCli.requireRead(registry, principal, name);
        if (registry.findModel(model).isEmpty()) {
            throw new NotFoundException("No model named " + name);
        }
    }

    /** Resolves {@code model@selector} after checking that the principal may read the model. */
    ModelVersion resolveReadable(ModelRegistry registry, String reference) {
        int at = reference.indexOf('@');
        if (at > 0) {
            ModelName model;
            try {
                model = ModelName.of(reference.substring(0, at));
            } catch (InvalidNameException e) {
                // As the library says it: name the whole reference, then what is wrong with its model name.
                throw new InvalidNameException("Invalid reference " + MessageText.quote(reference) + ": " + e.getMessage());
            }
            RegistryCli.requireRead(registry, principal, model);
        }
        return registry.resolve(reference);
    }
}
