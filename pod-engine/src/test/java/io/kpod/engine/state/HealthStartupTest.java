package io.kpod.engine.state;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HealthStartupTest {
    private static ContainerState.HealthLog result(int code) {
        return new ContainerState.HealthLog("s", "e", code, "");
    }

    @Test
    void startupPassesAfterEnoughSuccessesInARow() {
        ContainerState.Health h = ContainerState.Health.starting();
        h = h.recordStartup(result(0), 2, 5);
        assertThat(h.startupPassed()).isFalse();
        h = h.recordStartup(result(1), 2, 5);
        assertThat(h.startupSuccesses()).isZero();
        assertThat(h.startupFailures()).isEqualTo(1);
        h = h.recordStartup(result(0), 2, 5).recordStartup(result(0), 2, 5);
        assertThat(h.startupPassed()).isTrue();
        assertThat(h.status()).isEqualTo("starting");
        h = h.record(result(0), 3, false, 2);
        assertThat(h.status()).isEqualTo("healthy");
        assertThat(h.startupPassed()).isTrue();
        assertThat(h.log()).hasSize(2);
    }

    @Test
    void zeroSuccessesMeansOne() {
        assertThat(ContainerState.Health.starting().recordStartup(result(0), 0, 5).startupPassed()).isTrue();
    }
}
