package dev.modelregistry;


/** The first event of every model's log, written with its first registration. */
public record ModelCreated(ModelName model) implements RegistryEvent {
    public ModelCreated {
        if (model == null) {
            throw new ValidationException("ModelCreated needs a model name");
        }
    }
}
