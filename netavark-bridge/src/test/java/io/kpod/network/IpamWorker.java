package io.kpod.network;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** A second kpod process for the IPAM contention test: waits for a go file, then allocates. */
public final class IpamWorker {
    private IpamWorker() {
    }

    public static void main(String[] args) throws Exception {
        Path stateDir = Path.of(args[0]);
        Network network = NetworkJson.readNetwork(Files.readAllBytes(Path.of(args[1])));
        String owner = args[2];
        int count = Integer.parseInt(args[3]);
        Path ready = Path.of(args[4]);
        Path go = Path.of(args[5]);
        Ipam ipam = new Ipam(stateDir);
        Files.createFile(ready);
        while (!Files.exists(go)) {
            Thread.sleep(2);
        }
        for (int i = 0; i < count; i++) {
            InetAddress ip = ipam.allocate(network, owner + "-" + i, Optional.empty()).get(0);
            System.out.println(IpAddresses.format(ip));
        }
    }
}
