package io.kpod.quadlet;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * What a conversion needs besides the unit: the kpod binary to run, whether this is the user
 * generator, the other units by file name, and how to test that a host path exists.
 */
public record ConversionContext(String kpodBinary, boolean user, UnitRegistry registry, Predicate<Path> pathExists) {

    public ConversionContext(String kpodBinary, boolean user, UnitRegistry registry) {
        this(kpodBinary, user, registry, Files::exists);
    }

    UnitInfo infoOf(UnitFile unit) {
        return registry.find(unit.fileName())
                .orElseThrow(() -> new QuadletException("internal error: unit " + unit.fileName() + " is not registered"));
    }

    /** The info of a referenced unit, or an error at {@code entry} naming it. */
    UnitInfo referenced(String fileName, UnitEntry entry) {
        Optional<UnitInfo> info = registry.find(fileName);
        return info.orElseThrow(() -> QuadletException.at(entry, "requested Quadlet unit " + fileName + " was not found"));
    }
}
