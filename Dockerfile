# syntax=docker/dockerfile:1
# Golf in a container: one static binary (docs/deploy.md).
#
#   docker build -t golf .                    # the server (the last stage)
#   docker build --target backup -t golf-backup .
#
# The server image is distroless: no shell, no package manager, a non-root
# user; `golf health` is its health check (there is no curl).

FROM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
# Pure Go (modernc SQLite, pgx): a static binary that runs on scratch.
# cmd/golf/default.pgo is picked up by -pgo=auto.
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/golf ./cmd/golf \
 && /out/golf help >/dev/null \
 && mkdir -p /out/data /out/backups

# The backup job: golf backup runs pg_dump, whose major version must be at
# least the server's; PostgreSQL's own image brings a matching one.
FROM postgres:16-alpine AS backup
COPY --from=build /out/golf /usr/local/bin/golf
COPY --from=build --chown=70:70 /out/backups /backups
USER 70:70
ENTRYPOINT ["golf"]
CMD ["backup", "--to", "/backups", "--keep", "14", "--every", "24h"]

FROM gcr.io/distroless/static-debian12:nonroot AS app
COPY --from=build /out/golf /golf
# Embedded mode keeps its SQLite file and secret here: mount a volume.
COPY --from=build --chown=65532:65532 /out/data /data
ENV GOLF_ADDR=:8000 GOLF_DATA_DIR=/data
EXPOSE 8000
USER 65532:65532
HEALTHCHECK --interval=10s --timeout=5s --start-period=20s --retries=3 CMD ["/golf", "health"]
ENTRYPOINT ["/golf"]
CMD ["serve"]
