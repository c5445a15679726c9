package io.kpod.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class CommandModelTest {
    /** Every command's picocli model builds: no option is declared twice anywhere. */
    @Test
    void everyCommandModelBuilds() {
        CommandLine cl = Main.commandLine(new Main());
        assertThat(cl.getSubcommands()).containsKeys("run", "create", "pod", "kube", "generate", "quadlet", "network",
                "system", "pull", "push", "load", "save", "commit");
        cl.getSubcommands().values().forEach(CommandModelTest::walk);
    }

    private static void walk(CommandLine c) {
        assertThat(c.getCommandSpec().options()).isNotNull();
        c.getSubcommands().values().forEach(CommandModelTest::walk);
    }
}
