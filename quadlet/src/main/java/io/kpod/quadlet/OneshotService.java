package io.kpod.quadlet;

/** The defaults of the services that create one object and stay active: volume, network, image. */
final class OneshotService {
    private OneshotService() {
    }

    static void applyDefaults(UnitFile service) {
        // without it the journal would name every line after the kpod binary
        service.setIfAbsent(ServiceScaffold.SERVICE, "SyslogIdentifier", "%N");
        service.setIfAbsent(ServiceScaffold.SERVICE, "Type", "oneshot");
        service.setIfAbsent(ServiceScaffold.SERVICE, "RemainAfterExit", "yes");
    }
}
