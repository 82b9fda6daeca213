# reviewgym: the C11 OpenEnv server, ready for a Hugging Face Space (sdk: docker,
# app_port: 8000) and for OpenEnv's from_docker_image() (container port 8000).
#
#   docker build -t reviewgym .
#   docker run --rm -p 8000:8000 reviewgym          # then: curl localhost:8000/health
#
# Build stage: the same dependency script and Makefile as CI and the README (the
# script's --build mode: the compiler and -dev libraries, none of the test tools).
# Runtime stage: the binary, the task bank, the dashboard files, the README (served
# in /metadata), python3 (the task tests run with it) and the shared libraries only.

FROM debian:bookworm-slim AS build
WORKDIR /src
COPY . .
RUN sh scripts/install-deps.sh --build \
 && make -j"$(nproc)" \
 && mkdir -p /out/web \
 && cp build/release/reviewgym /out/ \
 && cp -r tasks README.md /out/ \
 && if [ -d web ]; then cp -r web/. /out/web/; fi \
 && /out/reviewgym tasks list --tasks /out/tasks > /dev/null

FROM debian:bookworm-slim
# Runtime packages of the -dev packages the build links against (libwebsockets-dev ->
# libwebsockets17, libjansson-dev -> libjansson4, libgit2-dev -> libgit2-1.5,
# libcurl4-openssl-dev -> libcurl4, libsqlite3-dev -> libsqlite3-0); ca-certificates
# for `reviewgym run --policy llm` over https.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      libwebsockets17 libjansson4 libgit2-1.5 libcurl4 libsqlite3-0 \
      python3 ca-certificates \
 && rm -rf /var/lib/apt/lists/*

# Hugging Face Spaces run containers as uid 1000.
RUN useradd --uid 1000 --create-home --shell /usr/sbin/nologin user \
 && mkdir -p /data \
 && chown user:user /data

COPY --from=build /out/reviewgym /usr/local/bin/reviewgym
COPY --from=build /out/tasks /app/tasks
COPY --from=build /out/web /app/web
COPY --from=build /out/README.md /app/README.md

WORKDIR /app
USER user
ENV HOST=0.0.0.0 \
    PORT=8000 \
    REVIEWGYM_TASKS=/app/tasks \
    REVIEWGYM_WEB=/app/web
EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=3s --start-period=5s --retries=3 \
  CMD python3 -c "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/health' % os.environ.get('PORT', '8000'), timeout=2)" || exit 1

# The episode store goes to /data (a Space's persistent storage when enabled); when
# /data is not writable it falls back to /tmp rather than refusing to start.
CMD ["sh", "-c", "d=/data; [ -w \"$d\" ] || d=/tmp; exec reviewgym serve --host \"${HOST:-0.0.0.0}\" --port \"${PORT:-8000}\" --tasks /app/tasks --web-dir /app/web --store \"$d/reviewgym.db\""]
