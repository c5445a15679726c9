package io.kpod.engine.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kpod.spec.KpodException;
import io.kpod.spec.ResourceSpec.Ulimit;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RlimitsTest {
    private static final String PROC = """
            Limit                     Soft Limit           Hard Limit           Units    \s
            Max cpu time              unlimited            unlimited            seconds  \s
            Max stack size            8388608              unlimited            bytes    \s
            Max processes             96365                96365                processes\s
            Max open files            20000                20000                files    \s
            Max locked memory         8388608              8388608              bytes    \s
            Max realtime timeout      unlimited            unlimited            us       \s
            """;
    private static final Rlimits.HostLimits HOST = Rlimits.HostLimits.parse(PROC);

    @ParameterizedTest
    @CsvSource({
            "nofile=1024:2048, nofile, 1024, 2048",
            "nofile=1024, nofile, 1024, 1024",
            "NPROC=-1, nproc, -1, -1",
            "core=unlimited, core, -1, -1",
            "memlock=100:unlimited, memlock, 100, -1",
            "stack=0:0, stack, 0, 0"})
    void parsesUlimits(String spec, String name, long soft, long hard) {
        assertThat(Rlimits.parse(spec)).isEqualTo(new Ulimit(name, soft, hard));
    }

    @ParameterizedTest
    @ValueSource(strings = {"nofile", "=5", "bogus=1", "nofile=2048:1024", "nofile=unlimited:10", "nofile=1:2:3", "nofile=-5", "nofile=abc"})
    void rejectsBadUlimits(String spec) {
        assertThatThrownBy(() -> Rlimits.parse(spec)).isInstanceOf(KpodException.class).hasMessageContaining("ulimit");
    }

    @Test
    void readsHardLimitsFromProcLimits() {
        assertThat(HOST.hard()).containsEntry("RLIMIT_NOFILE", 20000L).containsEntry("RLIMIT_NPROC", 96365L)
                .containsEntry("RLIMIT_STACK", -1L).containsEntry("RLIMIT_CPU", -1L).containsEntry("RLIMIT_RTTIME", -1L);
        assertThat(Rlimits.HostLimits.ofThisProcess().hard()).containsKey("RLIMIT_NOFILE");
    }

    @Test
    void defaultsAreClampedToTheEnginesHardLimits() {
        assertThat(Rlimits.resolve(List.of(), List.of(), HOST)).containsExactly(
                new Rlimits.Rlimit("RLIMIT_NOFILE", 20000, 20000),
                new Rlimits.Rlimit("RLIMIT_NPROC", 96365, 96365));
    }

    @Test
    void userOverridesConfigPerTypeAndEverythingIsClamped() {
        List<Ulimit> conf = List.of(Rlimits.parse("nofile=1024:2048"), Rlimits.parse("core=0"));
        List<Ulimit> user = List.of(Rlimits.parse("nofile=30000:40000"), Rlimits.parse("memlock=unlimited"), Rlimits.parse("stack=-1"));
        assertThat(Rlimits.resolve(conf, user, HOST)).containsExactly(
                new Rlimits.Rlimit("RLIMIT_NOFILE", 20000, 20000),
                new Rlimits.Rlimit("RLIMIT_CORE", 0, 0),
                new Rlimits.Rlimit("RLIMIT_MEMLOCK", 8388608, 8388608),
                new Rlimits.Rlimit("RLIMIT_STACK", -1, -1),
                new Rlimits.Rlimit("RLIMIT_NPROC", 96365, 96365));
        assertThat(Rlimits.resolve(conf, List.of(), HOST).get(0)).isEqualTo(new Rlimits.Rlimit("RLIMIT_NOFILE", 2048, 1024));
    }

    @Test
    void unlimitedIsWrittenAsRlimInfinity() {
        assertThat(Rlimits.Rlimit.unsigned(-1)).isEqualTo(new BigInteger("18446744073709551615"));
        assertThat(Rlimits.Rlimit.unsigned(1024)).isEqualTo(BigInteger.valueOf(1024));
        assertThat(Rlimits.ociType("nofile")).isEqualTo("RLIMIT_NOFILE");
        assertThat(Rlimits.HostLimits.parse("").hard()).isEqualTo(Map.of());
    }
}
