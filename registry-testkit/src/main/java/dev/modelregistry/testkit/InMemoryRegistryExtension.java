package dev.modelregistry.testkit;

import dev.modelregistry.ModelRegistry;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Hands each test a fresh in-memory {@link ModelRegistry} and the {@link ManualClock} it runs on,
 * and closes the registry after the test. For harnesses that test code which uses a registry:
 *
 * <pre>{@code
 * @ExtendWith(InMemoryRegistryExtension.class)
 * class TrainingPipelineTest {
 *     @Test
 *     void registersTheTrainedModel(ModelRegistry registry, ManualClock clock) { ... }
 * }
 * }</pre>
 *
 * Within one test, every parameter of either type resolves to the same registry and clock.
 */
public final class InMemoryRegistryExtension implements ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(InMemoryRegistryExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        Class<?> type = parameter.getParameter().getType();
        return type == ModelRegistry.class || type == ManualClock.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Fixture fixture = context.getStore(NAMESPACE).getOrComputeIfAbsent(Fixture.class, k -> new Fixture(), Fixture.class);
        return parameter.getParameter().getType() == ModelRegistry.class ? fixture.registry : fixture.clock;
    }

    /** Closed by JUnit when the test's extension context closes. */
    private static final class Fixture implements ExtensionContext.Store.CloseableResource {
        final ManualClock clock = ManualClock.startingAtEpochOf2024();
        final ModelRegistry registry = ModelRegistry.builder().clock(clock).build();

        @Override
        public void close() {
            registry.close();
        }
    }
}
