#!/usr/bin/env bash
# Builds meshunit/storefront:local (this module's classes and Jedis on tc-local/jre17:1) and meshunit/redis:local
# (this machine's redis-server and the libraries it links, on the same image), for compose.yaml. The test
# (StorefrontExperimentTest) builds the same images itself through Testcontainers.
set -euo pipefail
cd "$(dirname "$0")"
JRE_IMAGE=${JRE_IMAGE:-tc-local/jre17:1}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/storefront-images.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

mvn -B -q -f ../../pom.xml -pl examples/storefront -am package -DskipTests
mvn -B -q dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$WORK/app/lib"
cp -r target/classes "$WORK/app/classes"
cat >"$WORK/app/Dockerfile" <<DOCKERFILE
FROM $JRE_IMAGE
COPY classes /opt/app/classes
COPY lib /opt/app/lib
ENV CLASSPATH=/opt/app/classes:/opt/app/lib/*
ENTRYPOINT ["java", "dev.meshunit.examples.storefront.Storefront"]
DOCKERFILE
DOCKER_BUILDKIT=0 docker build -q -t meshunit/storefront:local "$WORK/app" >/dev/null

mkdir -p "$WORK/redis"
cp /usr/bin/redis-server "$WORK/redis/"
printf 'FROM %s\nCOPY redis-server /usr/bin/redis-server\n' "$JRE_IMAGE" >"$WORK/redis/Dockerfile"
i=0
for lib in $(ldd /usr/bin/redis-server | sed -n 's/.*=> \(\/[^ ]*\).*/\1/p'); do
  cp -L "$lib" "$WORK/redis/lib$i"
  echo "COPY lib$i $lib" >>"$WORK/redis/Dockerfile"
  i=$((i + 1))
done
echo 'ENTRYPOINT ["/usr/bin/redis-server"]' >>"$WORK/redis/Dockerfile"
DOCKER_BUILDKIT=0 docker build -q -t meshunit/redis:local "$WORK/redis" >/dev/null
echo "built meshunit/storefront:local and meshunit/redis:local"
