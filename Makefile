# kpod: `make demo` and `make test` do all their own set-up on a fresh Debian 12 host (as root).
SHELL := /bin/bash
RUNTIME_PKGS := runc crun conmon netavark aardvark-dns iptables catatonit busybox-static skopeo \
                docker-registry uidmap jq golang-github-containers-common apache2-utils systemd python3
MVN := mvn -B -ntp
DIST := cli/target/kpod
TEST_IMAGE_TAR := build/busybox-rootfs.tar

.PHONY: all deps build cds testimage demo test clean install-generators install-systemd
PREFIX_SYSTEMD := /usr/lib/systemd

all: build

## deps: install the runtime packages and build tools that are missing (apt-get update only then)
deps:
	@missing=""; \
	for p in $(RUNTIME_PKGS); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || missing="$$missing $$p"; \
	done; \
	command -v mvn >/dev/null || missing="$$missing maven"; \
	command -v javac >/dev/null || missing="$$missing openjdk-17-jdk-headless"; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

## build: compile and package every module (tests run in `make test`)
build: deps
	$(MVN) -q -DskipTests install
	@$(MAKE) --no-print-directory cds

## cds: a class-data-sharing archive of the classes kpod's commands load (ps, kube play…), for the JDK bin/kpod uses
cds:
	@major=$$(KPOD_NO_CDS=1 bin/kpod version | sed -n 's/^Java Version: *\([0-9]*\).*/\1/p'); \
	tmp=$$(mktemp -d); trap 'rm -rf "$$tmp"' EXIT; \
	java=$$(cut -d' ' -f1 $(DIST)/.java-choice); \
	rm -f $(DIST)/kpod-jdk$$major.jsa $(DIST)/kpod-jdk$$major.aot; \
	if [ "$$major" -ge 25 ]; then archive=$(DIST)/kpod-jdk$$major.aot; dump=-XX:AOTCacheOutput=$$archive; \
	else archive=$(DIST)/kpod-jdk$$major.jsa; dump=-XX:ArchiveClassesAtExit=$$archive; fi; \
	"$$java" $$dump -Xlog:disable -Xlog:all=off \
	  --enable-native-access=ALL-UNNAMED -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k -XX:-UsePerfData \
	  $$( [ "$$major" -ge 24 ] && echo --sun-misc-unsafe-memory-access=allow ) \
	  -jar $(DIST)/kpod.jar __cds-training \
	  "--root $$tmp/root --runroot $$tmp/run --network-config-dir $$tmp/net version" \
	  "--root $$tmp/root --runroot $$tmp/run --network-config-dir $$tmp/net ps -a" \
	  "--root $$tmp/root --runroot $$tmp/run --network-config-dir $$tmp/net pod ps" \
	  "--root $$tmp/root --runroot $$tmp/run --network-config-dir $$tmp/net images" \
	  "--root $$tmp/root --runroot $$tmp/run --network-config-dir $$tmp/net pull -q --retry 0 --tls-verify=false {registry}/kpod/cds:1" \
	  "--root $$tmp/root --runroot $$tmp/run --network-config-dir $$tmp/net pull -q --retry 0 127.0.0.1:9/kpod/cds:1" \
	  "--root $$tmp/root --runroot $$tmp/run --network-config-dir $$tmp/net kube play scripts/cds-training.yaml" \
	  "--root $$tmp/root --runroot $$tmp/run --network-config-dir $$tmp/net kube down scripts/cds-training.yaml" \
	  >/dev/null && \
	echo "class archive: $$archive"

## testimage: the busybox rootfs tar that tests and the demo import as localhost/busybox:latest
testimage: build
	@mkdir -p build
	@[ -f $(TEST_IMAGE_TAR) ] || java -cp '$(DIST)/lib/*' io.kpod.engine.image.TestImages $(TEST_IMAGE_TAR)

## demo: serve a page from a busybox httpd container and fetch it from the host
demo: testimage
	@scripts/demo.sh

## test: every test, unit and root-only end-to-end, on the real runtime. The build and the
## class-data-sharing archive come first, so the end-to-end tests run kpod as users do.
test: deps
	$(MVN) -DskipTests install
	@$(MAKE) --no-print-directory cds
	$(MVN) surefire:test

## install-generators: link the Quadlet generators into systemd's generator dirs (DESTDIR honoured)
install-generators:
	install -d $(DESTDIR)$(PREFIX_SYSTEMD)/system-generators $(DESTDIR)$(PREFIX_SYSTEMD)/user-generators
	ln -sfn $(CURDIR)/bin/kpod-system-generator $(DESTDIR)$(PREFIX_SYSTEMD)/system-generators/kpod-system-generator
	ln -sfn $(CURDIR)/bin/kpod-user-generator $(DESTDIR)$(PREFIX_SYSTEMD)/user-generators/kpod-user-generator

## install-systemd: the Quadlet generators plus the kpod-kube@.service template (DESTDIR honoured)
install-systemd: install-generators
	install -d $(DESTDIR)$(PREFIX_SYSTEMD)/system $(DESTDIR)$(PREFIX_SYSTEMD)/user
	sed 's|@KPOD@|$(CURDIR)/bin/kpod|g' systemd/kpod-kube@.service > $(DESTDIR)$(PREFIX_SYSTEMD)/system/kpod-kube@.service
	sed 's|@KPOD@|$(CURDIR)/bin/kpod|g' systemd/kpod-kube@.service > $(DESTDIR)$(PREFIX_SYSTEMD)/user/kpod-kube@.service

clean:
	$(MVN) -q clean
	rm -rf build
