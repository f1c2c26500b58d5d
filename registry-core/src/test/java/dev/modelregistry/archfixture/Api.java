package dev.modelregistry.archfixture;

import dev.modelregistry.archfixture.internal.engine.Engine;
import dev.modelregistry.archfixture.sqlite.SqliteBackend;

/** The API package: names the engine (in a public signature) and a backend. */
public class Api {
    public Engine engine() {
        return new Engine(this);
    }

    Object backend() {
        return new SqliteBackend();
    }
}
