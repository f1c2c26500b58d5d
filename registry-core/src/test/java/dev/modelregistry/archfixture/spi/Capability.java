package dev.modelregistry.archfixture.spi;

import dev.modelregistry.archfixture.serving.Feature;

/** A backend capability expressed in a type of another package than the root. */
public interface Capability {
    Feature feature();
}
