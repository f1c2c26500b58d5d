package dev.modelregistry.sqlite;

import dev.modelregistry.testkit.Backend;
import dev.modelregistry.testkit.ServingRaceConformanceTests;
import java.nio.file.Path;

/**
 * The serving race suite over one SQLite file: the handle's registry and the promoting one each
 * open their own store on it, as two processes would. SQLite reads are never stale, so the race
 * is a promotion that commits between the handle's findCurrent and its check of the log.
 */
class SqliteServingRaceTest extends ServingRaceConformanceTests {
    @Override
    protected Backend openBackend(Path dir) {
        return () -> SqliteRegistry.builder(dir);
    }
}
