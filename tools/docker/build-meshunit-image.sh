#!/usr/bin/env bash
# Builds meshunit/meshunit:local (and :VERSION) from chaos-scenarios/target/meshunit.jar on the project's base
# image tc-local/jre17:1, with no registry. Run tools/docker/build-images.sh first, and `mvn -B package` (or
# `mvn -B -q -pl chaos-scenarios -am package -DskipTests`) for the jar. MeshUnitContainer's default image, and the
# image of examples/storefront/compose.yaml.
#
# Environment: JRE_IMAGE (tc-local/jre17:1), IMAGE (meshunit/meshunit), JAR (chaos-scenarios/target/meshunit.jar)
set -euo pipefail
cd "$(dirname "$0")/../.."
JRE_IMAGE=${JRE_IMAGE:-tc-local/jre17:1}
IMAGE=${IMAGE:-meshunit/meshunit}
JAR=${JAR:-chaos-scenarios/target/meshunit.jar}
log() { printf '[build-meshunit-image] %s\n' "$*" >&2; }

[ -f "$JAR" ] || { log "no $JAR: run mvn -B -q -pl chaos-scenarios -am package -DskipTests first"; exit 1; }
docker image inspect "$JRE_IMAGE" >/dev/null 2>&1 || { log "no $JRE_IMAGE: run tools/docker/build-images.sh first"; exit 1; }
version=$(unzip -p "$JAR" META-INF/MANIFEST.MF | sed -n 's/^Implementation-Version: *//p' | tr -d '\r')

WORK=$(mktemp -d "${TMPDIR:-/tmp}/meshunit-image.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
cp tools/docker/meshunit/Dockerfile "$JAR" chaos-scenarios/bin/meshunit "$WORK/"
# The classic builder: it takes FROM from the local images, where BuildKit would try to reach a registry.
DOCKER_BUILDKIT=0 docker build -q --build-arg "BASE=$JRE_IMAGE" --label dev.meshunit.local-image=true \
  -t "$IMAGE:local" -t "$IMAGE:${version:-unknown}" "$WORK" >/dev/null
docker run --rm "$IMAGE:local" version
# The class-data sharing archive maps (-Xshare:on fails when it does not).
docker run --rm --entrypoint java "$IMAGE:local" -Xshare:on -XX:SharedArchiveFile=/opt/meshunit/meshunit.jsa \
  -jar /opt/meshunit/meshunit.jar version >/dev/null 2>&1 \
  || log "warning: the image's class-data sharing archive does not map: it works, but starts slower"
# The packaged jar end to end: YAML, a process probe, a jsonpath tolerance (exit 0 only if it held).
docker run --rm -i --entrypoint sh "$IMAGE:local" -c 'cat >/tmp/smoke.yaml &&
  java -jar /opt/meshunit/meshunit.jar run /tmp/smoke.yaml --no-report --journal-path /tmp/journal.json' \
  <tools/docker/meshunit/smoke-experiment.yaml
log "built $IMAGE:local and $IMAGE:${version:-unknown}"
