package io.kpod.quadlet;

import java.util.Map;
import java.util.Set;

/** {@code .pod} → a forking service: {@code kpod pod create} before, {@code pod start}, then stop and rm. */
final class PodConverter implements UnitConverter {
    static final String SECTION = "Pod";

    private static final Set<String> KEYS = Set.of("AddHost", "ContainersConfModule", "DNS", "DNSOption", "DNSSearch",
            "ExitPolicy", "GIDMap", "GlobalArgs", "HostName", "IP", "IP6", "Label", "Network", "NetworkAlias", "PodName",
            "PodmanArgs", "PublishPort", "RemapGid", "RemapUid", "RemapUidSize", "RemapUsers", "ServiceName", "ShmSize",
            "StopTimeout", "SubGIDMap", "SubUIDMap", "UIDMap", "UserNS", "Volume");

    private static final Map<String, String> STRING_FLAGS = ContainerConverter.ordered(
            "IP", "--ip", "IP6", "--ip6", "ShmSize", "--shm-size");
    private static final Map<String, String> LIST_FLAGS = ContainerConverter.ordered(
            "NetworkAlias", "--network-alias", "DNS", "--dns", "DNSOption", "--dns-option", "DNSSearch", "--dns-search",
            "AddHost", "--add-host", "HostName", "--hostname");

    @Override
    public Set<String> supportedKeys() {
        return KEYS;
    }

    @Override
    public UnitFile convert(UnitFile unit, ConversionContext ctx) {
        UnitFile service = ServiceScaffold.create(unit, UnitType.POD, KEYS, ctx);
        UnitInfo info = ctx.infoOf(unit);
        String podName = info.resourceName();
        for (String container : info.containersToStart()) {
            service.add(ServiceScaffold.UNIT, "Wants", container);
            service.add(ServiceScaffold.UNIT, "Before", container);
        }
        service.setIfAbsent(ServiceScaffold.SERVICE, "SyslogIdentifier", "%N");

        service.addCommand(ServiceScaffold.SERVICE, "ExecStart", KpodCommand.base(ctx, unit, SECTION)
                .add("pod", "start", "--pod-id-file=%t/%N.pod-id").argv());
        String stopTimeout = unit.lookupNonEmpty(SECTION, "StopTimeout").orElse("10");
        service.addCommand(ServiceScaffold.SERVICE, "ExecStop", KpodCommand.base(ctx, unit, SECTION)
                .add("pod", "stop", "--pod-id-file=%t/%N.pod-id", "--ignore", "--time=" + stopTimeout).argv());
        service.addCommand(ServiceScaffold.SERVICE, "ExecStopPost", KpodCommand.base(ctx, unit, SECTION)
                .add("pod", "rm", "--pod-id-file=%t/%N.pod-id", "--ignore", "--force").argv());

        KpodCommand create = KpodCommand.base(ctx, unit, SECTION).add("pod", "create",
                "--infra-conmon-pidfile=%t/%N.pid", "--pod-id-file=%t/%N.pod-id",
                "--exit-policy=" + unit.lookupNonEmpty(SECTION, "ExitPolicy").orElse("stop"), "--replace");
        UserMappings.mappings(unit, SECTION, create, true);
        CommonOptions.publishPorts(unit, SECTION, create);
        create.addKeyVals("--label", unit.lookupAllKeyVal(SECTION, "Label"));
        CommonOptions.networks(unit, SECTION, service, ctx, create);
        STRING_FLAGS.forEach((key, flag) -> unit.lookupNonEmpty(SECTION, key).ifPresent(v -> create.add(flag, v)));
        LIST_FLAGS.forEach((key, flag) -> unit.lookupAll(SECTION, key).forEach(v -> create.add(flag, v)));
        CommonOptions.volumes(unit, SECTION, service, ctx, create);
        create.add("--infra-name", podName + "-infra", "--name", podName);
        CommonOptions.podmanArgs(unit, SECTION, create);
        service.addCommand(ServiceScaffold.SERVICE, "ExecStartPre", create.argv());

        service.add(ServiceScaffold.SERVICE, "Environment", "PODMAN_SYSTEMD_UNIT=%n");
        service.set(ServiceScaffold.SERVICE, "Type", "forking");
        service.set(ServiceScaffold.SERVICE, "Restart", "on-failure");
        service.set(ServiceScaffold.SERVICE, "PIDFile", "%t/%N.pid");
        return service;
    }
}
