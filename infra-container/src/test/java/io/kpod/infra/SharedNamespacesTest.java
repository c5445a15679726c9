package io.kpod.infra;

import static io.kpod.infra.Namespace.IPC;
import static io.kpod.infra.Namespace.NET;
import static io.kpod.infra.Namespace.PID;
import static io.kpod.infra.Namespace.UTS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kpod.spec.ErrorKind;
import io.kpod.spec.KpodException;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class SharedNamespacesTest {

    static Stream<Arguments> shares() {
        return Stream.of(
                Arguments.of(null, EnumSet.of(NET, IPC, UTS)),
                Arguments.of("+pid", EnumSet.of(NET, IPC, UTS, PID)),
                Arguments.of("+pid,ipc", EnumSet.of(NET, IPC, UTS, PID)),
                Arguments.of("net,pid", EnumSet.of(NET, PID)),
                Arguments.of("ipc, uts ", EnumSet.of(IPC, UTS)),
                Arguments.of("none", EnumSet.noneOf(Namespace.class)),
                Arguments.of("", EnumSet.noneOf(Namespace.class)),
                Arguments.of("network", EnumSet.of(NET)));
    }

    @ParameterizedTest
    @MethodSource("shares")
    void parsesPodmanShareSyntax(String value, Set<Namespace> expected) {
        assertThat(SharedNamespaces.parse(value)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"cgroup", "net,user", "mnt", "bogus"})
    void rejectsWhatAPodCannotShare(String value) {
        assertThatThrownBy(() -> SharedNamespaces.parse(value))
                .isInstanceOf(KpodException.class)
                .satisfies(e -> assertThat(((KpodException) e).kind()).isEqualTo(ErrorKind.INVALID))
                .hasMessageContaining("net, ipc, uts or pid");
    }

    @org.junit.jupiter.api.Test
    void kubernetesSharesPidOnlyWhenAsked() {
        assertThat(SharedNamespaces.kubernetes(false)).containsExactlyInAnyOrder(NET, IPC, UTS);
        assertThat(SharedNamespaces.kubernetes(true)).containsExactlyInAnyOrder(NET, IPC, UTS, PID);
    }
}
