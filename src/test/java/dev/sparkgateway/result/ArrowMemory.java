package dev.sparkgateway.result;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A fresh Arrow allocator per test ({@code @RegisterExtension} on an instance field) that fails the test
 * when it leaks Arrow memory: every encoder must release each chunk, also on failures.
 */
final class ArrowMemory implements AfterEachCallback {

    private final RootAllocator allocator = new RootAllocator();

    RootAllocator allocator() {
        return allocator;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        assertEquals(0, allocator.getAllocatedMemory(), "Arrow memory leaked");
        allocator.close();
    }
}
