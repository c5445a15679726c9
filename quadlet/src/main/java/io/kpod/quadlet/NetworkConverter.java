package io.kpod.quadlet;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code .network} → a oneshot service running {@code kpod network create --ignore}. */
final class NetworkConverter implements UnitConverter {
    static final String SECTION = "Network";

    private static final Set<String> KEYS = Set.of("ContainersConfModule", "DNS", "DisableDNS", "Driver", "Gateway",
            "GlobalArgs", "IPAMDriver", "IPRange", "IPv6", "InterfaceName", "Internal", "Label", "NetworkDeleteOnStop",
            "NetworkName", "Options", "PodmanArgs", "ServiceName", "Subnet");

    private static final Map<String, String> BOOL_FLAGS = ContainerConverter.ordered(
            "DisableDNS", "--disable-dns", "Internal", "--internal", "IPv6", "--ipv6");
    private static final Map<String, String> STRING_FLAGS = ContainerConverter.ordered(
            "Driver", "--driver", "IPAMDriver", "--ipam-driver", "InterfaceName", "--interface-name");

    @Override
    public Set<String> supportedKeys() {
        return KEYS;
    }

    @Override
    public UnitFile convert(UnitFile unit, ConversionContext ctx) {
        UnitFile service = ServiceScaffold.create(unit, UnitType.NETWORK, KEYS, ctx);
        String networkName = ctx.infoOf(unit).resourceName();
        if (unit.lookupBoolean(SECTION, "NetworkDeleteOnStop", false)) {
            service.addCommand(ServiceScaffold.SERVICE, "ExecStopPost",
                    KpodCommand.base(ctx, unit, SECTION).add("network", "rm", networkName).argv());
        }
        KpodCommand create = KpodCommand.base(ctx, unit, SECTION).add("network", "create", "--ignore");
        BOOL_FLAGS.forEach((key, flag) -> unit.lookupBoolean(SECTION, key).ifPresent(v -> create.addBool(flag, v)));
        STRING_FLAGS.forEach((key, flag) -> unit.lookupNonEmpty(SECTION, key).ifPresent(v -> create.add(flag, v)));
        unit.lookupAll(SECTION, "DNS").forEach(dns -> create.add("--dns", dns));
        subnets(unit, create);
        create.addKeyVals("--opt", unit.lookupAllKeyVal(SECTION, "Options"));
        create.addKeyVals("--label", unit.lookupAllKeyVal(SECTION, "Label"));
        CommonOptions.podmanArgs(unit, SECTION, create);
        create.add(networkName);
        service.addCommand(ServiceScaffold.SERVICE, "ExecStart", create.argv());
        OneshotService.applyDefaults(service);
        return service;
    }

    /** The i-th Gateway and IPRange belong to the i-th Subnet. */
    private static void subnets(UnitFile unit, KpodCommand create) {
        List<String> subnets = unit.lookupAll(SECTION, "Subnet");
        List<UnitEntry> gateways = unit.allEntries(SECTION, "Gateway");
        List<UnitEntry> ranges = unit.allEntries(SECTION, "IPRange");
        if (subnets.isEmpty()) {
            if (!gateways.isEmpty() || !ranges.isEmpty()) {
                UnitEntry e = gateways.isEmpty() ? ranges.get(0) : gateways.get(0);
                throw QuadletException.at(e, "cannot set gateway or range without subnet");
            }
            return;
        }
        if (gateways.size() > subnets.size()) {
            throw QuadletException.at(gateways.get(subnets.size()), "cannot set more gateways than subnets");
        }
        if (ranges.size() > subnets.size()) {
            throw QuadletException.at(ranges.get(subnets.size()), "cannot set more ranges than subnets");
        }
        for (int i = 0; i < subnets.size(); i++) {
            create.add("--subnet", subnets.get(i));
            if (i < gateways.size()) {
                create.add("--gateway", gateways.get(i).value());
            }
            if (i < ranges.size()) {
                create.add("--ip-range", ranges.get(i).value());
            }
        }
    }
}
