#!/usr/bin/env bash
# The floor of a Netty reverse proxy (BareNettyProxy.java beside this file), on the Netty version of the root pom
# (the one the product shades), from the local Maven repository. For run.sh's --extra; see ../README.md.
#
# Usage: examples/bench/baseline/bare-netty.sh http|raw|tcp PORT ORIGIN_PORT
#   http  HttpServerCodec downstream, pooled keep-alive HttpClientCodec upstream, responses streamed
#   raw   a hand-written HTTP/1.1 codec on ByteBufs both ways (Content-Length bodies), pooled keep-alive upstream
#   tcp   each client connection spliced to one upstream connection, bytes passed through
# Environment: MESHUNIT_JAVA_OPTS (default: the flags run.sh gives MeshUnit), -Dmeshunit.transport=nio in it
#              for NIO; MAVEN_REPO (default ~/.m2/repository).
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../../.." && pwd)
# shellcheck source=../lib.sh
. "$ROOT/examples/bench/lib.sh"
die() { printf 'bare-netty: %s\n' "$*" >&2; exit 1; }
[ $# = 3 ] || die "usage: bare-netty.sh http|raw|tcp PORT ORIGIN_PORT"

VERSION=$(sed -nE 's|.*<netty\.version>([^<]+)</netty\.version>.*|\1|p' "$ROOT/pom.xml" | head -n1)
[ -n "$VERSION" ] || die "no <netty.version> in $ROOT/pom.xml"
REPO=${MAVEN_REPO:-$HOME/.m2/repository}
CP=""
for a in common buffer transport resolver codec-base codec-http handler transport-native-unix-common \
         transport-classes-epoll transport-native-epoll:linux-x86_64; do
  name=netty-${a%%:*}
  jar=$REPO/io/netty/$name/$VERSION/$name-$VERSION${a#"${a%%:*}"}.jar
  jar=${jar/:/-}
  [ -f "$jar" ] || die "$jar missing: 'mvn -B -q -DskipTests package -pl harness-core' in $ROOT fetches it"
  CP=$CP${CP:+:}$jar
done

# Compiled once per source and Netty version, outside the worktree.
SUM=$(cat "$HERE"/*.java | sha1sum | cut -c1-12)
CLASSES=${TMPDIR:-/tmp}/bare-netty-$VERSION-$SUM
if [ ! -f "$CLASSES/BareNettyProxy.class" ]; then
  mkdir -p "$CLASSES.tmp.$$"
  javac --release 17 -nowarn -cp "$CP" -d "$CLASSES.tmp.$$" "$HERE"/*.java
  mv -T "$CLASSES.tmp.$$" "$CLASSES" 2>/dev/null || rm -rf "$CLASSES.tmp.$$"
fi
# shellcheck disable=SC2086  # a list of flags
exec java ${MESHUNIT_JAVA_OPTS:-$MESHUNIT_JAVA_OPTS_DEFAULT} -cp "$CLASSES:$CP" BareNettyProxy "$@"
