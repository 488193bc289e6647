#!/usr/bin/env bash
# Set up the real-Lucene differential-testing oracle (tests/lucene/LuceneOracle.java).
#
# Idempotent. Gets Apache Lucene's classic QueryParser ONLY from the registries CI can reach
# (Debian apt, PyPI), compiles the harness into $LUCENE_ORACLE_BUILD (default
# tests/lucene/.build) and writes there:
#   classpath        the java -cp value (harness classes + Lucene jars)
#   lucene-version   e.g. "8.8.1"
#   source           "debian:liblucene8-java=8.8.1-4" or "pypi:pyserini==1.6.0"
# then prints a ready-to-run command. Exits non-zero with a message if Lucene cannot be had.
#
# Sources (LUCENE_SOURCE):
#   debian   (default) Debian bookworm package liblucene8-java: Lucene 8.8.1, 35 MB .deb.
#            Installed with apt-get when running as root; otherwise the .deb is fetched with
#            `apt-get download` and unpacked into the build dir (no root needed).
#   pyserini PyPI sdist pyserini==1.6.0 (165 MB) which bundles anserini-1.7.1-fatjar.jar
#            containing Lucene 9.9.1. Only org/apache/lucene/** is kept (unpacked into the
#            build dir); the download itself is deleted afterwards.
#
# Usage: tests/lucene/setup.sh            # Lucene 8.8.1 from Debian
#        LUCENE_SOURCE=pyserini tests/lucene/setup.sh
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
BUILD="${LUCENE_ORACLE_BUILD:-$HERE/.build}"
SOURCE="${LUCENE_SOURCE:-debian}"
DEB_PKG="liblucene8-java"
PYSERINI_VERSION="1.6.0"
PYSERINI_SHA256="e34761d700b33613c26bc61113effc6d65598dee6ada28a33214f79350f833f4"

die() { echo "setup.sh: ERROR: $*" >&2; exit 1; }
log() { echo "setup.sh: $*" >&2; }

mkdir -p "$BUILD"
SUDO=""
if [ "$(id -u)" != 0 ] && command -v sudo >/dev/null && sudo -n true 2>/dev/null; then SUDO="sudo -n"; fi

# A fresh machine may have no JDK: install Debian's when we can (root or passwordless sudo).
if ! command -v javac >/dev/null || ! command -v java >/dev/null; then
  if [ "$(id -u)" = 0 ] || [ -n "$SUDO" ]; then
    log "no JDK found: installing Debian's default-jdk-headless"
    $SUDO apt-get update -qq >&2 || die "apt-get update failed"
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends default-jdk-headless >&2 \
      || die "could not install a JDK (apt-get install default-jdk-headless)"
  fi
fi
command -v java >/dev/null || die "java not found (need a JDK >= 11; Debian: apt-get install default-jdk-headless)"
command -v javac >/dev/null || die "javac not found (need a JDK >= 11; Debian: apt-get install default-jdk-headless)"

# Prints the Lucene jars (colon-separated) found under a usr/share/java directory.
find_deb_jars() {
  local dir="$1" cp="" name jar
  for name in core queryparser analyzers-common queries sandbox; do
    jar="$(ls "$dir"/lucene-"$name"-8*.jar 2>/dev/null | sort -V | tail -n1 || true)"
    case "$name" in core|queryparser|analyzers-common)
      [ -n "$jar" ] || return 1 ;;
    esac
    [ -n "$jar" ] && cp="${cp:+$cp:}$jar"
  done
  echo "$cp"
}

deb_candidate() {
  # apt-cache policy shows "Candidate: (none)" when the lists are missing/stale for the package.
  # (Captured into a variable: `| grep -q` would SIGPIPE apt-cache under pipefail.)
  local policy
  policy="$(apt-cache policy "$DEB_PKG" 2>/dev/null || true)"
  printf '%s\n' "$policy" | awk '/Candidate:/ && $2 != "(none)" {print $2; exit}'
}

apt_update_if_needed() {
  if [ -z "$(deb_candidate)" ]; then
    log "running apt-get update"
    $SUDO apt-get update -qq || die "apt-get update failed"
  fi
  [ -n "$(deb_candidate)" ] \
    || die "Debian package $DEB_PKG is not available from the configured apt sources (it is in bookworm/main; try LUCENE_SOURCE=pyserini)"
}

setup_debian() {
  command -v apt-get >/dev/null || die "apt-get not found: LUCENE_SOURCE=debian needs a Debian/Ubuntu system (try LUCENE_SOURCE=pyserini)"
  local cp
  if cp="$(find_deb_jars /usr/share/java)"; then
    log "using system-installed $DEB_PKG"
  elif cp="$(find_deb_jars "$BUILD/deb/usr/share/java")"; then
    log "using $DEB_PKG unpacked in $BUILD/deb"
  else
    if [ "$(id -u)" = 0 ]; then
      apt_update_if_needed
      log "apt-get install $DEB_PKG"
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$DEB_PKG" >&2 \
        || die "apt-get install $DEB_PKG failed"
      cp="$(find_deb_jars /usr/share/java)" || die "$DEB_PKG installed but Lucene jars not found in /usr/share/java"
    else
      apt_update_if_needed
      log "not root: apt-get download $DEB_PKG and unpack into $BUILD/deb"
      rm -rf "$BUILD/deb" "$BUILD/debdl"
      mkdir -p "$BUILD/debdl"
      (cd "$BUILD/debdl" && apt-get download "$DEB_PKG" >&2) || die "apt-get download $DEB_PKG failed"
      dpkg-deb -x "$BUILD"/debdl/"$DEB_PKG"_*.deb "$BUILD/debdl/x"
      mkdir -p "$BUILD/deb/usr/share/java"
      # keep only the jars the harness needs (~6 MB of the 37 MB package)
      for name in core queryparser analyzers-common queries sandbox; do
        cp "$BUILD"/debdl/x/usr/share/java/lucene-"$name"-8*.jar "$BUILD/deb/usr/share/java/" 2>/dev/null || true
      done
      basename "$BUILD"/debdl/"$DEB_PKG"_*.deb > "$BUILD/deb/package"
      rm -rf "$BUILD/debdl"
      cp="$(find_deb_jars "$BUILD/deb/usr/share/java")" || die "Lucene jars not found in the unpacked $DEB_PKG"
    fi
  fi
  local pkgver
  if [ "${cp#"$BUILD/deb/"}" != "$cp" ] && [ -f "$BUILD/deb/package" ]; then
    pkgver="$(sed -e "s/^${DEB_PKG}_//" -e 's/_all\.deb$//' "$BUILD/deb/package")"   # from the .deb name
  else
    pkgver="$(dpkg-query -W -f='${Version}' "$DEB_PKG" 2>/dev/null || deb_candidate)"
  fi
  LUCENE_CP="$cp"
  SOURCE_DESC="debian:$DEB_PKG=$pkgver"
}

setup_pyserini() {
  local dest="$BUILD/lucene-pyserini-$PYSERINI_VERSION"
  if [ -f "$dest/.complete" ]; then
    log "using Lucene classes already extracted in $dest"
  else
    command -v python3 >/dev/null || die "python3 not found"
    rm -rf "$dest" "$BUILD/pydl"
    mkdir -p "$BUILD/pydl" "$dest"
    printf 'pyserini==%s --hash=sha256:%s\n' "$PYSERINI_VERSION" "$PYSERINI_SHA256" > "$BUILD/pydl/req.txt"
    log "pip download pyserini==$PYSERINI_VERSION (sdist, ~165 MB; bundles Lucene 9.9.1)"
    # --no-binary: 1.x is published as an sdist only. pip builds its metadata in an isolated env
    # (fetches setuptools from PyPI); nothing is installed.
    python3 -m pip download --quiet --no-deps --no-binary :all: --require-hashes \
        -r "$BUILD/pydl/req.txt" -d "$BUILD/pydl" >&2 \
      || die "pip download pyserini==$PYSERINI_VERSION failed"
    local sdist="$BUILD/pydl/pyserini-$PYSERINI_VERSION.tar.gz"
    [ -f "$sdist" ] || die "pyserini sdist not found after download"
    tar -xzf "$sdist" -C "$BUILD/pydl" --wildcards '*/pyserini/resources/jars/anserini-*-fatjar.jar' \
      || die "no anserini fatjar in the pyserini sdist"
    local fat
    fat="$(ls "$BUILD"/pydl/*/pyserini/resources/jars/anserini-*-fatjar.jar | head -n1)"
    command -v unzip >/dev/null || die "unzip not found (apt-get install unzip)"
    unzip -q -o "$fat" 'org/apache/lucene/*' 'META-INF/services/org.apache.lucene.*' -d "$dest" \
      || die "could not extract Lucene from $fat"
    rm -rf "$BUILD/pydl"
    touch "$dest/.complete"
  fi
  LUCENE_CP="$dest"
  SOURCE_DESC="pypi:pyserini==$PYSERINI_VERSION"
}

case "$SOURCE" in
  debian) setup_debian ;;
  pyserini) setup_pyserini ;;
  *) die "unknown LUCENE_SOURCE=$SOURCE (use debian or pyserini)" ;;
esac

CLASSES="$BUILD/classes-${SOURCE}"
SRC="$HERE/LuceneOracle.java"
STAMP="$CLASSES/.stamp"
want_stamp="$(sha256sum "$SRC" | cut -d' ' -f1) $LUCENE_CP"
if [ ! -f "$STAMP" ] || [ "$(cat "$STAMP")" != "$want_stamp" ]; then
  log "compiling LuceneOracle.java"
  rm -rf "$CLASSES"
  mkdir -p "$CLASSES"
  javac -nowarn -encoding UTF-8 -cp "$LUCENE_CP" -d "$CLASSES" "$SRC" || die "javac failed"
  echo "$want_stamp" > "$STAMP"
fi

FULL_CP="$CLASSES:$LUCENE_CP"
VERSION="$(java -cp "$FULL_CP" LuceneOracle --version)" || die "harness does not run"
smoke="$(printf '%s\n' '{"q": "a AND b c"}' | java -cp "$FULL_CP" LuceneOracle)" || die "harness smoke test failed"
[ "$smoke" = "+a +b c" ] || die "harness smoke test: expected '+a +b c', got '$smoke'"

printf '%s\n' "$FULL_CP" > "$BUILD/classpath"
printf '%s\n' "$VERSION" > "$BUILD/lucene-version"
printf '%s\n' "$SOURCE_DESC" > "$BUILD/source"

log "Lucene $VERSION ready ($SOURCE_DESC)"
echo "CLASSPATH=$FULL_CP"
echo "java -cp '$FULL_CP' LuceneOracle [--json] < queries.jsonl"
