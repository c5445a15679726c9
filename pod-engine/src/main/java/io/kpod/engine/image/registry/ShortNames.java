package io.kpod.engine.image.registry;

import io.kpod.engine.image.ImageReference;
import io.kpod.spec.KpodException;
import java.util.List;

/**
 * Turns what the user typed into the fully qualified names to try, as containers/image does:
 * a qualified name is itself; a short name is an alias of registries.conf, or the name under
 * the one unqualified-search registry; several search registries are tried in order only when
 * {@code short-name-mode} is {@code permissive} or {@code disabled}, else the name is ambiguous.
 */
final class ShortNames {
    private ShortNames() {
    }

    static List<ImageReference> candidates(ImageReference ref, RegistriesConf conf) {
        if (!ref.isShortName()) {
            return List.of(ref);
        }
        String alias = conf.aliases().get(ref.repository());
        if (alias != null) {
            ImageReference a = ImageReference.parse(alias);
            if (ref.digest() != null) {
                return List.of(new ImageReference(a.registry(), a.repository(), null, ref.digest()));
            }
            boolean tagGiven = !ImageReference.DEFAULT_TAG.equals(ref.tag());
            return List.of(tagGiven || a.tag() == null ? a.withTag(ref.tag()) : a);
        }
        List<String> search = conf.searchRegistries();
        if (search.isEmpty()) {
            throw KpodException.invalid("short-name \"" + ref + "\" did not resolve to an alias and no "
                    + "unqualified-search registries are defined in registries.conf; use a fully qualified name");
        }
        if (search.size() > 1 && !conf.shortNameMode().equals("permissive") && !conf.shortNameMode().equals("disabled")) {
            throw KpodException.invalid("short-name \"" + ref + "\" is ambiguous: it could come from any of "
                    + String.join(", ", search) + "; use a fully qualified name");
        }
        return search.stream().map(r -> ref.qualify(r)).toList();
    }
}
