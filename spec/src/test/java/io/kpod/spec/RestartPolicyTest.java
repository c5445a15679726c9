package io.kpod.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class RestartPolicyTest {
    @ParameterizedTest
    @CsvSource({
        "no, 1, 0, false, false",
        "always, 0, 5, false, true",
        "always, 1, 5, true, false",
        "unless-stopped, 0, 0, false, true",
        "on-failure, 0, 0, false, false",
        "on-failure, 1, 100, false, true",
        "on-failure:2, 1, 0, false, true",
        "on-failure:2, 1, 1, false, true",
        "on-failure:2, 1, 2, false, false",
    })
    void decidesRestarts(String policy, int exit, int restarts, boolean byUser, boolean expected) {
        assertThat(RestartPolicy.parse(policy).shouldRestart(exit, restarts, byUser)).isEqualTo(expected);
    }

    @Test
    void rejectsBadPolicies() {
        assertThatThrownBy(() -> RestartPolicy.parse("sometimes")).hasMessageContaining("invalid restart policy");
        assertThatThrownBy(() -> RestartPolicy.parse("always:3")).hasMessageContaining("only on-failure");
        assertThatThrownBy(() -> RestartPolicy.parse("on-failure:x")).hasMessageContaining("not a number");
        assertThatThrownBy(() -> RestartPolicy.parse("on-failure:-1")).hasMessageContaining("negative");
    }

    @Test
    void printsAsPodmanSpellsIt() {
        assertThat(RestartPolicy.parse("on-failure:3")).hasToString("on-failure:3");
        assertThat(RestartPolicy.parse("unless-stopped")).hasToString("unless-stopped");
    }
}
