package io.kpod.e2e;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * One isolated kpod installation per test class with the busybox image imported; after each
 * test every container is removed and the harness checks that nothing leaked.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class E2EBase {
    protected KpodHarness kpod;

    @BeforeAll
    void setUpKpod() {
        kpod = new KpodHarness().withBusybox();
    }

    /** In this JVM: the same commands as bin/kpod's, without three JVM starts after every test. */
    @AfterEach
    void removeContainersAndCheckLeaks() {
        kpod.inProcess("pod", "rm", "-a", "-f", "-t", "0");
        kpod.inProcess("rm", "-a", "-f", "-t", "0");
        kpod.assertNoLeaks();
    }

    @AfterAll
    void tearDownKpod() {
        kpod.close();
    }

    protected static final String IMAGE = KpodHarness.IMAGE;
}
