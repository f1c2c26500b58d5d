package dev.modelregistry.archfixture.internal.engine;

import dev.modelregistry.archfixture.Api;

/** The engine implements the API: with {@link Api#engine()}, the fixture's one package cycle, through the root package. */
public class Engine {
    private final Api api;

    public Engine(Api api) {
        this.api = api;
    }

    @Override
    public String toString() {
        return "Engine[" + api + "]";
    }
}
