FROM alpine:3.20
run echo hi
WORKDIR app
