#!/usr/bin/env bash
# Builds the images that MeshUnit's container tests use, with no container registry:
#
#   tc-local/busybox:1  busybox-static from Debian; CMD serves /www with busybox httpd on port 80
#   tc-local/jre17:1    the same busybox, this host's glibc libraries and a jlink'ed JRE from the
#                       host's JDK 17 in /opt/java (java on PATH); CMD is `java -version`
#
# The tests read the names from the system properties tc.busybox.image and tc.jre.image, which the
# parent pom sets. An image that exists already is left alone; FORCE=1 rebuilds both.
# Needs root (for apt-get update if the package lists are missing), a running daemon
# (start-dockerd.sh) and a JDK with jlink.
#
# Environment:
#   BUSYBOX_IMAGE, JRE_IMAGE  image names (defaults above)
#   JDK_HOME                  JDK whose jlink and modules go into the JRE image
#                             (default: /usr/lib/jvm/java-17-openjdk-amd64 if present, else javac's JDK)
#   FORCE=1                   rebuild images that exist
set -euo pipefail

BUSYBOX_IMAGE=${BUSYBOX_IMAGE:-tc-local/busybox:1}
JRE_IMAGE=${JRE_IMAGE:-tc-local/jre17:1}
FORCE=${FORCE:-0}
# what Java services in tests plausibly need; jdk.httpserver for the JDK's own HTTP server
readonly JRE_MODULES=java.base,java.logging,java.management,java.naming,java.net.http,java.sql,java.xml,jdk.crypto.ec,jdk.httpserver,jdk.unsupported,jdk.zipfs
readonly LABEL=dev.meshunit.local-image=true

log() { printf '[build-images] %s\n' "$*" >&2; }

docker info >/dev/null 2>&1 || { log "no Docker daemon answers: run tools/docker/start-dockerd.sh first"; exit 1; }

needs_build() {
  [ "$FORCE" = 1 ] && return 0
  ! docker image inspect "$1" >/dev/null 2>&1
}

if ! needs_build "$BUSYBOX_IMAGE" && ! needs_build "$JRE_IMAGE"; then
  log "$BUSYBOX_IMAGE and $JRE_IMAGE exist (FORCE=1 rebuilds)"
  exit 0
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/meshunit-images.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

# Replaces the tag; the image it replaces would stay behind as a dangling <none> image.
import_rootfs() {
  local root=$1 image=$2; shift 2
  local old
  old=$(docker image inspect -f '{{.Id}}' "$image" 2>/dev/null || true)
  tar --numeric-owner -C "$root" -cf - . | docker import --change "LABEL $LABEL" "$@" - "$image" >/dev/null
  if [ -n "$old" ] && [ "$old" != "$(docker image inspect -f '{{.Id}}' "$image")" ]; then
    docker image rm "$old" >/dev/null 2>&1 || true
  fi
}

# A minimal root file system in $1: static busybox plus one symlink per applet, passwd, group, /tmp.
make_busybox_rootfs() {
  local root=$1
  if [ ! -d "$WORK/busybox" ]; then
    # `apt-get download` only fetches the .deb; nothing is installed on the host.
    if ! (cd "$WORK" && apt-get download -qq busybox-static 2>/dev/null); then
      log "apt-get download failed: updating the package lists once"
      apt-get update -qq
      (cd "$WORK" && apt-get download -qq busybox-static)
    fi
    dpkg -x "$WORK"/busybox-static_*.deb "$WORK/busybox"
  fi
  mkdir -p "$root"/{bin,etc,tmp,www,root,proc,sys,dev}
  chmod 1777 "$root/tmp"
  install -m 0755 "$WORK/busybox/bin/busybox" "$root/bin/busybox"
  local applet
  for applet in $("$root/bin/busybox" --list); do
    [ "$applet" = busybox ] || ln -sf busybox "$root/bin/$applet"
  done
  printf 'root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n' >"$root/etc/passwd"
  printf 'root:x:0:\nnogroup:x:65534:\n' >"$root/etc/group"
  printf 'hello from busybox httpd\n' >"$root/www/index.html"
}

find_jdk() {
  if [ -n "${JDK_HOME:-}" ]; then echo "$JDK_HOME"
  elif [ -x /usr/lib/jvm/java-17-openjdk-amd64/bin/jlink ]; then echo /usr/lib/jvm/java-17-openjdk-amd64
  else dirname "$(dirname "$(readlink -f "$(command -v javac)")")"
  fi
}

# Copies into $1 every shared library that the runtime under $1/opt/java links to (glibc,
# libstdc++, zlib, the loader). glibc >= 2.34 has the files and dns NSS modules built in.
copy_host_libraries() {
  local root=$1 lib
  find "$root/opt/java" -type f \( -name '*.so' -o -path '*/bin/*' \) -print0 \
    | xargs -0 ldd 2>/dev/null \
    | grep -oE '/[^ ]+\.so[^ ]*' | grep -v "^$root" | sort -u >"$WORK/libs.txt"
  while read -r lib; do
    [ -e "$lib" ] || continue
    mkdir -p "$root$(dirname "$lib")"
    cp -L "$lib" "$root$lib"
  done <"$WORK/libs.txt"
  log "copied $(wc -l <"$WORK/libs.txt") host libraries"
}

if needs_build "$BUSYBOX_IMAGE"; then
  start=$SECONDS
  make_busybox_rootfs "$WORK/busybox-root"
  import_rootfs "$WORK/busybox-root" "$BUSYBOX_IMAGE" \
    --change 'ENV PATH=/bin' --change 'WORKDIR /' --change 'EXPOSE 80' \
    --change 'CMD ["httpd", "-f", "-v", "-p", "80", "-h", "/www"]'
  docker run --rm --network none "$BUSYBOX_IMAGE" true \
    || { log "$BUSYBOX_IMAGE does not run"; docker image rm "$BUSYBOX_IMAGE" >/dev/null 2>&1; exit 1; }
  log "built $BUSYBOX_IMAGE in $((SECONDS - start)) s"
else
  log "$BUSYBOX_IMAGE exists"
fi

if needs_build "$JRE_IMAGE"; then
  start=$SECONDS
  jdk=$(find_jdk)
  log "JRE from $jdk ($("$jdk/bin/java" -version 2>&1 | head -n1))"
  root="$WORK/jre-root"
  make_busybox_rootfs "$root"   # /bin/sh in the image: Testcontainers' wait checks exec it
  mkdir -p "$root/opt" "$root/app"
  if ! "$jdk/bin/jlink" --add-modules "$JRE_MODULES" --strip-debug --no-header-files --no-man-pages \
      --output "$root/opt/java" >"$WORK/jlink.log" 2>&1; then
    log "jlink failed ($(tail -n1 "$WORK/jlink.log")): copying the whole JDK instead"
    rm -rf "$root/opt/java"
    cp -a -L "$jdk" "$root/opt/java"   # -L: Debian's JDK links into /etc and /usr/share
  fi
  copy_host_libraries "$root"
  import_rootfs "$root" "$JRE_IMAGE" \
    --change 'ENV PATH=/opt/java/bin:/bin' --change 'ENV JAVA_HOME=/opt/java' \
    --change 'ENV LANG=C.UTF-8' --change 'WORKDIR /app' --change 'CMD ["java", "-version"]'
  # Checked in a container, not a chroot: without /proc the loader cannot find libjli.so.
  if ! docker run --rm --network none "$JRE_IMAGE" java -version >"$WORK/check.log" 2>&1; then
    log "$JRE_IMAGE: 'java -version' fails in a container:"
    cat "$WORK/check.log" >&2
    docker image rm "$JRE_IMAGE" >/dev/null 2>&1 || true
    exit 1
  fi
  log "built $JRE_IMAGE in $((SECONDS - start)) s ($(head -n1 "$WORK/check.log"))"
else
  log "$JRE_IMAGE exists"
fi

docker image ls --filter "label=$LABEL" --format '{{.Repository}}:{{.Tag}}  {{.Size}}' >&2
