RUN a \
 \ \