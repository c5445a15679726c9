package io.kpod.quadlet;

import java.util.Set;

/** Turns one Quadlet unit file into the systemd service that runs it; pure, no I/O. */
interface UnitConverter {

    /** The keys allowed in this type's own section; any other is an error. */
    Set<String> supportedKeys();

    /** The generated service, named after the unit's service name; throws QuadletException. */
    UnitFile convert(UnitFile unit, ConversionContext context);
}
