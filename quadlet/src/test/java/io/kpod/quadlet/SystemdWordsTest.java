package io.kpod.quadlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SystemdWordsTest {
    @Test
    void argsUnquoteAndDecodeCEscapes() {
        assertThat(SystemdWords.split("/p \"an arg\" a;b\\nc 'a\"b' '\\110ello \\x57orld' \\u00e9 \"\"",
                SystemdWords.Mode.ARGS)).containsExactly("/p", "an arg", "a;b\nc", "a\"b", "Hello World", "é", "");
        assertThat(SystemdWords.split("  a\t b  ", SystemdWords.Mode.ARGS)).containsExactly("a", "b");
        assertThat(SystemdWords.split("tail\\", SystemdWords.Mode.ARGS)).containsExactly("tail");
    }

    @Test
    void strvKeepsBackslashesAndRejectsOpenQuotes() {
        assertThat(SystemdWords.split("a\\b \"c d\"", SystemdWords.Mode.STRV)).containsExactly("a\\b", "c d");
        assertThatThrownBy(() -> SystemdWords.split("\"open", SystemdWords.Mode.STRV))
                .hasMessageContaining("unbalanced quotes");
        assertThatThrownBy(() -> SystemdWords.split("\\q", SystemdWords.Mode.ARGS))
                .hasMessageContaining("unsupported escape");
    }

    @Test
    void joinQuotesOnlyWhatNeedsIt() {
        List<String> words = List.of("run", "--name", "systemd-%N", "a b", "it's", "x\"y", "tab\there", "", "$HOME");
        String line = SystemdWords.join(words);
        assertThat(line).isEqualTo("run --name systemd-%N \"a b\" \"it's\" \"x\\\"y\" \"tab\\there\" \"\" $HOME");
        assertThat(SystemdWords.split(line, SystemdWords.Mode.ARGS)).isEqualTo(words);
    }
}
