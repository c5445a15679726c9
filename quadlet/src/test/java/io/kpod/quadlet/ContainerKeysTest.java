package io.kpod.quadlet;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every [Container] key: the unit lines and the exact kpod arguments they produce. */
class ContainerKeysTest {
    private static final String POD = "[Pod]\n";

    /** A row: [Container] lines, the command key to read, and its exact arguments after the binary. */
    record Row(String lines, String commandKey, String expected, String serviceFile) {
        Row(String lines, String commandKey, String expected) {
            this(lines, commandKey, expected, "test.service");
        }

        Row inService(String name) {
            return new Row(lines, commandKey, expected, name);
        }

        @Override
        public String toString() {
            return commandKey + ": " + (lines.isEmpty() ? "(no extra keys)" : lines.replace("\n", " | "));
        }
    }

    /** run's fixed arguments with flags at their three places: before --cgroups, before --sdnotify, after -d. */
    static String run(String early, String mid, String late) {
        return "run --name systemd-%N --cidfile=%t/%N.cid --replace --rm" + sp(early) + " --cgroups=split" + sp(mid)
                + " --sdnotify=conmon -d" + sp(late) + " localhost/img";
    }

    private static String sp(String s) {
        return s.isEmpty() ? "" : " " + s;
    }

    static Row mid(String lines, String expected) {
        return new Row(lines, "ExecStart", run("", expected, ""));
    }

    static Row late(String lines, String expected) {
        return new Row(lines, "ExecStart", run("", "", expected));
    }

    static Row full(String lines, String key, String expected) {
        return new Row(lines, key, expected);
    }

    static Stream<Row> rows() {
        return Stream.of(
                full("", "ExecStart", run("", "", "")),
                new Row("LogDriver=journald\nLogOpt=tag=web max-size=10m", "ExecStart",
                        run("--log-driver journald --log-opt tag=web --log-opt max-size=10m", "", "")),
                full("CgroupsMode=enabled", "ExecStart", "run --name systemd-%N --cidfile=%t/%N.cid --replace --rm"
                        + " --cgroups enabled --sdnotify=conmon -d localhost/img"),
                full("ContainerName=web", "ExecStart", "run --name web --cidfile=%t/%N.cid --replace --rm"
                        + " --cgroups=split --sdnotify=conmon -d localhost/img"),
                full("ContainersConfModule=/etc/kpod/gpu.conf", "ExecStart", "--module=/etc/kpod/gpu.conf " + run("", "", "")),
                full("ContainersConfModule=/etc/kpod/gpu.conf", "ExecStop",
                        "--module=/etc/kpod/gpu.conf rm -v -f -i --cidfile=%t/%N.cid"),
                full("GlobalArgs=--log-level=debug \"--root=/var/lib/k pod\"", "ExecStart",
                        "--log-level=debug \"--root=/var/lib/k pod\" " + run("", "", "")),
                full("GlobalArgs=--log-level=debug", "ExecStopPost", "--log-level=debug rm -v -f -i --cidfile=%t/%N.cid"),
                mid("Entrypoint=/bin/sh", "--entrypoint /bin/sh"),
                mid("Entrypoint=\"\"", "--entrypoint \"\""),
                mid("Timezone=local", "--tz local"),
                mid("PidsLimit=100", "--pids-limit 100"),
                mid("ShmSize=128m", "--shm-size 128m"),
                mid("WorkingDir=/srv", "--workdir /srv"),
                mid("IP=10.88.0.5", "--ip 10.88.0.5"),
                mid("IP6=fd00::5", "--ip6 fd00::5"),
                mid("HostName=web", "--hostname web"),
                mid("StopSignal=SIGINT", "--stop-signal SIGINT"),
                mid("StopTimeout=20", "--stop-timeout 20"),
                mid("Pull=newer", "--pull newer"),
                mid("Memory=512m", "--memory 512m"),
                mid("Retry=5", "--retry 5"),
                mid("RetryDelay=10s", "--retry-delay 10s"),
                mid("NetworkAlias=web\nNetworkAlias=www", "--network-alias web --network-alias www"),
                mid("Ulimit=nofile=1024:2048", "--ulimit nofile=1024:2048"),
                mid("DNS=10.0.0.53\nDNS=", ""),
                mid("DNS=10.0.0.53", "--dns 10.0.0.53"),
                mid("DNSOption=ndots:2", "--dns-option ndots:2"),
                mid("DNSSearch=example.com", "--dns-search example.com"),
                mid("GroupAdd=keep-groups", "--group-add keep-groups"),
                mid("AddHost=db:10.0.0.2", "--add-host db:10.0.0.2"),
                mid("Tmpfs=/run:rw,size=64m", "--tmpfs /run:rw,size=64m"),
                mid("RunInit=true", "--init"),
                mid("EnvironmentHost=yes", "--env-host"),
                mid("HttpProxy=false", "--http-proxy=false"),
                mid("ReadOnlyTmpfs=no", "--read-only-tmpfs=false"),
                mid("Network=host\nNetwork=bridge", "--network host --network bridge"),
                full("Notify=true", "ExecStart", "run --name systemd-%N --cidfile=%t/%N.cid --replace --rm"
                        + " --cgroups=split --sdnotify=container -d localhost/img"),
                full("Notify=healthy", "ExecStart", "run --name systemd-%N --cidfile=%t/%N.cid --replace --rm"
                        + " --cgroups=split --sdnotify=healthy -d localhost/img"),
                late("NoNewPrivileges=true", "--security-opt=no-new-privileges"),
                late("SecurityLabelDisable=true", "--security-opt label=disable"),
                late("SecurityLabelNested=true", "--security-opt label=nested"),
                late("SecurityLabelType=spc_t", "--security-opt label=type:spc_t"),
                late("SecurityLabelFileType=usr_t", "--security-opt label=filetype:usr_t"),
                late("SecurityLabelLevel=s0:c1,c2", "--security-opt label=level:s0:c1,c2"),
                late("AppArmor=my-profile", "--security-opt apparmor=my-profile"),
                late("AddDevice=/dev/fuse", "--device /dev/fuse"),
                late("AddDevice=-/dev/null:/dev/x:rw -/nonexistent/dev", "--device /dev/null:/dev/x:rw"),
                late("SeccompProfile=/etc/seccomp.json", "--security-opt seccomp=/etc/seccomp.json"),
                late("DropCapability=ALL", "--cap-drop all"),
                late("AddCapability=CAP_NET_ADMIN SYS_TIME", "--cap-add cap_net_admin --cap-add sys_time"),
                late("Sysctl=net.ipv4.ip_forward=1 net.core.somaxconn=1024",
                        "--sysctl net.ipv4.ip_forward=1 --sysctl net.core.somaxconn=1024"),
                late("ReadOnly=true", "--read-only"),
                late("ReadOnly=false", "--read-only=false"),
                late("VolatileTmp=true", "--tmpfs /tmp:rw,size=512M,mode=1777"),
                late("ReadOnly=true\nVolatileTmp=true", "--read-only"),
                late("User=app", "--user app"),
                late("User=app\nGroup=web", "--user app:web"),
                late("UserNS=keep-id:uid=1000", "--userns keep-id:uid=1000"),
                late("UIDMap=0:10000:10\nGIDMap=0:20000:10", "--uidmap 0:10000:10 --gidmap 0:20000:10"),
                late("SubUIDMap=app\nSubGIDMap=app", "--subuidname app --subgidname app"),
                late("RemapUsers=auto\nRemapUid=0:1000:10\nRemapUidSize=20",
                        "--userns auto:uidmapping=0:1000:10,size=20"),
                late("RemapUsers=keep-id\nRemapUid=1000\nRemapGid=1000", "--userns keep-id:uid=1000,gid=1000"),
                late("RemapUsers=manual\nRemapUid=0:1000:10\nRemapGid=0:2000:10",
                        "--uidmap 0:1000:10 --gidmap 0:2000:10"),
                late("Volume=/srv/data:/data:ro,Z\nVolume=/scratch", "-v /srv/data:/data:ro,Z -v /scratch"),
                late("Volume=./data:/data", "-v /etc/containers/systemd/data:/data"),
                late("AutoUpdate=registry", "--label io.containers.autoupdate=registry"),
                late("ExposeHostPort=8080/tcp\nExposeHostPort=9000-9010", "--expose 8080/tcp --expose 9000-9010"),
                late("PublishPort=8080:80\nPublishPort=[::]:8443:443/tcp",
                        "--publish 8080:80 --publish [::]:8443:443/tcp"),
                late("Environment=B=2 \"C=two words\"\nEnvironment=A=1 B=3",
                        "--env A=1 --env B=3 --env \"C=two words\""),
                late("Label=tier=web app=shop", "--label app=shop --label tier=web"),
                late("Annotation=b=2 a=1", "--annotation a=1 --annotation b=2"),
                late("Mask=/proc/a:/proc/b", "--security-opt mask=/proc/a:/proc/b"),
                late("Unmask=ALL", "--security-opt unmask=ALL"),
                late("EnvironmentFile=env/web.env /etc/app.env",
                        "--env-file /etc/containers/systemd/env/web.env --env-file /etc/app.env"),
                late("Secret=token,type=env,target=TOKEN", "--secret token,type=env,target=TOKEN"),
                late("Mount=type=bind,src=/srv,dst=/data,ro=true", "--mount type=bind,source=/srv,dst=/data,ro=true"),
                late("Mount=type=tmpfs,tmpfs-size=64M,destination=/cache",
                        "--mount type=tmpfs,tmpfs-size=64M,destination=/cache"),
                late("Mount=type=bind,source=./conf,destination=/conf,\\\"relabel=shared,x\\\"",
                        "--mount \"type=bind,source=/etc/containers/systemd/conf,destination=/conf,\\\"relabel=shared,x\\\"\""),
                late("HealthCmd=/bin/check --fast\nHealthInterval=30s\nHealthOnFailure=kill\n"
                        + "HealthLogDestination=/var/log/h\nHealthMaxLogCount=5\nHealthMaxLogSize=500\n"
                        + "HealthRetries=3\nHealthStartPeriod=1m\nHealthTimeout=5s\nHealthStartupCmd=/bin/ready\n"
                        + "HealthStartupInterval=2s\nHealthStartupRetries=10\nHealthStartupSuccess=2\n"
                        + "HealthStartupTimeout=3s",
                        "--health-cmd \"/bin/check --fast\" --health-interval 30s --health-on-failure kill"
                                + " --health-log-destination /var/log/h --health-max-log-count 5"
                                + " --health-max-log-size 500 --health-retries 3 --health-start-period 1m"
                                + " --health-timeout 5s --health-startup-cmd /bin/ready --health-startup-interval 2s"
                                + " --health-startup-retries 10 --health-startup-success 2 --health-startup-timeout 3s"),
                late("Pod=app.pod", "--pod-id-file %t/app-pod.pod-id"),
                late("Pod=app.pod\nStartWithPod=false", "--pod-id-file %t/app-pod.pod-id"),
                late("PodmanArgs=--cpus=2 \"--annotation=x=a b\"", "--cpus=2 \"--annotation=x=a b\""),
                full("Exec=/bin/sh -c \"echo 'hi there'\"", "ExecStart",
                        run("", "", "") + " /bin/sh -c \"echo 'hi there'\""),
                full("Exec=/some/path \"an arg\" a;b\\nc\\td 'a\"b' '\\110ello \\127orld'", "ExecStart",
                        run("", "", "") + " /some/path \"an arg\" \"a;b\\nc\\td\" \"a\\\"b\" \"Hello World\""),
                full("Image=\nRootfs=/var/lib/rootfs:O", "ExecStart", "run --name systemd-%N --cidfile=%t/%N.cid"
                        + " --replace --rm --cgroups=split --sdnotify=conmon -d --rootfs /var/lib/rootfs:O"),
                full("ReloadCmd=/bin/kill -HUP 1", "ExecReload", "exec systemd-%N /bin/kill -HUP 1"),
                full("ReloadSignal=SIGHUP", "ExecReload", "kill --signal SIGHUP systemd-%N"),
                full("ServiceName=web-svc", "ExecStart", run("", "", "")).inService("web-svc.service"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void keyProducesExactArguments(Row row) {
        UnitFile service = Units.of("test.container", "[Container]\nImage=localhost/img\n" + row.lines() + "\n")
                .with("app.pod", POD).service(row.serviceFile());
        assertThat(Units.args(service, row.commandKey())).isEqualTo(row.expected());
    }

    @Test
    void everySupportedKeyHasARow() {
        Set<String> covered = new TreeSet<>();
        rows().forEach(r -> Arrays.stream(r.lines().split("\n")).filter(l -> l.contains("="))
                .forEach(l -> covered.add(l.substring(0, l.indexOf('=')))));
        covered.add("Image");
        assertThat(covered).containsExactlyInAnyOrderElementsOf(new ContainerConverter().supportedKeys());
    }
}
