FROM alpine:3.20
maintainer x
