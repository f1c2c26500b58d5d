package dev.modelregistry.archfixture.sqlite;

/** A backend, which the core must never name. */
public class SqliteBackend {
}
