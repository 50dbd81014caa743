# Example image for articlebot. CI does not build it (the CI machine has no
# Docker engine); see README, "Deploying".
#
#   docker build -t articlebot .
#   docker run -e DISCORD_TOKEN=... -v articlebot-data:/data articlebot
#
# Build stage: a static binary, no cgo.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/articlebot ./cmd/articlebot

# Run stage: no shell, no package manager, a non-root user.
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/articlebot /usr/local/bin/articlebot
ENV ARTICLEBOT_DATA_DIR=/data \
    ARTICLEBOT_HTTP_ADDR=0.0.0.0:9090 \
    ARTICLEBOT_LOG_FORMAT=json
VOLUME ["/data"]
EXPOSE 9090
USER nonroot:nonroot
ENTRYPOINT ["/usr/local/bin/articlebot"]
CMD ["serve"]
