package io.kpod.engine.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kpod.spec.ErrorKind;
import io.kpod.spec.KpodException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PullRetryTest {
    @Test
    void goDurations() {
        assertThat(PullRetry.parseDelay("10s")).isEqualTo(Duration.ofSeconds(10));
        assertThat(PullRetry.parseDelay("1m30s")).isEqualTo(Duration.ofSeconds(90));
        assertThat(PullRetry.parseDelay("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(PullRetry.parseDelay("1.5h")).isEqualTo(Duration.ofMinutes(90));
        assertThat(PullRetry.parseDelay("0")).isEqualTo(Duration.ZERO);
        for (String bad : new String[] {"foobar", "10", "s", "1s2", ""}) {
            assertThatThrownBy(() -> PullRetry.parseDelay(bad)).isInstanceOf(KpodException.class)
                    .hasMessage("time: invalid duration \"" + bad + "\"");
        }
    }

    @Test
    void exponentialUnlessFixed() {
        assertThat(PullRetry.DEFAULT.attempts()).isEqualTo(3);
        assertThat(PullRetry.DEFAULT.delayBefore(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(PullRetry.DEFAULT.delayBefore(3)).isEqualTo(Duration.ofSeconds(4));
        assertThat(new PullRetry(3, Optional.of(Duration.ofSeconds(7))).delayBefore(3)).isEqualTo(Duration.ofSeconds(7));
    }

    @Test
    void retriesOnlyWhatMayPass() {
        PullRetry r = new PullRetry(2, Optional.of(Duration.ZERO));
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        PrintStream warn = new PrintStream(buf, true, StandardCharsets.UTF_8);
        AtomicInteger calls = new AtomicInteger();
        assertThat(r.run(() -> {
            if (calls.incrementAndGet() < 3) {
                throw KpodException.runtime("pinging container registry h: connection refused");
            }
            return "ok";
        }, warn)).isEqualTo("ok");
        assertThat(buf.toString(StandardCharsets.UTF_8)).contains("(1/2)").contains("(2/2)");

        calls.set(0);
        assertThatThrownBy(() -> r.run(() -> {
            calls.incrementAndGet();
            throw new KpodException(ErrorKind.NOT_FOUND, "manifest unknown");
        }, null)).hasMessage("manifest unknown");
        assertThat(calls).hasValue(1);

        calls.set(0);
        assertThatThrownBy(() -> r.run(() -> {
            calls.incrementAndGet();
            throw KpodException.runtime("status 503");
        }, null)).hasMessage("status 503");
        assertThat(calls).hasValue(3);
    }
}
