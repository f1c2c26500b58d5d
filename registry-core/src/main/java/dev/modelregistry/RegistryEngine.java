package dev.modelregistry;


/**
 * What {@link ModelRegistryBuilder#build()} builds on. The API package names no
 * implementation class, so that the build can prove that the API never depends on the engine; the
 * engine is found once per class loader through {@link java.util.ServiceLoader}, as JDBC finds its
 * drivers. registry-core ships exactly one; it is not an extension point for users.
 */
public interface RegistryEngine {

    /** A registry over {@code settings}; the registry owns the stores from then on and closes them. */
    ModelRegistry create(RegistrySettings settings);
}
