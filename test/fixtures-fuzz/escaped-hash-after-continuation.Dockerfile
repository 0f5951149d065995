RUN a \
\# x
